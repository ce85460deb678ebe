import { recordAudit } from '../src/cases/audit.js';
import { citationOf } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The right to stay registered is kept (Art. 54, 004 §20): the case closes, the slot stays — and a
 * slot held for a martyr family's transfer (002 §2.1) is active again.
 */
export default defineWorker<
  { caseId: string; decision: { legalGround: string; reason: string; decidedBy?: string } },
  Record<string, unknown>
>({
  taskType: 'record-slot-retention',
  fetchVariables: ['caseId', 'decision'],
  async handle(job, { pool }) {
    const { caseId, decision } = job.variables;
    const citation = await citationOf(pool, decision.legalGround);
    await inTransaction(pool, async (tx) => {
      const res = await tx.query<{ entry_id: string | null }>(
        `UPDATE waitlist_case SET status = 'closed', outcome = 'retained', decided_at = $2, final_at = $2 WHERE id = $1 AND final_at IS NULL RETURNING entry_id`,
        [caseId, job.engineTime],
      );
      if (res.rowCount !== 1) return;
      await tx.query(
        `UPDATE waitlist_entry SET status = 'active', held_until = NULL, updated_at = now() WHERE id = $1 AND status = 'held'`,
        [res.rows[0]!.entry_id],
      );
      await recordAudit(tx, {
        caseType: 'waitlist-case',
        caseId,
        actor: decision.decidedBy ?? 'reviewer',
        action: 'slot-retained',
        legalGround: citation,
        reason: decision.reason,
      });
    });
    return {
      waitlistNotice: {
        template: 'waitlist-retained',
        params: { legalGround: citation, reason: decision.reason },
      },
    };
  },
});
