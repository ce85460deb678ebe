import type { CivilDate } from './calendar.js';
import { normalizeAddress } from './housing-need.js';
import {
  GROUND_OF_KIND,
  type RegistryEventKind,
  type RegistryGround,
} from './registry-event-grounds.js';

/**
 * The annual re-verification of the waitlists (004 §18: "hər ilin I kvartalı ərzində"): what
 * the registries now say about a registered person, turned into removal grounds (Housing Code
 * 55.1, 004 §19). Pure: the worker (workers/reverify-batch.ts) gathers the facts and opens a
 * seizure case per ground; the reviewer decides (55.2), and may retain the place (Art. 54,
 * 004 §20).
 */

export interface HeldDwelling {
  address: string;
  areaM2: number;
  /** the holder's share, 0 < share ≤ 1 */
  share: number;
}

export interface ReverificationFacts {
  /** the day the entry was registered on the list */
  registrationDate: CivilDate;
  /** the registering body's administrative unit; null for work-place lists (no residence test) */
  bodyUnit: string | null;
  /** civil-status registry; null when the person is not known there */
  civilStatus: { death: { date: CivilDate } | null } | null;
  /** residence registry; null when the person is not known there */
  residence: {
    permanent: { administrativeUnit: string; since: CivilDate } | null;
    temporary: { administrativeUnit: string; since: CivilDate; until: CivilDate | null } | null;
  } | null;
  /** mortgage fund; null when the person is not known there */
  mortgage: { loans: { grantedOn: CivilDate; preferential: boolean }[] } | null;
  /** land registry; null when the person is not known there */
  land: { plots: { grantedOn: CivilDate; purpose: string }[] } | null;
  /** the family's housing: the file's dwellings and what the real-estate registry shows */
  housing: {
    /** waitlist_dwelling rows: the dwellings known when the family was registered (50.2) */
    recorded: HeldDwelling[];
    /** the registry's dwellings of the registered person and each family member with a FIN */
    registry: HeldDwelling[];
    familySize: number;
    /** the body's registration norm, m² per person (49.4–49.5); null when not set */
    normM2: number | null;
  };
}

export interface FoundGround {
  ground: RegistryGround;
  citation: string;
  /** the day of the fact the registry records (the ground is established on the check day) */
  occurredOn: CivilDate | null;
  /** what the finding rests on, without personal data (no addresses, no FINs) */
  facts: Record<string, unknown>;
}

export type ReverificationNote =
  | 'not-in-civil-status-registry'
  | 'not-in-residence-registry'
  | 'no-permanent-residence'
  | 'temporary-absence'
  | 'not-in-mortgage-fund'
  | 'not-in-land-registry'
  | 'mortgage-not-preferential'
  | 'land-plot-not-for-housing'
  | 'dwelling-acquired-below-norm';

export interface ReverificationResult {
  grounds: FoundGround[];
  notes: ReverificationNote[];
}

/** The kinds the re-verification looks for, each a case of Housing Code 55.1. */
type GroundKind = Exclude<RegistryEventKind, 'sentenced'>;
const rule = (kind: GroundKind) => GROUND_OF_KIND[kind];

export { normalizeAddress };

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The family's living space with the dwellings the registry shows beyond the file: the file's
 * dwellings as recorded, plus each new address once (its area times the family's shares, at
 * most the whole dwelling) — 50.2 sums every dwelling the family holds.
 */
export function familyHousing(housing: ReverificationFacts['housing']): {
  newDwellings: number;
  totalAreaM2: number;
  areaPerPersonM2: number;
} {
  const recorded = new Set(housing.recorded.map((d) => normalizeAddress(d.address)));
  const fresh = new Map<string, { areaM2: number; share: number }>();
  for (const d of housing.registry) {
    const key = normalizeAddress(d.address);
    if (recorded.has(key)) continue;
    const seen = fresh.get(key);
    if (seen) seen.share = Math.min(1, seen.share + d.share);
    else fresh.set(key, { areaM2: d.areaM2, share: Math.min(1, d.share) });
  }
  let total = housing.recorded.reduce((s, d) => s + d.areaM2 * d.share, 0);
  for (const d of fresh.values()) total += d.areaM2 * d.share;
  const size = Math.max(1, housing.familySize);
  return {
    newDwellings: fresh.size,
    totalAreaM2: round2(total),
    areaPerPersonM2: round2(total / size),
  };
}

/** Every removal ground the registries show for one entry, the most decisive first. */
export function reverificationGrounds(f: ReverificationFacts): ReverificationResult {
  const grounds: FoundGround[] = [];
  const notes: ReverificationNote[] = [];

  // 55.1.7 death of the registered citizen
  if (!f.civilStatus) notes.push('not-in-civil-status-registry');
  else if (f.civilStatus.death) {
    grounds.push({
      ...rule('death'),
      occurredOn: f.civilStatus.death.date,
      facts: { registry: 'civil-status', deathRecorded: true },
    });
  }

  // 55.1.3 / 004 §19(b): permanent residence in another administrative unit. A temporary stay
  // elsewhere keeps the place (004 §20(a)) and is only noted.
  if (!f.residence) notes.push('not-in-residence-registry');
  else {
    const { permanent, temporary } = f.residence;
    if (!permanent) notes.push('no-permanent-residence');
    else if (f.bodyUnit && permanent.administrativeUnit !== f.bodyUnit) {
      grounds.push({
        ...rule('moved-away'),
        occurredOn: permanent.since,
        facts: {
          registry: 'residence',
          administrativeUnit: permanent.administrativeUnit,
          bodyUnit: f.bodyUnit,
        },
      });
    }
    if (temporary && f.bodyUnit && temporary.administrativeUnit !== f.bodyUnit) {
      notes.push('temporary-absence');
    }
  }

  // 55.1.4: a preferential mortgage loan granted since the registration
  if (!f.mortgage) notes.push('not-in-mortgage-fund');
  else {
    const since = f.mortgage.loans.filter((l) => l.grantedOn >= f.registrationDate);
    const preferential = since.filter((l) => l.preferential).sort(byDate('grantedOn'));
    if (preferential[0]) {
      grounds.push({
        ...rule('preferential-mortgage-granted'),
        occurredOn: preferential[0].grantedOn,
        facts: { registry: 'mortgage-fund', preferentialLoans: preferential.length },
      });
    } else if (since.length) notes.push('mortgage-not-preferential');
  }

  // 55.1.5: a land plot for building a dwelling granted since the registration
  if (!f.land) notes.push('not-in-land-registry');
  else {
    const since = f.land.plots.filter((p) => p.grantedOn >= f.registrationDate);
    const housing = since
      .filter((p) => p.purpose === 'housing-construction')
      .sort(byDate('grantedOn'));
    if (housing[0]) {
      grounds.push({
        ...rule('land-plot-granted'),
        occurredOn: housing[0].grantedOn,
        facts: { registry: 'land', housingPlots: housing.length },
      });
    } else if (since.length) notes.push('land-plot-not-for-housing');
  }

  // 55.1.2 / 004 §19(a): the family now holds dwellings beyond its file, and with them reaches
  // the registration norm per person (need = below the norm, 49.4, 50.1.2, 50.2). Without a
  // norm the body's reviewer measures it.
  const h = familyHousing(f.housing);
  if (h.newDwellings > 0) {
    const norm = f.housing.normM2;
    if (norm === null || h.areaPerPersonM2 >= norm) {
      grounds.push({
        ...rule('property-acquired'),
        occurredOn: null,
        facts: {
          registry: 'real-estate',
          newDwellings: h.newDwellings,
          totalAreaM2: h.totalAreaM2,
          areaPerPersonM2: h.areaPerPersonM2,
          familySize: f.housing.familySize,
          normM2: norm,
        },
      });
    } else notes.push('dwelling-acquired-below-norm');
  }

  return { grounds, notes };
}

function byDate<K extends string>(key: K) {
  return (a: Record<K, string>, b: Record<K, string>) => a[key].localeCompare(b[key]);
}
