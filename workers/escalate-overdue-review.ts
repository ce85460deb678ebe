import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The decision period passed without a decision (003 §5.5, Housing Code 51.5, 55.2, 002 §2.6):
 * the task stays with the reviewer (the timer does not cancel it) and is flagged for operators.
 * Every process names its case (caseId, caseType) and the deadline's citation.
 */
export default defineWorker<
  { caseId: string; caseType: string; reviewDueDate?: string; reviewDeadlineCitation: string },
  Record<string, never>
>({
  taskType: 'escalate-overdue-review',
  fetchVariables: ['caseId', 'caseType', 'reviewDueDate', 'reviewDeadlineCitation'],
  async handle(job, { pool, log }) {
    const { caseId, caseType, reviewDueDate } = job.variables;
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
          legalGround: job.variables.reviewDeadlineCitation,
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
