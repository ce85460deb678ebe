import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../src/cases/deadlines.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Extends the review by 10 working days counted from the end of the current period, when
 * further inquiry is needed (003 §5.5); the applicant is told in the next step.
 */
export default defineWorker<
  { applicationId: string; reviewDueDate: string },
  Record<string, unknown>
>({
  taskType: 'extend-review',
  fetchVariables: ['applicationId', 'reviewDueDate'],
  async handle(job, { pool }) {
    const { applicationId, reviewDueDate } = job.variables;
    const deadline = toVariables(
      await deadlineFromEvent(pool, 'application-review-extension', reviewDueDate),
    );
    const res = await pool.query(
      `UPDATE application SET review_due_at = $2, updated_at = now() WHERE id = $1 AND review_due_at < $2`,
      [applicationId, deadline.dueAt],
    );
    if (res.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'application',
        caseId: applicationId,
        actor: 'system:extend-review',
        action: 'review-extended',
        legalGround: deadline.citation,
        before: { reviewDueDate },
        after: { reviewDueDate: deadline.dueDate },
      });
    }
    return {
      reviewDueAt: deadline.dueAt,
      reviewDueDate: deadline.dueDate,
      reviewFollowUpAt: await reviewFollowUpAt(pool, reviewDueDate, deadline),
      reviewExtended: true,
    };
  },
});
