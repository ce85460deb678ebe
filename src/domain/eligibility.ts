import { z } from 'zod';
import type {
  AcademicDegrees,
  CivilStatus,
  HeroFamily,
  IdentityCard,
  IdpStatus,
  MartyrFamily,
  PropertyHoldings,
  ServiceRecords,
  SportServices,
} from '../registry/types.js';
import { compareCivilDates, isCivilDate, type CivilDate } from './calendar.js';
import {
  CATEGORY_GROUNDS,
  ELIGIBILITY_GROUNDS,
  type CategoryNumber,
} from './eligibility-grounds.js';
import { normalizeFin } from './fin.js';

/**
 * Eligibility rules of application review that rest on registry data (000 §2.1, 003 §2.1,
 * §5.3): pure functions over the registry records and the submitted form. Each returns
 * `passed`, the reasons it failed (stable codes, listed in docs/registries.md) and the legal
 * ground it applied. The workers in workers/check-*.ts fetch the data and record the result.
 */

export interface CheckResult {
  passed: boolean;
  /** Why it failed: stable codes, empty when passed. */
  reasons: string[];
  /** Citation of the ground applied, e.g. '003 §2.1; 000 §2.1.5 (4)'. */
  legalGround: string;
  groundCode: string;
  /** Observations for the reviewer that do not fail the check. */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// The application form, as far as these rules read it
// ---------------------------------------------------------------------------------------------

const latinName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // 000 §2.1.4: the foreign spouse's data is entered in Latin letters as in the passport.
  .regex(/^[A-Za-z][A-Za-z' .-]*$/, 'Latin letters only');

const foreignSpouseForm = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  patronymic: z.string().trim().max(100).nullish(),
  birthDate: z.iso.date().nullish(),
});

/** Spouse on the form: Azerbaijani by FIN (000 §2.1.3) or foreign by hand (000 §2.1.4). */
export type FormSpouse =
  | { fin: string }
  | {
      foreign: {
        firstName: string;
        lastName: string;
        patronymic?: string | null;
        birthDate?: string | null;
      };
    };

/**
 * The facts of the application form these rules read. The portal stores the form as
 * src/cases/application-form.ts defines it (idCard {series, number, issueDate}, categoryDetails
 * {specialCivilService, diplomaCountry}, marriageCountry as a name); parseEligibilityForm also
 * accepts the flat field names (idSeries, idNumber, …).
 */
export interface EligibilityForm {
  idSeries?: string;
  idNumber?: string;
  idIssueDate?: CivilDate;
  maritalStatus?: 'single' | 'married' | 'divorced' | 'widowed';
  /** Where the marriage was registered (000 §2.1.5): a name or an ISO alpha-2 code. */
  marriageCountry?: string;
  spouse?: FormSpouse;
  children?: { birthDate: CivilDate }[];
  singleParent?: boolean;
  /** Category 4: "special civil service? yes/no" (000 §2.1.5 (4)). */
  specialCivilService?: boolean;
  /** Categories 6 and 8: the diploma country (000 §2.1.5 (6), (8)). */
  diplomaCountry?: string;
  /** Categories 1 and 2: the kinship the applicant states (000 §2.1.5 (1), (2)). */
  kinship?: string;
  /** Category 2: the hero alive or deceased (000 §2.1.5 (2)). */
  heroAlive?: boolean;
  /** Category 10: "in the reserve or retired" or "in military service" (000 §2.1.5 (10)). */
  militaryStatus?: 'serving' | 'reserve-or-retired';
}

const country = z.string().trim().min(2).max(60);

const formSchema = z.object({
  idSeries: z.string().trim().min(1).max(5).optional().catch(undefined),
  idNumber: z.string().trim().min(1).max(20).optional().catch(undefined),
  idIssueDate: z.iso.date().optional().catch(undefined),
  maritalStatus: z.enum(['single', 'married', 'divorced', 'widowed']).optional().catch(undefined),
  marriageCountry: country.optional().catch(undefined),
  spouse: z
    .union([z.object({ fin: z.string().trim().min(1) }), z.object({ foreign: foreignSpouseForm })])
    .optional()
    .catch(undefined),
  children: z
    .array(z.object({ birthDate: z.iso.date() }))
    .optional()
    .catch(undefined),
  singleParent: z.boolean().optional().catch(undefined),
  specialCivilService: z.boolean().optional().catch(undefined),
  diplomaCountry: country.optional().catch(undefined),
  kinship: z.string().trim().min(1).optional().catch(undefined),
  heroAlive: z.boolean().optional().catch(undefined),
  militaryStatus: z.enum(['serving', 'reserve-or-retired']).optional().catch(undefined),
});

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * Reads the stored form leniently: a field of the wrong shape counts as not given (the portal
 * validates the form on submission; a check must still run on an old or partial row).
 */
export function parseEligibilityForm(raw: unknown): EligibilityForm {
  const o = asRecord(raw);
  const idCard = asRecord(o.idCard);
  const details = asRecord(o.categoryDetails);
  const parsed = formSchema.parse({
    ...details,
    ...o,
    idSeries: o.idSeries ?? idCard.series,
    idNumber: o.idNumber ?? idCard.number,
    idIssueDate: o.idIssueDate ?? idCard.issueDate,
    specialCivilService: o.specialCivilService ?? details.specialCivilService,
    diplomaCountry: o.diplomaCountry ?? details.diplomaCountry,
  });
  const form: EligibilityForm = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (v !== undefined) (form as Record<string, unknown>)[k] = v;
  }
  return form;
}

const AZERBAIJAN_NAMES = new Set(['AZ', 'AZE', 'AZERBAIJAN', 'AZƏRBAYCAN', 'AZERBAYCAN']);

/** Is this country (ISO code or name, as the form gives it) Azerbaijan? */
export function isAzerbaijan(country: string): boolean {
  return AZERBAIJAN_NAMES.has(country.trim().toUpperCase().replace(/İ/g, 'I'));
}

// ---------------------------------------------------------------------------------------------
// Young family
// ---------------------------------------------------------------------------------------------

/** "yaşı 35-dən çox olmayan": aged 35 or less in completed years (000 §2.1.5, note). */
export const YOUNG_FAMILY_MAX_AGE = 35;

/** Categories open only to members of a young family (000 §2.1.5 (1)–(7)). */
export const YOUNG_FAMILY_CATEGORIES: readonly CategoryNumber[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * Age in completed years on a day. A person born on 29 February turns a year older on
 * 1 March in a common year (the birthday has not come on 28 February).
 */
export function ageOn(birthDate: CivilDate, asOf: CivilDate): number {
  if (!isCivilDate(birthDate) || !isCivilDate(asOf)) throw new RangeError('not a civil date');
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  const birthdayPassed = am > bm || (am === bm && ad >= bd);
  return ay - by - (birthdayPassed ? 0 : 1);
}

export interface YoungFamilyInput {
  applicantBirthDate: CivilDate;
  maritalStatus: CivilStatus['maritalStatus'];
  /** The spouse's birth date when married: registry (by FIN) or the foreign passport data. */
  spouseBirthDate?: CivilDate | null;
  /** Children from the civil-status registry. */
  children: { birthDate: CivilDate }[];
  /** The day the ages are taken on: the day the application was registered (003 §5.5). */
  asOf: CivilDate;
}

export interface YoungFamilyResult {
  youngFamily: boolean;
  basis: 'married-couple' | 'single-parent' | null;
  /** 000 §2.1.5 note: a single parent also uploads a notarised copy of a child's birth certificate. */
  requiredDocuments: string[];
  reasons: string[];
}

/** The document kind of src/cases/documents.ts (a notarised copy, 000 §2.1.5 note). */
export const CHILD_BIRTH_CERTIFICATE_DOCUMENT = 'child-birth-certificate';

/**
 * Member of a young family (000 §2.1.5):
 * - married, and both spouses are aged 35 or less. The seeds state the age limit only for the
 *   single parent; "both spouses ≤ 35" is the reading this project applies to couples (the
 *   limit is the same number) until the mortgage-credit rule 003 §2.1 refers to is available;
 * - not married, aged 35 or less, with at least one child in their care — the single parent of
 *   the note to 000 §2.1.5, who must also upload a notarised copy of a child's birth certificate.
 */
export function isYoungFamily(input: YoungFamilyInput): YoungFamilyResult {
  const reasons: string[] = [];
  const applicantAge = ageOn(input.applicantBirthDate, input.asOf);
  if (applicantAge > YOUNG_FAMILY_MAX_AGE) reasons.push('applicant-over-35');

  if (input.maritalStatus === 'married') {
    if (!input.spouseBirthDate) reasons.push('spouse-birth-date-unknown');
    else if (ageOn(input.spouseBirthDate, input.asOf) > YOUNG_FAMILY_MAX_AGE)
      reasons.push('spouse-over-35');
    return reasons.length
      ? { youngFamily: false, basis: null, requiredDocuments: [], reasons }
      : { youngFamily: true, basis: 'married-couple', requiredDocuments: [], reasons };
  }

  // Only children already born on the day count (a registry never lists others, but be sure).
  const children = input.children.filter((c) => compareCivilDates(c.birthDate, input.asOf) <= 0);
  if (children.length === 0) reasons.push('single-without-child');
  return reasons.length
    ? { youngFamily: false, basis: null, requiredDocuments: [], reasons }
    : {
        youngFamily: true,
        basis: 'single-parent',
        requiredDocuments: [CHILD_BIRTH_CERTIFICATE_DOCUMENT],
        reasons,
      };
}

// ---------------------------------------------------------------------------------------------
// Identity: form vs identity registry (003 §5.3.2, pre-filled per 000 §2.1.1)
// ---------------------------------------------------------------------------------------------

const compact = (s: string) => s.replace(/\s+/g, '').toUpperCase();

export function checkIdentity(registry: IdentityCard | null, form: EligibilityForm): CheckResult {
  const ground = ELIGIBILITY_GROUNDS.IDENTITY_MATCHES_REGISTRY;
  const result = (reasons: string[], notes: string[] = []): CheckResult => ({
    passed: reasons.length === 0,
    reasons,
    legalGround: ground.citation,
    groundCode: ground.code,
    notes,
  });
  if (!registry) return result(['not-in-identity-registry']);
  const reasons: string[] = [];
  const notes: string[] = [];
  if (form.idSeries === undefined && form.idNumber === undefined) notes.push('id-card-not-on-form'); // nothing to compare: the form was pre-filled from the registry
  if (form.idSeries !== undefined && compact(form.idSeries) !== compact(registry.idSeries))
    reasons.push('id-series-mismatch');
  if (form.idNumber !== undefined && compact(form.idNumber) !== compact(registry.idNumber))
    reasons.push('id-number-mismatch');
  if (form.idIssueDate !== undefined && form.idIssueDate !== registry.issueDate)
    reasons.push('id-issue-date-mismatch');
  return result(reasons, notes);
}

// ---------------------------------------------------------------------------------------------
// Civil status: marital status and spouse (000 §2.1.1–2.1.4)
// ---------------------------------------------------------------------------------------------

const normName = (s: string | null | undefined) =>
  (s ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

function foreignNamesMatch(
  registry: { firstName: string; lastName: string; patronymic?: string | null },
  form: { firstName: string; lastName: string; patronymic?: string | null },
): boolean {
  if (normName(registry.firstName) !== normName(form.firstName)) return false;
  if (normName(registry.lastName) !== normName(form.lastName)) return false;
  // The patronymic is optional on the form (000 §2.1.4): compared only when both have one.
  const rp = normName(registry.patronymic);
  const fp = normName(form.patronymic);
  return !rp || !fp || rp === fp;
}

export function checkCivilStatus(
  registry: CivilStatus | null,
  form: EligibilityForm,
  /** application.spouse_fin: the spouse FIN the application was registered with. */
  applicationSpouseFin: string | null,
): CheckResult {
  const ground = ELIGIBILITY_GROUNDS.CIVIL_STATUS_MATCHES_REGISTRY;
  const reasons: string[] = [];
  const notes: string[] = [];
  const done = (): CheckResult => ({
    passed: reasons.length === 0,
    reasons,
    legalGround: ground.citation,
    groundCode: ground.code,
    notes,
  });
  if (!registry) {
    reasons.push('not-in-civil-status-registry');
    return done();
  }
  if (registry.death) reasons.push('applicant-deceased');

  if (form.spouse && 'foreign' in form.spouse) {
    const f = form.spouse.foreign;
    const latin = [f.firstName, f.lastName, f.patronymic].every(
      (n) => !n || latinName.safeParse(n).success,
    );
    if (!latin) reasons.push('foreign-spouse-name-not-latin');
  }

  const formFin = form.spouse && 'fin' in form.spouse ? normalizeFin(form.spouse.fin) : null;
  const columnFin = applicationSpouseFin ? normalizeFin(applicationSpouseFin) : null;
  if (formFin && columnFin && formFin !== columnFin) reasons.push('spouse-fin-inconsistent');
  const declaredFin = formFin ?? columnFin;
  const declaresMarriage = form.maritalStatus === 'married' || !!form.spouse || !!columnFin;

  if (registry.maritalStatus !== 'married') {
    if (declaresMarriage) {
      // A marriage registered abroad may be missing from the registry: the certificate decides.
      if (form.marriageCountry && !isAzerbaijan(form.marriageCountry))
        reasons.push('marriage-abroad-not-in-registry');
      else
        reasons.push(
          form.maritalStatus === 'married' ? 'marital-status-mismatch' : 'spouse-not-in-registry',
        );
    } else if (form.maritalStatus && form.maritalStatus !== registry.maritalStatus) {
      reasons.push('marital-status-mismatch');
    }
    return done();
  }
  if (form.maritalStatus && form.maritalStatus !== 'married') {
    reasons.push('marital-status-mismatch');
    return done();
  }

  const rs = registry.spouse;
  if (!rs) {
    notes.push('registry-spouse-unknown');
    return done();
  }
  if ('fin' in rs) {
    if (form.spouse && 'foreign' in form.spouse) reasons.push('spouse-mismatch');
    else if (!declaredFin) reasons.push('spouse-missing');
    else if (declaredFin !== normalizeFin(rs.fin)) reasons.push('spouse-mismatch');
  } else {
    if (!form.spouse || !('foreign' in form.spouse)) reasons.push('spouse-mismatch');
    else if (!foreignNamesMatch(rs.foreign, form.spouse.foreign)) reasons.push('spouse-mismatch');
  }
  return done();
}

// ---------------------------------------------------------------------------------------------
// Category evidence (000 §2.1.5, 003 §2.1)
// ---------------------------------------------------------------------------------------------

/** What the registries said; a field left out was not asked, `null` means "not found". */
export interface CategoryRegistryData {
  identity: IdentityCard | null;
  civilStatus?: CivilStatus | null;
  /** The Azerbaijani spouse's identity card (birth date), looked up by the spouse's FIN. */
  spouseIdentity?: IdentityCard | null;
  serviceRecords?: ServiceRecords | null;
  degrees?: AcademicDegrees | null;
  idp?: IdpStatus | null;
  martyrFamily?: MartyrFamily | null;
  heroFamily?: HeroFamily | null;
  sport?: SportServices | null;
}

export type EvidenceSource =
  'serviceRecords' | 'degrees' | 'idp' | 'martyrFamily' | 'heroFamily' | 'sport';

/** The registry that holds each category's evidence. */
export const CATEGORY_EVIDENCE_SOURCE: Record<CategoryNumber, EvidenceSource> = {
  1: 'martyrFamily',
  2: 'heroFamily',
  3: 'idp',
  4: 'serviceRecords',
  5: 'serviceRecords',
  6: 'degrees',
  7: 'sport',
  8: 'degrees',
  9: 'serviceRecords',
  10: 'serviceRecords',
  11: 'serviceRecords',
};

/** Minimum years of service per category (000 §2.1.5 (4), (5), (9), (10), (11)). */
export const MIN_SERVICE_YEARS = {
  civilServiceYoungFamily: 3, // (4)
  stateSchoolTeaching: 5, // (5)
  civilService: 15, // (9)
  military: 3, // (10), conscript service excluded
  internalAffairs: 3, // (11), with a special rank
} as const;

export interface CategoryEvidenceResult extends CheckResult {
  category: number | null;
  youngFamily: YoungFamilyResult | null;
  /** Documents the applicant must upload in addition (000 §2.1.5 note). */
  requiredDocuments: string[];
  /** What the decision rested on, without personal data (years, relation, diploma country). */
  evidence: Record<string, unknown>;
}

export function isCategoryNumber(n: unknown): n is CategoryNumber {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 11;
}

function evidenceFor(
  category: CategoryNumber,
  data: CategoryRegistryData,
  form: EligibilityForm,
): { reasons: string[]; notes: string[]; evidence: Record<string, unknown> } {
  const reasons: string[] = [];
  const notes: string[] = [];
  const evidence: Record<string, unknown> = {};
  const source = CATEGORY_EVIDENCE_SOURCE[category];
  const record = data[source];
  if (!record) {
    reasons.push(`not-in-${source.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-registry`);
    return { reasons, notes, evidence };
  }
  const s = data.serviceRecords;
  switch (category) {
    case 1: {
      const relation = data.martyrFamily!.relation;
      evidence.relation = relation;
      // "şəhid ailəsinin üzvü (əri/arvadı, övladları)": the martyr's spouse or children.
      if (relation !== 'spouse' && relation !== 'child') reasons.push('not-martyr-spouse-or-child');
      break;
    }
    case 2: {
      const { relation, heroAlive } = data.heroFamily!;
      evidence.relation = relation;
      evidence.heroAlive = heroAlive;
      // "Milli Qəhrəman (özü, əri/arvadı, övladları)", hero alive or deceased.
      if (relation !== 'self' && relation !== 'spouse' && relation !== 'child')
        reasons.push('not-hero-self-spouse-or-child');
      if (form.heroAlive !== undefined && heroAlive !== null && form.heroAlive !== heroAlive)
        notes.push('hero-alive-differs-from-form');
      break;
    }
    case 3:
      evidence.idpStatus = data.idp!.status;
      if (!data.idp!.status) reasons.push('not-idp');
      break;
    case 4:
      evidence.civilServiceYears = s!.civilService.years;
      evidence.specialCivilService = s!.civilService.special;
      if (s!.civilService.years < MIN_SERVICE_YEARS.civilServiceYoungFamily)
        reasons.push('civil-service-under-3-years');
      if (
        form.specialCivilService !== undefined &&
        form.specialCivilService !== s!.civilService.special
      )
        notes.push('special-civil-service-differs-from-form');
      break;
    case 5:
      evidence.stateSchoolTeachingYears = s!.stateSchoolTeaching.years;
      if (s!.stateSchoolTeaching.years < MIN_SERVICE_YEARS.stateSchoolTeaching)
        reasons.push('teaching-under-5-years');
      break;
    case 6:
    case 8: {
      const kind = category === 6 ? 'phd' : 'doctor-of-sciences';
      const degree = data.degrees!.degrees.find((d) => d.kind === kind);
      if (!degree) {
        reasons.push(category === 6 ? 'no-phd' : 'no-doctor-of-sciences');
        break;
      }
      // The diploma country is recorded (000 §2.1.5 (6), (8)); a foreign diploma is not a bar.
      evidence.degree = kind;
      evidence.diplomaCountry = degree.diplomaCountry;
      // Compared only when the form gives an ISO code like the registry (it may give a name).
      const formCountry = form.diplomaCountry?.trim().toUpperCase();
      if (formCountry && /^[A-Z]{2}$/.test(formCountry) && formCountry !== degree.diplomaCountry)
        notes.push('diploma-country-differs-from-form');
      break;
    }
    case 7:
      evidence.specialServicesInSport = data.sport!.specialServices;
      if (!data.sport!.specialServices) reasons.push('no-special-services-in-sport');
      break;
    case 9:
      evidence.civilServiceYears = s!.civilService.years;
      if (s!.civilService.years < MIN_SERVICE_YEARS.civilService)
        reasons.push('civil-service-under-15-years');
      break;
    case 10: {
      const m = s!.military;
      evidence.militaryYears = m.years;
      evidence.conscriptYears = m.conscriptYears;
      evidence.militaryStatus = m.status;
      // Conscript service never counts (000 §2.1.5 (10)); reserve and retired do.
      if (m.years < MIN_SERVICE_YEARS.military)
        reasons.push(
          m.years === 0 && m.conscriptYears > 0
            ? 'conscript-service-only'
            : 'military-service-under-3-years',
        );
      const formReserve = form.militaryStatus === 'reserve-or-retired';
      const registryReserve = m.status === 'reserve' || m.status === 'retired';
      if (form.militaryStatus && m.status && formReserve !== registryReserve)
        notes.push('military-status-differs-from-form');
      break;
    }
    case 11: {
      const ia = s!.internalAffairs;
      evidence.internalAffairsYears = ia.years;
      evidence.specialRank = ia.specialRank !== null;
      if (ia.years < MIN_SERVICE_YEARS.internalAffairs)
        reasons.push('internal-affairs-under-3-years');
      if (ia.specialRank === null) reasons.push('no-special-rank');
      break;
    }
  }
  return { reasons, notes, evidence };
}

/**
 * Does the registry evidence put the applicant in the chosen category (003 §2.1, 000 §2.1.5)?
 * For categories 1–7 the applicant must also be a member of a young family (isYoungFamily).
 */
export function categoryEvidenceSatisfied(
  category: number | null,
  data: CategoryRegistryData,
  form: EligibilityForm,
  asOf: CivilDate,
): CategoryEvidenceResult {
  if (!isCategoryNumber(category)) {
    const g = ELIGIBILITY_GROUNDS.NO_CATEGORY;
    return {
      passed: false,
      reasons: ['no-category'],
      legalGround: g.citation,
      groundCode: g.code,
      notes: [],
      category: null,
      youngFamily: null,
      requiredDocuments: [],
      evidence: {},
    };
  }
  const ground = CATEGORY_GROUNDS[category];
  if (!data.identity) {
    return {
      passed: false,
      reasons: ['not-in-identity-registry'],
      legalGround: ground.citation,
      groundCode: ground.code,
      notes: [],
      category,
      youngFamily: null,
      requiredDocuments: [],
      evidence: {},
    };
  }

  const { reasons, notes, evidence } = evidenceFor(category, data, form);

  let youngFamily: YoungFamilyResult | null = null;
  let legalGround = ground.citation;
  let groundCode = ground.code;
  if (YOUNG_FAMILY_CATEGORIES.includes(category)) {
    const cs = data.civilStatus;
    if (!cs) {
      reasons.push('not-in-civil-status-registry');
    } else {
      const rs = cs.spouse;
      const spouseBirthDate =
        cs.maritalStatus !== 'married' || !rs
          ? null
          : 'fin' in rs
            ? (data.spouseIdentity?.birthDate ?? null)
            : (rs.foreign.birthDate ??
              (form.spouse && 'foreign' in form.spouse ? form.spouse.foreign.birthDate : null) ??
              null);
      youngFamily = isYoungFamily({
        applicantBirthDate: data.identity.birthDate,
        maritalStatus: cs.maritalStatus,
        spouseBirthDate,
        children: cs.children,
        asOf,
      });
      evidence.youngFamily = youngFamily.basis;
      if (!youngFamily.youngFamily) {
        // When the family test is the only thing missing, the refusal rests on its ground.
        if (reasons.length === 0) {
          legalGround = ELIGIBILITY_GROUNDS.YOUNG_FAMILY.citation;
          groundCode = ELIGIBILITY_GROUNDS.YOUNG_FAMILY.code;
        }
        reasons.push('not-young-family', ...youngFamily.reasons);
      }
      if (youngFamily.basis === 'single-parent' && form.singleParent === false)
        notes.push('single-parent-not-declared-on-form');
    }
  }

  return {
    passed: reasons.length === 0,
    reasons,
    legalGround,
    groundCode,
    notes,
    category,
    youngFamily,
    requiredDocuments: youngFamily?.requiredDocuments ?? [],
    evidence,
  };
}

// ---------------------------------------------------------------------------------------------
// Property (real-estate registry)
// ---------------------------------------------------------------------------------------------

export interface PropertyCheckResult extends CheckResult {
  /** Dwellings the applicant and spouse hold (whole or a share). */
  dwellingCount: number;
  /** Sum over those dwellings of area × share, m² (Housing Code 50.2 sums all a family holds). */
  totalAreaM2: number;
}

/**
 * 003 §2 does not make owning a dwelling a bar to the right: the right belongs to the persons of
 * 2.1 (the categories) and is used once per family (2.2); 5.5 refuses only an applicant who is
 * not in a category, and 10.4 forbids asking for more. So the check always passes and records
 * what the family holds, for the reviewer and for the waitlist (uçot), where the registration
 * norm per person does apply (Housing Code 49.4, 50.2 — a different procedure).
 */
export function checkProperty(holdings: (PropertyHoldings | null)[]): PropertyCheckResult {
  const ground = ELIGIBILITY_GROUNDS.PROPERTY_NOT_A_CONDITION;
  // The same dwelling owned in shares by both spouses is counted once, with both shares.
  const byAddress = new Map<string, { areaM2: number; share: number }>();
  for (const h of holdings) {
    for (const d of h?.dwellings ?? []) {
      const key = normName(d.address);
      const prev = byAddress.get(key);
      byAddress.set(key, { areaM2: d.areaM2, share: Math.min(1, (prev?.share ?? 0) + d.share) });
    }
  }
  const total = [...byAddress.values()].reduce((sum, d) => sum + d.areaM2 * d.share, 0);
  return {
    passed: true,
    reasons: [],
    legalGround: ground.citation,
    groundCode: ground.code,
    notes: byAddress.size > 0 ? ['owns-dwelling'] : [],
    dwellingCount: byAddress.size,
    totalAreaM2: Math.round(total * 100) / 100,
  };
}
