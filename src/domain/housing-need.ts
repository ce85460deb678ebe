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
 * Art. 52 / 53.1.3: a citizen who deliberately worsened their housing "göstərilən niyyətli
 * hərəkətlərə yol verdikləri gündən beş ildən tez olmayaraq ... uçota götürülür" — is taken onto
 * the register no earlier than five years from the day of those acts. The bar is on the
 * registration itself, so it is measured at the DECISION's date (53.1.3: refused while "the
 * period of Art. 52 has not ended" when the decision is taken), not at the day the documents
 * came in: a decision on or after `barEndsOn` (legal_period 'waitlist-worsening-bar', 5 years
 * from the act) is not barred. Dates are civil dates.
 */
export function worseningBar(
  worsenedOn: string | null | undefined,
  barEndsOn: string | null,
  decisionDate: string,
): { barred: boolean; until: string | null; citation: string } {
  const citation = 'Mənzil Məcəlləsi 52, 53.1.3';
  if (!worsenedOn || !barEndsOn) return { barred: false, until: null, citation };
  return { barred: decisionDate < barEndsOn, until: barEndsOn, citation };
}

/** What the identity registry says of the applicant's citizenship (Housing Code 48.3). */
export type CitizenshipStatus = 'citizen' | 'foreigner' | 'stateless' | 'unknown';

/**
 * Housing Code 48.3: "Azərbaycan Respublikasının tərəfdar çıxdığı beynəlxalq müqavilələrdə başqa
 * qaydalar nəzərdə tutulmayıbsa, əcnəbilərə və vətəndaşlığı olmayan şəxslərə sosial kirayə
 * müqaviləsi əsasında yaşayış sahələri verilmir" — foreigners and stateless persons are not given
 * social-rent housing unless a treaty says otherwise. The citizenship comes from the identity
 * registry record ('AZ', another country, null = stateless, undefined = not recorded / not found).
 * `entitled` is false for a foreigner or stateless person (the reviewer may still register under
 * a treaty, naming it), null when the registry does not tell.
 */
export function citizenshipCheck(citizenship: string | null | undefined): {
  status: CitizenshipStatus;
  entitled: boolean | null;
  citation: string;
} {
  const citation = 'Mənzil Məcəlləsi 48.3';
  if (citizenship === undefined) return { status: 'unknown', entitled: null, citation };
  if (citizenship === null) return { status: 'stateless', entitled: false, citation };
  return citizenship.toUpperCase() === 'AZ'
    ? { status: 'citizen', entitled: true, citation }
    : { status: 'foreigner', entitled: false, citation };
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
