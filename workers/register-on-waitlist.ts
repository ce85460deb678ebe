import { recordAudit } from '../src/cases/audit.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Registers the family on the body's list (51.5): the registration date is the decision's
 * date and decides the place in the queue (56.1); only the applicant is the registered member,
 * the others are listed (004 §10). Idempotent: a retried job finds the entry it made.
 */
export default defineWorker<
  { caseId: string; decision?: { reason?: string } },
  Record<string, unknown>
>({
  taskType: 'register-on-waitlist',
  fetchVariables: ['caseId', 'decision'],
  async handle(job, { pool }) {
    return inTransaction(pool, async (tx) => {
      const c = await loadWaitlistCase(tx, job.variables.caseId, true);
      const registrationDate = civilDateInBaku(job.engineTime);
      let entryId = c.entry_id;
      let decisionNumber = (c.details.decisionNumber as string | undefined) ?? '';
      if (!entryId) {
        const list = await tx.query<{ id: string }>(
          `SELECT id FROM waitlist WHERE body_code = $1 AND kind = $2`,
          [c.body_code, c.list_kind ?? 'general'],
        );
        if (!list.rows[0]) throw new Error(`body ${c.body_code} has no ${c.list_kind} list`);
        decisionNumber = `${c.body_code.toUpperCase()}-${registrationDate.slice(0, 4)}-${c.id.slice(0, 8)}`;
        const entry = await tx.query<{ id: string }>(
          `INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, need_degree, seniority_date, decision_number, grounds_of_need, public_benefit)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            list.rows[0].id,
            c.applicant_fin,
            registrationDate,
            Number(c.details.needDegree ?? 0),
            (c.details.seniorityDate as string | undefined) ?? null,
            decisionNumber,
            (c.details.groundsOfNeed as string[] | undefined) ?? [],
            Number(c.details.publicBenefit ?? 0),
          ],
        );
        entryId = entry.rows[0]!.id;
        for (const m of (c.details.family as
          { fin?: string; relation: string; birthDate?: string; adult?: boolean }[] | undefined) ??
          []) {
          await tx.query(
            `INSERT INTO waitlist_family_member (entry_id, fin, relation, birth_date, adult) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [entryId, m.fin ?? null, m.relation, m.birthDate ?? null, m.adult ?? true],
          );
        }
        for (const d of (c.details.dwellings as
          { address: string; areaM2: number; share?: number }[] | undefined) ?? []) {
          await tx.query(
            `INSERT INTO waitlist_dwelling (entry_id, address, area_m2, share) VALUES ($1, $2, $3, $4)`,
            [entryId, d.address, d.areaM2, d.share ?? 1],
          );
        }
        await tx.query(
          `UPDATE waitlist_case SET entry_id = $2, status = 'decided', outcome = 'registered', decided_at = $3, final_at = $3,
                  details = details || jsonb_build_object('decisionNumber', $4::text) WHERE id = $1`,
          [c.id, entryId, job.engineTime, decisionNumber],
        );
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId: c.id,
          actor: 'system:register-on-waitlist',
          action: 'registered',
          legalGround: 'Mənzil Məcəlləsi 51.5',
          after: { entryId, registrationDate, decisionNumber },
        });
      }
      return {
        entryId,
        waitlistNotice: {
          template: 'waitlist-registered',
          params: { registrationDate, decisionNumber, listKind: c.list_kind ?? 'general' },
        },
      };
    });
  },
});
