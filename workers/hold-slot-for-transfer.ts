import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/** The slot is held (not removed) for the family's transfer application until heldUntil (002 §2.1). */
export default defineWorker<
  { caseId: string; entryId: string; heldUntil: string; deathDate: string },
  Record<string, unknown>
>({
  taskType: 'hold-slot-for-transfer',
  fetchVariables: ['caseId', 'entryId', 'heldUntil', 'deathDate'],
  async handle(job, { pool }) {
    const { caseId, entryId, heldUntil, deathDate } = job.variables;
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_entry SET status = 'held', held_until = $2, updated_at = now() WHERE id = $1 AND status = 'active'`,
        [entryId, heldUntil],
      );
      await tx.query(`UPDATE waitlist_case SET status = 'held' WHERE id = $1`, [caseId]);
      if (res.rowCount === 1) {
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:hold-slot-for-transfer',
          action: 'slot-held',
          legalGround: '002 §2.1',
          after: { entryId, heldUntil },
        });
      }
    });
    return { waitlistNotice: { template: 'waitlist-slot-held', params: { deathDate, heldUntil } } };
  },
});
