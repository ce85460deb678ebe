import { recordAudit } from '../src/cases/audit.js';
import { loadLegalPeriods } from '../src/cases/calendar-repository.js';
import { addToCivilDate, civilDateInBaku } from '../src/domain/calendar.js';
import { requirePeriod } from '../src/domain/legal-periods.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import {
  citizenshipCheck,
  familyHoldings,
  housingNeed,
  worseningBar,
  type HeldDwelling,
} from '../src/domain/housing-need.js';
import { oneRegisteredMemberPerFamily, type FamilyEntry } from '../src/domain/queue-order.js';
import { lazyRegistryClient } from '../src/registry/index.js';
import { defineWorker } from '../src/engine/worker.js';

const registry = lazyRegistryClient();

/**
 * Checks the application against the body's registration norm, summing every dwelling the
 * family holds (49.4, 50.2), the 5-year bar after deliberately worsening housing (52, 53.1.3:
 * measured at the decision's date — shown here as of today, with the day it ends; the decision
 * itself is checked again when taken), the applicant's citizenship from the identity registry
 * (48.3) and one registered member per family (004 §10; a place of the SAME person on another
 * list is no conflict, 51.2). The reviewer sees the results; the decision stays theirs, and a
 * refusal goes through the reasoned 53.1 path with its notice.
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'check-housing-need',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    const body = await pool.query<{ registration_norm_m2: string | null }>(
      `SELECT registration_norm_m2 FROM registering_body WHERE code = $1`,
      [c.body_code],
    );
    const norm = Number(body.rows[0]?.registration_norm_m2 ?? NaN);
    if (!(norm > 0)) throw new Error(`body ${c.body_code} has no registration norm`);
    const family = (c.details.family as { fin?: string }[] | undefined) ?? [];
    const declared = (
      (c.details.dwellings as { address: string; areaM2: number; share?: number }[] | undefined) ??
      []
    ).map((d) => ({ address: d.address, areaM2: d.areaM2, share: d.share ?? 1 }));
    // What the real-estate registry holds for each member is fetched, not asked for (50.2,
    // 002 §2.3); an outage throws and the job is retried.
    const fins = [c.applicant_fin, ...family.map((m) => m.fin)].filter((f): f is string => !!f);
    const fromRegistry: HeldDwelling[] = [];
    for (const fin of fins) {
      const lookup = await registry().property(fin);
      if (lookup.found) fromRegistry.push(...lookup.data.dwellings);
    }
    const need = housingNeed(familyHoldings(declared, fromRegistry), family.length + 1, norm);
    const worsenedOn = (c.details.worsenedHousingOn as string | undefined) ?? null;
    // A bar, not a deadline: the 5 years end on the same date, whatever day of the week it is.
    const barYears = requirePeriod(await loadLegalPeriods(pool), 'waitlist-worsening-bar').length;
    const barEnds = worsenedOn ? addToCivilDate(worsenedOn, { years: barYears }) : null;
    const today = civilDateInBaku(job.engineTime);
    const bar = { ...worseningBar(worsenedOn, barEnds, today), asOf: today };
    // 48.3: the identity registry's record of the applicant (an outage throws and is retried)
    const identity = c.applicant_fin ? await registry().identity(c.applicant_fin) : null;
    const citizenship = citizenshipCheck(identity?.found ? identity.data.citizenship : undefined);
    // 004 §10: the body's places held by anyone of this family, and this application as one more
    const held = await pool.query<{ id: string; registered_fin: string | null; members: string[] }>(
      `SELECT e.id, e.registered_fin,
              ARRAY(SELECT m.fin FROM waitlist_family_member m WHERE m.entry_id = e.id AND m.fin IS NOT NULL) AS members
         FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
        WHERE l.body_code = $1 AND e.status IN ('active', 'held')
          AND (e.registered_fin = ANY($2) OR EXISTS (SELECT 1 FROM waitlist_family_member m WHERE m.entry_id = e.id AND m.fin = ANY($2)))`,
      [c.body_code, fins],
    );
    const entries: FamilyEntry[] = held.rows.map((r) => ({
      id: r.id,
      status: 'active',
      registeredFin: r.registered_fin,
      memberFins: r.members,
    }));
    entries.push({
      id: `application:${c.id}`,
      status: 'active',
      registeredFin: c.applicant_fin,
      memberFins: family.map((m) => m.fin).filter((f): f is string => !!f),
    });
    const family10 = oneRegisteredMemberPerFamily(entries);
    const oneRegisteredMember = {
      ok: family10.ok,
      // entries of another registered member of this family (no FINs in the check)
      conflictingEntries: family10.ok
        ? 0
        : new Set(
            family10.conflicts
              .flatMap((x) => x.entryIds)
              .filter((id) => !id.startsWith('application:')),
          ).size,
      sameApplicantOtherLists: held.rows.filter((r) => r.registered_fin === c.applicant_fin).length,
      citation: '004 §10; Mənzil Məcəlləsi 51.2',
    };
    // `passed` is what the reviewer's case view marks (null = for the reviewer to judge)
    const checks = {
      housingNeed: need,
      worseningBar: bar,
      citizenship: { ...citizenship, passed: citizenship.entitled },
      oneRegisteredMember: { ...oneRegisteredMember, passed: oneRegisteredMember.ok },
    };
    const res = await pool.query(
      `UPDATE waitlist_case SET details = details || jsonb_build_object('checks', $2::jsonb) WHERE id = $1 AND NOT (details ? 'checks')`,
      [c.id, JSON.stringify(checks)],
    );
    if (res.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'waitlist-case',
        caseId: c.id,
        actor: 'system:check-housing-need',
        action: 'housing-need-checked',
        legalGround: need.citation,
        after: {
          needsHousing: need.needsHousing,
          areaPerPersonM2: need.areaPerPersonM2,
          normM2: norm,
          worseningBarred: bar.barred,
          citizenship: citizenship.status,
          oneRegisteredMember: oneRegisteredMember.ok,
        },
      });
    }
    return {
      housingNeed: {
        needsHousing: need.needsHousing,
        areaPerPersonM2: need.areaPerPersonM2,
        normM2: norm,
      },
      worseningBar: { barred: bar.barred, until: bar.until },
      citizenship: { status: citizenship.status, entitled: citizenship.entitled },
      oneRegisteredMember: { ok: oneRegisteredMember.ok },
    };
  },
});
