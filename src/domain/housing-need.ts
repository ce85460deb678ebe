/**
 * Need for housing against the body's registration norm (Housing Code 49.4–49.5): the living
 * space of every dwelling the family holds is summed (50.2) and divided by the family's size.
 */
export interface Dwelling {
  areaM2: number;
  /** the family's share of the dwelling (1 = all of it) */
  share: number;
}

export interface HousingNeed {
  totalAreaM2: number;
  areaPerPersonM2: number;
  normM2: number;
  /** below the norm: the family needs housing */
  needsHousing: boolean;
  citation: string;
}

export function housingNeed(
  dwellings: Dwelling[],
  familySize: number,
  normM2: number,
): HousingNeed {
  if (!Number.isInteger(familySize) || familySize < 1)
    throw new RangeError('the family has at least one member');
  if (!(normM2 > 0)) throw new RangeError('the registration norm must be positive');
  const total = dwellings.reduce((sum, d) => sum + d.areaM2 * d.share, 0);
  const perPerson = total / familySize;
  return {
    totalAreaM2: Math.round(total * 100) / 100,
    areaPerPersonM2: Math.round(perPerson * 100) / 100,
    normM2,
    needsHousing: perPerson < normM2,
    citation: 'Mənzil Məcəlləsi 49.4, 50.2',
  };
}

/**
 * Art. 52 / 53.1.3: after deliberately worsening one's housing, registration is refused until
 * the period (legal_period 'waitlist-worsening-bar', 5 years) has passed. Dates are civil dates.
 */
export function worseningBar(
  worsenedOn: string | null | undefined,
  barEndsOn: string | null,
  applicationDate: string,
): { barred: boolean; until: string | null; citation: string } {
  const citation = 'Mənzil Məcəlləsi 52, 53.1.3';
  if (!worsenedOn || !barEndsOn) return { barred: false, until: null, citation };
  return { barred: applicationDate < barEndsOn, until: barEndsOn, citation };
}

/** "Uydurma küç. 1,  mənzil 1" and "uydurma küç 1 mənzil 1" name the same dwelling. */
export function normalizeAddress(address: string): string {
  return address
    .toLocaleLowerCase('az')
    .replace(/[.,;:/\\#"'()-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface HeldDwelling extends Dwelling {
  address: string;
}

/**
 * Every dwelling the family holds (50.2), from what the family declared and what the real-estate
 * registry holds for each member (002 §2.3: fetched, not asked for). One dwelling appears once:
 * the members' shares of it are added (capped at the whole), its area is the registry's.
 */
export function familyHoldings(
  declared: HeldDwelling[],
  fromRegistry: HeldDwelling[],
): HeldDwelling[] {
  const byAddress = new Map<string, HeldDwelling>();
  for (const d of fromRegistry) {
    const k = normalizeAddress(d.address);
    const seen = byAddress.get(k);
    byAddress.set(k, seen ? { ...seen, share: Math.min(1, seen.share + d.share) } : { ...d });
  }
  for (const d of declared) {
    const k = normalizeAddress(d.address);
    if (!byAddress.has(k)) byAddress.set(k, { ...d });
  }
  return [...byAddress.values()];
}
