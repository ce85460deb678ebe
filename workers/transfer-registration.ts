import { recordAudit } from '../src/cases/audit.js';
import { TRANSFER_MESSAGES, type TransferDetails } from '../src/cases/transfer.js';
import { citationOf, loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { enqueueMessage } from '../src/engine/messages.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The transfer granted (002 §2.6, §1.2.1): the representative is registered in place of the
 * registered person on the same slot — the registration date and the decision (file) number stay,
 * so the place in the queue and everyone else's are unchanged. The family stays the one the file
 * registered with the deceased (002 §1.2.2 — the application was checked against it, nobody is
 * added), less the representative, who is now the registered member (004 §10); the documents
 * join the waitlist file opened at the registration (002 §2.7). In the same transaction the message that ends a martyr-family
 * hold in the seizure process is queued (correlated by the slot).
 */
export default defineWorker<
  { caseId: string; decision: { legalGround: string; reason: string; decidedBy?: string } },
  Record<string, unknown>
>({
  taskType: 'transfer-registration',
  fetchVariables: ['caseId', 'decision'],
  async handle(job, { pool }) {
    const { caseId, decision } = job.variables;
    const citation = await citationOf(pool, decision.legalGround);
    return inTransaction(pool, async (tx) => {
      const c = await loadWaitlistCase(tx, caseId, true);
      const d = c.details as TransferDetails;
      const entryId = c.entry_id!;
      const entry = await tx.query<{
        registration_date: string;
        decision_number: string;
        registered_fin: string | null;
      }>(
        `SELECT to_char(registration_date, 'YYYY-MM-DD') AS registration_date, decision_number, registered_fin
           FROM waitlist_entry WHERE id = $1 FOR UPDATE`,
        [entryId],
      );
      const e = entry.rows[0];
      if (!e) throw new Error(`waitlist entry ${entryId} not found`);
      if (c.status !== 'decided') {
        await tx.query(
          `UPDATE waitlist_entry SET registered_fin = $2, updated_at = now() WHERE id = $1`,
          [entryId, d.representative.fin],
        );
        const left = await tx.query(
          `DELETE FROM waitlist_family_member WHERE entry_id = $1 AND fin = $2`,
          [entryId, d.representative.fin],
        );
        for (const doc of c.documents as { kind: string; accepted: boolean; source?: string }[]) {
          if (!doc.accepted) continue;
          await tx.query(
            `INSERT INTO waitlist_file_document (entry_id, case_id, kind, source, added_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING`,
            [
              entryId,
              caseId,
              doc.kind,
              doc.source === 'registry' ? 'registry' : 'applicant',
              job.engineTime,
            ],
          );
        }
        await tx.query(
          `UPDATE waitlist_case SET status = 'decided', outcome = 'transferred', decided_at = $2, final_at = $2 WHERE id = $1`,
          [caseId, job.engineTime],
        );
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: decision.decidedBy ?? 'reviewer',
          action: 'registration-transferred',
          legalGround: citation,
          reason: decision.reason,
          after: {
            entryId,
            registrationDate: e.registration_date,
            decisionNumber: e.decision_number,
            representativeLeftFamilyList: (left.rowCount ?? 0) > 0,
          },
        });
        await enqueueMessage(tx, {
          name: TRANSFER_MESSAGES.granted,
          correlationKey: entryId,
          messageId: `${TRANSFER_MESSAGES.granted}:${caseId}`,
          // only a new name: the seizure instance's own caseId must not be overwritten
          variables: { transferCaseId: caseId },
        });
      }
      return {
        entryId,
        waitlistNotice: {
          template: 'transfer-granted',
          params: {
            registrationDate: e.registration_date,
            decisionNumber: e.decision_number,
            legalGround: citation,
          },
        },
      };
    });
  },
});
