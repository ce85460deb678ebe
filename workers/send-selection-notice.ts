import { apartmentLabel, loadSelection } from '../src/cases/apartment-selection.js';
import { recordAudit } from '../src/cases/audit.js';
import { attachNoticeToEscalation } from '../src/cases/selection-notice-escalation.js';
import { loadCalendar, loadLegalPeriods } from '../src/cases/calendar-repository.js';
import { inTransaction } from '../src/db/pool.js';
import { afterNoticeDeadline } from '../src/domain/apartment-selection.js';
import { civilDateInBaku, toBakuIsoString } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';
import { noticeContact, type ApplicationContactRow } from '../src/notify/contact.js';
import { enqueueNotice } from '../src/notify/outbox.js';

/**
 * §6.1: the notice on the selected apartment, in the cabinet and by the other channel(s) the
 * holder gave. Own funds: it names the notary and the date; the contract is due within 15
 * working days of it (§6.2). Mortgage: apply to the agent bank within 10 working days (§6.3);
 * the notice states MİDA's duty at the notary (§6.4). Queued once per task instance.
 */
export default defineWorker<
  { selectionId: string },
  { contractDueAt?: string; bankApplicationDueAt?: string; noticePostedOn: string }
>({
  taskType: 'send-selection-notice',
  fetchVariables: ['selectionId'],
  async handle(job, { pool }) {
    const { selectionId } = job.variables;
    const [periods, calendar] = await Promise.all([loadLegalPeriods(pool), loadCalendar(pool)]);
    const today = civilDateInBaku(job.engineTime);
    return inTransaction(pool, async (tx) => {
      const s = await loadSelection(tx, selectionId, true);
      const method = s.payment_method;
      if (method === 'own-funds' && !s.notary)
        throw new Error(`selection ${selectionId}: no notary named`);
      const due = afterNoticeDeadline(method, today, periods, calendar);
      const { rows } = await tx.query<{
        app: ApplicationContactRow;
        building: string;
        number: string;
        address: string;
      }>(
        `SELECT to_jsonb(a) AS app, p.building, p.number, p.address
           FROM apartment_selection s JOIN application a ON a.id = s.application_id JOIN apartment p ON p.id = s.apartment_id
          WHERE s.id = $1`,
        [selectionId],
      );
      const r = rows[0]!;
      const { recipient, channels } = noticeContact(r.app);
      const idempotencyKey = `${job.processInstanceKey}:${job.elementInstanceKey}`;
      const template =
        method === 'own-funds' ? 'apartment-notice-own-funds' : 'apartment-notice-mortgage';
      const result = await enqueueNotice(tx, {
        idempotencyKey,
        caseType: 'apartment-selection',
        caseId: selectionId,
        recipient,
        template,
        params:
          method === 'own-funds'
            ? {
                apartment: apartmentLabel(r),
                notaryName: s.notary!.name,
                notaryAddress: s.notary!.address,
                notaryDate: s.notary!.date,
                contractDueDate: due.dueDate,
              }
            : { apartment: apartmentLabel(r), bankDueDate: due.dueDate },
        channels,
      });
      await tx.query(
        `UPDATE apartment_selection SET notice_posted_on = $2, due_code = $3, due_on = $4 WHERE id = $1`,
        [selectionId, today, due.code, due.dueDate],
      );
      // §6.1 missed before this notice was queued: its sending is the (late) delivery
      await attachNoticeToEscalation(tx, selectionId, idempotencyKey, template);
      if (result.inserted > 0)
        await recordAudit(tx, {
          caseType: 'apartment-selection',
          caseId: selectionId,
          actor: 'system:send-selection-notice',
          action: 'selection-notice-posted',
          legalGround: method === 'own-funds' ? '003 §6.1, §6.2' : '003 §6.1, §6.3, §6.4',
          after: { channels, dueOn: due.dueDate },
        });
      const dueAt = toBakuIsoString(due.dueAt);
      return method === 'own-funds'
        ? { contractDueAt: dueAt, noticePostedOn: today }
        : { bankApplicationDueAt: dueAt, noticePostedOn: today };
    });
  },
});
