import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The review period passed without a decision (003 §5.5): the task stays with the reviewer
 * (the timer does not cancel it) and is flagged for operators on the deadlines dashboard.
 */
export default defineWorker<
  { applicationId: string; reviewDueDate?: string },
  Record<string, never>
>({
  taskType: 'escalate-overdue-review',
  fetchVariables: ['applicationId', 'reviewDueDate'],
  async handle(job, { pool, log }) {
    const { applicationId, reviewDueDate } = job.variables;
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE review_task SET overdue_escalated_at = $2
          WHERE application_id = $1 AND completed_at IS NULL AND overdue_escalated_at IS NULL`,
        [applicationId, job.engineTime],
      );
      if (res.rowCount) {
        await recordAudit(tx, {
          caseType: 'application',
          caseId: applicationId,
          actor: 'system:escalate-overdue-review',
          action: 'review-overdue-escalated',
          legalGround: '003 §5.5',
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
