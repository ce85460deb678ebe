import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The review period passed without a decision (003 §5.5): the task stays with the reviewer
 * (the timer does not cancel it) and is flagged for operators on the deadlines dashboard.
 */
export default defineWorker<
  {
    applicationId?: string;
    caseId?: string;
    caseType?: string;
    reviewDueDate?: string;
    reviewDeadlineCitation?: string;
  },
  Record<string, never>
>({
  taskType: 'escalate-overdue-review',
  fetchVariables: [
    'applicationId',
    'caseId',
    'caseType',
    'reviewDueDate',
    'reviewDeadlineCitation',
  ],
  async handle(job, { pool, log }) {
    const { reviewDueDate } = job.variables;
    // application review carries applicationId; waitlist cases carry caseId and caseType
    const caseId = job.variables.caseId ?? job.variables.applicationId;
    const caseType = job.variables.caseType ?? 'application';
    if (!caseId) throw new Error('variable caseId (or applicationId) is missing');
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE review_task SET overdue_escalated_at = $2
          WHERE case_id = $1 AND completed_at IS NULL AND overdue_escalated_at IS NULL`,
        [caseId, job.engineTime],
      );
      if (res.rowCount) {
        await recordAudit(tx, {
          caseType,
          caseId,
          actor: 'system:escalate-overdue-review',
          action: 'review-overdue-escalated',
          legalGround: job.variables.reviewDeadlineCitation ?? '003 §5.5',
          after: { reviewDueDate },
        });
      }
    });
    log.warn(
      { processInstanceKey: job.processInstanceKey },
      'review overdue: escalated to operators',
    );
    return {};
  },
});
