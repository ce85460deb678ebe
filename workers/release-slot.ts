import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The removal decision is final: the slot is released. Positions are derived from the list, so
 * everyone behind moves up without any row being rewritten.
 */
export default defineWorker<
  {
    caseId: string;
    entryId: string;
    decision: { legalGround: string; legalGroundCitation: string };
  },
  Record<string, unknown>
>({
  taskType: 'release-slot',
  fetchVariables: ['caseId', 'entryId', 'decision'],
  async handle(job, { pool }) {
    const { caseId, entryId, decision } = job.variables;
    const removedOn = civilDateInBaku(job.engineTime);
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_entry SET status = 'removed', removed_on = $2, removal_ground = $3, case_closed_on = $2, held_until = NULL, updated_at = now()
          WHERE id = $1 AND status IN ('active', 'held')`,
        [entryId, removedOn, decision.legalGround],
      );
      await tx.query(
        `UPDATE waitlist_case SET status = 'closed', outcome = 'removed', final_at = $2 WHERE id = $1 AND final_at IS NULL`,
        [caseId, job.engineTime],
      );
      if (res.rowCount === 1) {
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:release-slot',
          action: 'slot-released',
          legalGround: decision.legalGroundCitation,
          after: { entryId, removedOn },
        });
      }
    });
    return {
      waitlistNotice: {
        template: 'waitlist-removed',
        params: { removedOn, legalGround: decision.legalGroundCitation },
      },
    };
  },
});
