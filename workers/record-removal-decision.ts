import { recordAudit } from '../src/cases/audit.js';
import { citationOf } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

interface Decision {
  outcome: string;
  legalGround: string;
  reason: string;
  decidedBy?: string;
}

/** The held slot of a martyr's family, when no transfer came in 3 months: removal on 55.1.7. */
const HOLD_LAPSED: Decision = {
  outcome: 'remove',
  legalGround: 'remove-death',
  reason:
    'Vəfat edən şəxsin ailəsindən 3 ay ərzində uçotun ötürülməsi üçün müraciət daxil olmayıb (Qərar № 485, 2.1).',
  decidedBy: 'system',
};

/**
 * A removal decision names its 55.1 ground (55.2). The Code sets no period for the court appeal,
 * so none is computed or told: the removal takes effect now (release-slot), and an appeal and
 * its outcome are recorded whenever they arrive (src/cases/removal-appeal.ts).
 */
export default defineWorker<
  { caseId: string; decision?: Decision; martyrHold?: boolean },
  Record<string, unknown>
>({
  taskType: 'record-removal-decision',
  fetchVariables: ['caseId', 'decision', 'martyrHold'],
  async handle(job, { pool }) {
    const { caseId } = job.variables;
    const reviewed = job.variables.decision?.outcome === 'remove' && !job.variables.martyrHold;
    const decision = reviewed ? job.variables.decision! : HOLD_LAPSED;
    const citation = await citationOf(pool, decision.legalGround);
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_case SET status = 'removal-decided', outcome = 'remove', decided_at = $2 WHERE id = $1 AND decided_at IS NULL`,
        [caseId, job.engineTime],
      );
      if (res.rowCount !== 1) return;
      if (!reviewed) {
        await tx.query(
          `INSERT INTO decision (case_type, case_id, outcome, legal_ground, reason, decided_by, decided_at) VALUES ('waitlist-case', $1, 'remove', $2, $3, 'system', $4)`,
          [caseId, decision.legalGround, decision.reason, job.engineTime],
        );
      }
      await recordAudit(tx, {
        caseType: 'waitlist-case',
        caseId,
        actor: decision.decidedBy ?? 'reviewer',
        action: 'removal-decided',
        legalGround: citation,
        reason: decision.reason,
      });
    });
    return { decision: { ...decision, legalGroundCitation: citation } };
  },
});
