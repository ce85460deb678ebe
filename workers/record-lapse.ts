import { resubmissionReviewPeriod } from '../src/cases/application.js';
import { changeStatus } from '../src/cases/application-status.js';
import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The resubmission deadline passed (000 §2.4). The e-cabinet application knows one refusal, by a
 * reasoned decision that the applicant is not in the category (003 §5.5), so nothing is refused
 * here: the round lapses, the file stays as it stands and goes back to a reviewer, who decides on
 * it within a new review period (legal_period 'discrepancy-review', counted from the lapse day)
 * and cites 000 §2.4 for the lapsed deadline when refusing.
 */
export default defineWorker<
  { applicationId: string; discrepancyRound: number; discrepancyDueDate: string },
  Record<string, unknown>
>({
  taskType: 'record-lapse',
  fetchVariables: ['applicationId', 'discrepancyRound', 'discrepancyDueDate'],
  async handle(job, { pool }) {
    const { applicationId, discrepancyRound, discrepancyDueDate } = job.variables;
    const review = await resubmissionReviewPeriod(pool, job.engineTime);
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE discrepancy_round SET lapsed_at = $3 WHERE application_id = $1 AND round = $2 AND lapsed_at IS NULL`,
        [applicationId, discrepancyRound, job.engineTime],
      );
      if (res.rowCount !== 1) return; // a retried job: done before
      await recordAudit(tx, {
        caseType: 'application',
        caseId: applicationId,
        actor: 'system:record-lapse',
        action: 'discrepancy-lapsed',
        legalGround: '000 §2.4',
        after: { round: discrepancyRound, dueDate: discrepancyDueDate },
      });
      await changeStatus(
        tx,
        applicationId,
        ['discrepancy'],
        'under_review',
        {
          actor: 'system:record-lapse',
          action: 'review-on-file-as-it-stands',
          legalGround: review.reviewDeadlineCitation,
          extra: { round: discrepancyRound, reviewDueDate: review.reviewDueDate },
        },
        { review_due_at: review.reviewDueAt },
      );
    });
    return { resubmitted: false, discrepancyLapsed: true, ...review };
  },
});
