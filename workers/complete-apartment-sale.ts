import { apartmentLabel } from '../src/cases/apartment-selection.js';
import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';
import { noticeContact, type ApplicationContactRow } from '../src/notify/contact.js';
import { enqueueNotice } from '../src/notify/outbox.js';

/**
 * The contract is signed (§7.2, §7.3): the apartment is sold, the case ends, the holder is told.
 * Holders still waiting for this apartment have nothing left to wait for (§5.7-1).
 */
export default defineWorker<{ selectionId: string }, Record<string, never>>({
  taskType: 'complete-apartment-sale',
  fetchVariables: ['selectionId'],
  async handle(job, { pool }) {
    const { selectionId } = job.variables;
    await inTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{
        app: ApplicationContactRow;
        apartment_id: string;
        building: string;
        number: string;
        address: string;
        signed_on: string;
      }>(
        `SELECT to_jsonb(a) AS app, s.apartment_id, p.building, p.number, p.address, to_char(c.signed_on, 'YYYY-MM-DD') AS signed_on
           FROM apartment_selection s JOIN application a ON a.id = s.application_id JOIN apartment p ON p.id = s.apartment_id
           JOIN apartment_contract c ON c.selection_id = s.id
          WHERE s.id = $1`,
        [selectionId],
      );
      const r = rows[0];
      if (!r) throw new Error(`selection ${selectionId}: no contract recorded`);
      await tx.query(`SELECT 1 FROM apartment WHERE id = $1 FOR UPDATE`, [r.apartment_id]);
      const res = await tx.query(
        `UPDATE apartment_selection SET state = 'contracted', ended_at = $2, due_code = NULL, due_on = NULL WHERE id = $1 AND state = 'active'`,
        [selectionId, job.engineTime],
      );
      await tx.query(`UPDATE apartment SET state = 'sold', updated_at = now() WHERE id = $1`, [
        r.apartment_id,
      ]);
      await tx.query(
        `UPDATE apartment_selection SET state = 'lapsed', ended_at = $2 WHERE apartment_id = $1 AND state = 'active' AND position > 0`,
        [r.apartment_id, job.engineTime],
      );
      const { recipient, channels } = noticeContact(r.app);
      await enqueueNotice(tx, {
        idempotencyKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
        caseType: 'apartment-selection',
        caseId: selectionId,
        recipient,
        template: 'apartment-sale-completed',
        params: { apartment: apartmentLabel(r), signedOn: r.signed_on },
        channels,
      });
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'apartment-selection',
          caseId: selectionId,
          actor: 'system:complete-apartment-sale',
          action: 'apartment-sold',
          legalGround: '003 §7.2',
        });
    });
    return {};
  },
});
