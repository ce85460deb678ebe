import { apartmentLabel } from '../src/cases/apartment-selection.js';
import { recordAudit } from '../src/cases/audit.js';
import { loadCalendar, loadLegalPeriods } from '../src/cases/calendar-repository.js';
import { inTransaction } from '../src/db/pool.js';
import { switchDeadline } from '../src/domain/apartment-selection.js';
import { civilDateInBaku, toBakuIsoString } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';
import { noticeContact, type ApplicationContactRow } from '../src/notify/contact.js';
import { enqueueNotice } from '../src/notify/outbox.js';

/**
 * The agent bank refused (§6.5.3) — or the holder is no longer in a category (§6.5.2) and so
 * gets no preferential mortgage: the refusal goes into the cabinet today and the holder has 3
 * working days from that day to switch to own funds.
 */
export default defineWorker<
  { selectionId: string; bankRefusalReason?: string | null },
  { switchDueAt: string; lapseGround: string }
>({
  taskType: 'record-bank-refusal',
  fetchVariables: ['selectionId', 'bankRefusalReason'],
  async handle(job, { pool }) {
    const { selectionId, bankRefusalReason } = job.variables;
    const [periods, calendar] = await Promise.all([loadLegalPeriods(pool), loadCalendar(pool)]);
    const today = civilDateInBaku(job.engineTime);
    const due = switchDeadline(today, periods, calendar);
    const lapseGround =
      bankRefusalReason === 'category-lost' ? 'category-lost-no-switch' : 'bank-refused-no-switch';
    await inTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{
        app: ApplicationContactRow;
        building: string;
        number: string;
        address: string;
      }>(
        `SELECT to_jsonb(a) AS app, p.building, p.number, p.address
           FROM apartment_selection s JOIN application a ON a.id = s.application_id JOIN apartment p ON p.id = s.apartment_id
          WHERE s.id = $1 FOR UPDATE OF s`,
        [selectionId],
      );
      const r = rows[0]!;
      const { recipient, channels } = noticeContact(r.app);
      const res = await enqueueNotice(tx, {
        idempotencyKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
        caseType: 'apartment-selection',
        caseId: selectionId,
        recipient,
        template: 'apartment-bank-refused',
        params: { apartment: apartmentLabel(r), switchDueDate: due.dueDate },
        channels,
      });
      await tx.query(`UPDATE apartment_selection SET due_code = $2, due_on = $3 WHERE id = $1`, [
        selectionId,
        due.code,
        due.dueDate,
      ]);
      if (res.inserted > 0)
        await recordAudit(tx, {
          caseType: 'apartment-selection',
          caseId: selectionId,
          actor: 'system:record-bank-refusal',
          action: 'bank-refusal-posted',
          legalGround: lapseGround === 'category-lost-no-switch' ? '003 §6.5.2' : '003 §6.5.3',
          after: { switchDueOn: due.dueDate },
        });
    });
    return { switchDueAt: toBakuIsoString(due.dueAt), lapseGround };
  },
});
