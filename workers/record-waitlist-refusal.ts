import { recordAudit } from '../src/cases/audit.js';
import { citationOf, loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/** A refusal only on 53.1.1–53.1.3, reasoned (53.2); the reviewer's decision is already recorded. */
export default defineWorker<
  { caseId: string; decision: { legalGround: string; reason: string; decidedBy?: string } },
  Record<string, unknown>
>({
  taskType: 'record-waitlist-refusal',
  fetchVariables: ['caseId', 'decision'],
  async handle(job, { pool }) {
    const { caseId, decision } = job.variables;
    const citation = await citationOf(pool, decision.legalGround);
    await inTransaction(pool, async (tx) => {
      const c = await loadWaitlistCase(tx, caseId, true);
      if (c.status === 'decided') return;
      await tx.query(
        `UPDATE waitlist_case SET status = 'decided', outcome = 'refused', decided_at = $2, final_at = $2 WHERE id = $1`,
        [caseId, job.engineTime],
      );
      await recordAudit(tx, {
        caseType: 'waitlist-case',
        caseId,
        actor: decision.decidedBy ?? 'reviewer',
        action: 'registration-refused',
        legalGround: citation,
        reason: decision.reason,
      });
    });
    return {
      waitlistNotice: {
        template: 'waitlist-registration-refused',
        params: { legalGround: citation, reason: decision.reason },
      },
    };
  },
});
