import { recordAudit } from '../src/cases/audit.js';
import { TRANSFER_GROUNDS, TRANSFER_MESSAGES } from '../src/cases/transfer.js';
import { citationOf, loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { enqueueMessage } from '../src/engine/messages.js';
import { defineWorker } from '../src/engine/worker.js';

interface Decision {
  outcome?: string;
  legalGround: string;
  reason: string;
  decidedBy?: string;
}

/**
 * A refusal only on 002 §3.1.1–3.1.3 (a late application: 3.1.1 with 2.1–2.2), reasoned (3.2).
 * The reviewer's decision is already recorded; the one system refusal (set on the model's task as
 * the local input `systemGround`: deficiencies not fixed within 7 working days of receiving the
 * notice, 002 §2.5) is recorded here with its reasons.
 */
export default defineWorker<
  { caseId: string; decision?: Decision; systemGround?: string },
  Record<string, unknown>
>({
  taskType: 'record-transfer-refusal',
  fetchVariables: ['caseId', 'decision', 'systemGround'],
  async handle(job, { pool }) {
    const { caseId, systemGround } = job.variables;
    const c = await loadWaitlistCase(pool, caseId);
    let decision: Decision;
    if (systemGround) {
      const notice = c.details.deficiencyNotice as { fixUntil?: string } | undefined;
      decision = {
        legalGround: systemGround,
        decidedBy: 'system',
        reason: `Çatışmazlıqlar ${notice?.fixUntil ?? ''} tarixinədək aradan qaldırılmayıb: 2.2-ci bənddə qeyd olunan sənədlər təqdim edilməyib (002 §2.5, §3.1.1).`,
      };
    } else {
      decision = job.variables.decision!;
    }
    const citation = await citationOf(pool, decision.legalGround);
    await inTransaction(pool, async (tx) => {
      const locked = await loadWaitlistCase(tx, caseId, true);
      if (locked.status === 'decided') return;
      if (systemGround) {
        await tx.query(
          `INSERT INTO decision (case_type, case_id, outcome, legal_ground, reason, decided_by, decided_at) VALUES ('waitlist-case', $1, 'refuse', $2, $3, 'system', $4)`,
          [caseId, decision.legalGround, decision.reason, job.engineTime],
        );
      }
      await tx.query(
        `UPDATE waitlist_case SET status = 'decided', outcome = 'refused', ground = $3, decided_at = $2, final_at = $2 WHERE id = $1`,
        [caseId, job.engineTime, decision.legalGround],
      );
      await recordAudit(tx, {
        caseType: 'waitlist-case',
        caseId,
        actor: decision.decidedBy ?? 'reviewer',
        action: 'registration-transfer-refused',
        legalGround: citation,
        reason: decision.reason,
      });
      // A slot held for the family (002 §2.1) hears of the refusal: within the window the hold
      // goes on (3.4–3.5); after it the removal case resumes with a reviewer (55.2; 004 §20).
      const held = await tx.query(
        `SELECT 1 FROM waitlist_case WHERE entry_id = $1 AND kind = 'seizure' AND final_at IS NULL AND status = 'held'`,
        [locked.entry_id],
      );
      if (held.rowCount)
        await enqueueMessage(tx, {
          name: TRANSFER_MESSAGES.refused,
          correlationKey: locked.entry_id!,
          messageId: `${TRANSFER_MESSAGES.refused}:${caseId}`,
          variables: { transferCaseId: caseId },
        });
    });
    return {
      waitlistNotice: {
        template: 'transfer-refused',
        params: {
          legalGround: citation,
          reason: decision.reason,
          cure:
            decision.legalGround === TRANSFER_GROUNDS.documentsMissing
              ? 'Sənədlər təqdim edildikdə müraciətə yenidən baxılır (002 §3.4). / Once the documents are submitted, the application is reviewed again (002 §3.4).'
              : decision.legalGround === TRANSFER_GROUNDS.unworthyHeir
                ? 'Digər ailə üzvləri yenidən müraciət edə bilər (002 §3.5). / Other family members may apply (002 §3.5).'
                : '-',
        },
      },
    };
  },
});
