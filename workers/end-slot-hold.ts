import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * A transfer was granted: the hold ends at once and the slot, with its registration date and
 * number, stays in the queue for the family's representative (002 §2.6).
 */
export default defineWorker<{ caseId: string; entryId: string }, Record<string, never>>({
  taskType: 'end-slot-hold',
  fetchVariables: ['caseId', 'entryId'],
  async handle(job, { pool }) {
    const { caseId, entryId } = job.variables;
    await inTransaction(pool, async (tx) => {
      await tx.query(
        `UPDATE waitlist_entry SET status = 'active', held_until = NULL, updated_at = now() WHERE id = $1 AND status = 'held'`,
        [entryId],
      );
      const res = await tx.query(
        `UPDATE waitlist_case SET status = 'closed', outcome = 'transferred', final_at = $2 WHERE id = $1 AND final_at IS NULL`,
        [caseId, job.engineTime],
      );
      if (res.rowCount === 1) {
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:end-slot-hold',
          action: 'hold-ended-transfer-granted',
          legalGround: '002 §2.6',
          after: { entryId },
        });
      }
    });
    return {};
  },
});
