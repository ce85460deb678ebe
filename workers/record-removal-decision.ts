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

/**
 * The held slot of a martyr's family when no transfer application was filed in the 3-month window
 * (the model reaches this system decision only then, 002 §2.1): removal on 55.1.7. The text says
 * what is true — no application in the window, with its dates.
 */
function holdLapsed(deathDate: string, heldUntil: string): Decision {
  return {
    outcome: 'remove',
    legalGround: 'remove-death',
    reason: `Vəfat tarixindən (${deathDate}) ${heldUntil} tarixinədək 3 ay ərzində uçotun ailə üzvləri üçün saxlanması barədə müraciət daxil olmayıb (Qərar № 485, 2.1; Mənzil Məcəlləsi 55.1.7). / No application to keep the registration for the family was filed within the 3 months from the death (${deathDate}) to ${heldUntil} (Decision No. 485, 2.1; Housing Code 55.1.7).`,
    decidedBy: 'system',
  };
}

/**
 * A removal decision names its 55.1 ground (55.2). The Code sets no period for the court appeal,
 * so none is computed or told: the removal takes effect now (release-slot), and an appeal and
 * its outcome are recorded whenever they arrive (src/cases/removal-appeal.ts).
 */
export default defineWorker<
  {
    caseId: string;
    decision?: Decision;
    systemGround?: string;
    deathDate?: string;
    heldUntil?: string;
  },
  Record<string, unknown>
>({
  taskType: 'record-removal-decision',
  fetchVariables: ['caseId', 'decision', 'systemGround', 'deathDate', 'heldUntil'],
  async handle(job, { pool }) {
    const { caseId } = job.variables;
    // the model sets systemGround only on the removal after a window with no application
    const reviewed = !job.variables.systemGround;
    const decision = reviewed
      ? job.variables.decision!
      : holdLapsed(job.variables.deathDate ?? '?', job.variables.heldUntil ?? '?');
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
