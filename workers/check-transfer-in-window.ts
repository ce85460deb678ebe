import { recordAudit } from '../src/cases/audit.js';
import { applicationsInWindow } from '../src/cases/transfer-hold.js';
import { inTransaction } from '../src/db/pool.js';
import { transferInWindow } from '../src/domain/transfer.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The 3-month window of a held slot has ended (002 §2.1): was a transfer application filed in it?
 * None → removal on 55.1.7; one still open (or granted) → the hold goes on until that case ends
 * (002 §2.6; 004 §20); all refused → a reviewer decides on the removal.
 */
export default defineWorker<
  { caseId: string; entryId: string; deathDate: string; heldUntil: string },
  Record<string, unknown>
>({
  taskType: 'check-transfer-in-window',
  fetchVariables: ['caseId', 'entryId', 'deathDate', 'heldUntil'],
  async handle(job, { pool }) {
    const { caseId, entryId, deathDate, heldUntil } = job.variables;
    const apps = await applicationsInWindow(pool, entryId, deathDate, heldUntil);
    const state = transferInWindow(apps);
    const window = { endsOn: heldUntil, state, applications: apps.map((a) => a.id) };
    await inTransaction(pool, async (tx) => {
      // once: a retried task finds the record and writes nothing new
      const res = await tx.query(
        `UPDATE waitlist_case SET details = details || jsonb_build_object('transferWindow', $2::jsonb)
          WHERE id = $1 AND NOT (details ? 'transferWindow')`,
        [caseId, JSON.stringify(window)],
      );
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:check-transfer-in-window',
          action: 'transfer-window-ended',
          legalGround: '002 §2.1, §2.6; 004 §20',
          after: window,
        });
    });
    return { transferInWindow: state };
  },
});
