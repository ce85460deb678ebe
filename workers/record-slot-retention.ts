import { recordAudit } from '../src/cases/audit.js';
import { citationOf } from '../src/cases/waitlist-decision.js';
import { defineWorker } from '../src/engine/worker.js';

/** The right to stay registered is kept (Art. 54, 004 §20): the case closes, the slot stays. */
export default defineWorker<
  { caseId: string; decision: { legalGround: string; reason: string; decidedBy?: string } },
  Record<string, unknown>
>({
  taskType: 'record-slot-retention',
  fetchVariables: ['caseId', 'decision'],
  async handle(job, { pool }) {
    const { caseId, decision } = job.variables;
    const citation = await citationOf(pool, decision.legalGround);
    const res = await pool.query(
      `UPDATE waitlist_case SET status = 'closed', outcome = 'retained', decided_at = $2, final_at = $2 WHERE id = $1 AND final_at IS NULL`,
      [caseId, job.engineTime],
    );
    if (res.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'waitlist-case',
        caseId,
        actor: decision.decidedBy ?? 'reviewer',
        action: 'slot-retained',
        legalGround: citation,
        reason: decision.reason,
      });
    }
    return {
      waitlistNotice: {
        template: 'waitlist-retained',
        params: { legalGround: citation, reason: decision.reason },
      },
    };
  },
});
