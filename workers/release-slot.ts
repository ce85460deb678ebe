import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The removal decision takes effect: the slot is released. Housing Code 55.2 sets no period for
 * the court appeal, so the slot is not kept waiting for one; an overturned removal restores the
 * entry with its original registration date and number (src/cases/removal-appeal.ts). Positions
 * are derived from the list, so everyone behind moves up without any row being rewritten. The
 * registration date and decision number stay on the row for that restoration.
 */
export default defineWorker<
  {
    caseId: string;
    entryId: string;
    decision: { legalGround: string; legalGroundCitation: string; reason: string };
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
          WHERE id = $1 AND status IN ('active', 'held')
            AND NOT EXISTS (SELECT 1 FROM waitlist_case WHERE id = $4 AND outcome = 'overturned')`,
        [entryId, removedOn, decision.legalGround, caseId],
      );
      // an appeal recorded before this step stays visible as pending
      await tx.query(
        `UPDATE waitlist_case SET status = CASE WHEN details->'appeal'->>'state' = 'pending' THEN 'appealed' ELSE 'closed' END,
                outcome = 'removed', final_at = $2 WHERE id = $1 AND final_at IS NULL`,
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
    // The decision notice (55.2: within 3 working days): its ground and reasons, the day of the
    // removal and the court appeal — with no invented deadline.
    return {
      waitlistNotice: {
        template: 'waitlist-removal-decided',
        params: {
          legalGround: decision.legalGroundCitation,
          reason: decision.reason,
          removedOn,
        },
      },
    };
  },
});
