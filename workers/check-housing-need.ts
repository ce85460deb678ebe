import { recordAudit } from '../src/cases/audit.js';
import { loadLegalPeriods } from '../src/cases/calendar-repository.js';
import { addToCivilDate } from '../src/domain/calendar.js';
import { requirePeriod } from '../src/domain/legal-periods.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import {
  familyHoldings,
  housingNeed,
  worseningBar,
  type HeldDwelling,
} from '../src/domain/housing-need.js';
import { lazyRegistryClient } from '../src/registry/index.js';
import { defineWorker } from '../src/engine/worker.js';

const registry = lazyRegistryClient();

/**
 * Checks the application against the body's registration norm, summing every dwelling the
 * family holds (49.4, 50.2), and against the 5-year bar after deliberately worsening housing
 * (52, 53.1.3). The reviewer sees the results; the decision stays theirs.
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
    const bar = worseningBar(worsenedOn, barEnds, c.documents_received_on ?? worsenedOn ?? '');
    const checks = { housingNeed: need, worseningBar: bar };
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
    };
  },
});
