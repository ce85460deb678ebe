import { addDays, civilDateInBaku, type CivilDate } from '../src/domain/calendar.js';
import type { ApplicationForm } from '../src/cases/application-form.js';
import type { CategoryNumber } from '../src/domain/eligibility-grounds.js';
import type {
  AcademicDegrees,
  CivilStatus,
  ForeignSpouse,
  HeroFamily,
  IdpStatus,
  LandPlots,
  MartyrFamily,
  PropertyHoldings,
  RegistryCitizen,
  ServiceRecords,
} from '../src/registry/types.js';

/**
 * SYNTHETIC citizens for the registry stand-in, development and tests. Every name, FIN, ID
 * number and address here is made up: FINs start with "SY" (7 characters [0-9A-Z]), names are
 * "Persona <tag> Sınaqov (Uydurma)" — "test", "made-up" — and no real person is meant.
 *
 * Birth dates are computed from the day the data set is built (`asOf`), so "turned 35 today"
 * stays true whenever the tests run. PERSONAS lists each citizen who applies, what it is for and
 * what the checks are expected to say, so tests pick them by purpose.
 */

export type PersonaKey =
  | 'category-1-pass'
  | 'category-1-fail'
  | 'category-2-pass'
  | 'category-2-fail'
  | 'category-3-pass-single-parent'
  | 'category-3-fail-both-over-35'
  | 'category-4-pass'
  | 'category-4-fail-2-years'
  | 'category-5-pass'
  | 'category-5-fail-4-years'
  | 'category-6-pass'
  | 'category-6-pass-foreign-diploma'
  | 'category-6-fail-no-degree'
  | 'category-7-pass'
  | 'category-7-fail-single-without-child'
  | 'category-8-pass'
  | 'category-8-fail-phd-only'
  | 'category-9-pass'
  | 'category-9-fail-12-years'
  | 'category-10-pass-reserve'
  | 'category-10-fail-conscript-only'
  | 'category-11-pass'
  | 'category-11-fail-no-special-rank'
  | 'young-family-exactly-35'
  | 'young-family-turned-36'
  | 'young-family-spouse-36'
  | 'foreign-spouse'
  | 'spouse-mismatch'
  | 'identity-mismatch'
  | 'unknown-fin'
  | 'owns-dwelling'
  | 'deceased';

export interface PersonaExpectation {
  identity: boolean;
  civilStatus: boolean;
  categoryEvidence: boolean;
  property: boolean;
  /** The reason code the failing check is expected to give. */
  reason?: string;
}

export interface Persona {
  key: PersonaKey;
  fin: string;
  purpose: string;
  /** What this person submits: the application row's category and spouse_fin, and the form. */
  application: { category: CategoryNumber; spouseFin: string | null; form: ApplicationForm };
  expected: PersonaExpectation;
}

export interface SyntheticDataset {
  asOf: CivilDate;
  citizens: Map<string, RegistryCitizen>;
  personas: Persona[];
  /** People on a housing waitlist, for the registry events and the annual re-verification. */
  waitlistPersonas: WaitlistPersona[];
}

export type WaitlistPersonaKey =
  | 'waitlist-no-change'
  | 'waitlist-deceased'
  | 'waitlist-moved-away'
  | 'waitlist-temporary-absence'
  | 'waitlist-preferential-mortgage'
  | 'waitlist-ordinary-mortgage'
  | 'waitlist-land-plot'
  | 'waitlist-property-acquired'
  | 'waitlist-small-share-acquired'
  | 'waitlist-family-member-died';

/**
 * A registered person on a waitlist of the body `bodyCode` (the residence registry places them
 * in that body's administrative unit unless the persona moved). Every registry fact is dated
 * within the last year, so an entry registered before that sees them as "since registration".
 */
export interface WaitlistPersona {
  key: WaitlistPersonaKey;
  fin: string;
  purpose: string;
  bodyCode: string;
  /** the family members listed on the entry (citizens too) */
  family: { fin: string; relation: string }[];
  /** the removal grounds (legal_ground codes) the annual re-verification should find, in order */
  expectedGrounds: string[];
}

/** The administrative unit the synthetic citizens live in unless said otherwise. */
export const DEFAULT_RESIDENCE_UNIT = 'baku-nasimi';

/** The day `years` years before `asOf` (29 February → 28 February in a common year). */
function yearsBefore(asOf: CivilDate, years: number, extraDays = 0): CivilDate {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const ny = y - years;
  const leap = ny % 4 === 0 && (ny % 100 !== 0 || ny % 400 === 0);
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  const date = `${String(ny).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return extraDays ? addDays(date, extraDays) : date;
}

const COUNTRY_NAMES: Record<string, string> = { AZ: 'Azerbaijan', GE: 'Georgia' };

const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

interface CitizenSpec {
  fin: string;
  /** Age in completed years on asOf: born exactly that many years before (birthday today). */
  age: number;
  /** Identity registry's citizenship: default 'AZ'; null = stateless (Housing Code 48.3). */
  citizenship?: string | null;
  maritalStatus?: CivilStatus['maritalStatus'];
  spouse?: { fin: string } | { foreign: ForeignSpouse };
  marriageCountry?: string;
  childrenAges?: number[];
  diedDaysAgo?: number;
  service?: {
    civil?: number;
    special?: boolean;
    military?: number;
    conscript?: number;
    militaryStatus?: ServiceRecords['military']['status'];
    internalAffairs?: number;
    specialRank?: string | null;
    teaching?: number;
  };
  degrees?: { kind: AcademicDegrees['degrees'][number]['kind']; country: string }[];
  idp?: IdpStatus['status'];
  martyr?: MartyrFamily['relation'];
  hero?: { relation: HeroFamily['relation']; alive: boolean | null };
  sport?: boolean;
  dwellings?: PropertyHoldings['dwellings'];
  /** Permanent residence (default DEFAULT_RESIDENCE_UNIT since 3 years) and a temporary stay. */
  residence?: {
    unit: string;
    sinceDaysAgo: number;
    temporary?: { unit: string; sinceDaysAgo: number };
  };
  /** Mortgage fund loans, by how many days ago they were granted. */
  loans?: { daysAgo: number; preferential: boolean }[];
  /** Land plots, by how many days ago they were granted. */
  plots?: { daysAgo: number; purpose: LandPlots['plots'][number]['purpose'] }[];
}

function buildCitizen(spec: CitizenSpec, asOf: CivilDate, serial: number): RegistryCitizen {
  const { fin } = spec;
  const s = spec.service ?? {};
  return {
    identity: {
      fin,
      name: { lastName: 'Sınaqov', firstName: `Persona ${fin.slice(2)}`, patronymic: 'Uydurma' },
      birthDate: yearsBefore(asOf, spec.age),
      idSeries: 'AA',
      idNumber: `99${String(serial).padStart(5, '0')}`,
      issueDate: yearsBefore(asOf, 3),
      issuer: 'Uydurma Qeydiyyat İdarəsi (sınaq)',
      citizenship: spec.citizenship === undefined ? 'AZ' : spec.citizenship,
    },
    civilStatus: {
      fin,
      maritalStatus: spec.maritalStatus ?? 'single',
      spouse: spec.spouse ?? null,
      marriageCountry: spec.maritalStatus === 'married' ? (spec.marriageCountry ?? 'AZ') : null,
      children: (spec.childrenAges ?? []).map((a, i) => ({
        birthDate: yearsBefore(asOf, a, -30 * (i + 1)),
        fin: null,
      })),
      death: spec.diedDaysAgo === undefined ? null : { date: addDays(asOf, -spec.diedDaysAgo) },
    },
    serviceRecords: {
      fin,
      civilService: { years: s.civil ?? 0, special: s.special ?? false },
      military: {
        years: s.military ?? 0,
        conscriptYears: s.conscript ?? 0,
        status: s.militaryStatus ?? null,
      },
      internalAffairs: { years: s.internalAffairs ?? 0, specialRank: s.specialRank ?? null },
      stateSchoolTeaching: { years: s.teaching ?? 0 },
    },
    degrees: {
      fin,
      degrees: (spec.degrees ?? []).map((d) => ({
        kind: d.kind,
        diplomaCountry: d.country,
        awardedOn: yearsBefore(asOf, 4),
      })),
    },
    idp: { fin, status: spec.idp ?? null },
    martyrFamily: { fin, relation: spec.martyr ?? null },
    heroFamily: {
      fin,
      relation: spec.hero?.relation ?? null,
      heroAlive: spec.hero?.alive ?? null,
    },
    sport: {
      fin,
      specialServices: spec.sport ?? false,
      basis: spec.sport ? 'Uydurma idman fəxri adı (sınaq)' : null,
    },
    property: { fin, dwellings: spec.dwellings ?? [] },
    residence: {
      fin,
      permanent: {
        administrativeUnit: spec.residence?.unit ?? DEFAULT_RESIDENCE_UNIT,
        since: spec.residence ? addDays(asOf, -spec.residence.sinceDaysAgo) : yearsBefore(asOf, 3),
      },
      temporary: spec.residence?.temporary
        ? {
            administrativeUnit: spec.residence.temporary.unit,
            since: addDays(asOf, -spec.residence.temporary.sinceDaysAgo),
            until: null,
          }
        : null,
    },
    mortgageFund: {
      fin,
      loans: (spec.loans ?? []).map((l) => ({
        grantedOn: addDays(asOf, -l.daysAgo),
        preferential: l.preferential,
      })),
    },
    land: {
      fin,
      plots: (spec.plots ?? []).map((p) => ({
        grantedOn: addDays(asOf, -p.daysAgo),
        purpose: p.purpose,
        grantedBy: 'executive-authority' as const,
      })),
    },
  };
}

type WaitlistPersonaSpec = Omit<WaitlistPersona, 'bodyCode' | 'family'> & {
  citizen: Omit<CitizenSpec, 'fin'>;
  family?: { fin: string; relation: string; citizen: Omit<CitizenSpec, 'fin'> }[];
};

/** People on the waitlist of baku-nasimi (registration norm 9 m² per person). */
function waitlistPersonaSpecs(): WaitlistPersonaSpec[] {
  return [
    {
      key: 'waitlist-no-change',
      fin: 'SYWOK01',
      purpose: 'Nothing changed: lives in the unit, no loan, no plot, no dwelling — no ground',
      citizen: { age: 41, ...married('SYWOKSP') },
      family: [{ fin: 'SYWOKSP', relation: 'spouse', citizen: { age: 39, ...married('SYWOK01') } }],
      expectedGrounds: [],
    },
    {
      key: 'waitlist-deceased',
      fin: 'SYWDEAD',
      purpose: 'The registered person died 20 days ago (55.1.7)',
      citizen: { age: 70, diedDaysAgo: 20 },
      expectedGrounds: ['remove-death'],
    },
    {
      key: 'waitlist-moved-away',
      fin: 'SYWMOVE',
      purpose: 'Permanent residence moved to Ganja 40 days ago (55.1.3, 004 §19(b))',
      citizen: { age: 44, residence: { unit: 'ganja', sinceDaysAgo: 40 } },
      expectedGrounds: ['remove-moved-away'],
    },
    {
      key: 'waitlist-temporary-absence',
      fin: 'SYWTEMP',
      purpose:
        'A temporary stay in Sumgait, permanent residence unchanged — the place is kept (004 §20(a)), no ground',
      citizen: {
        age: 36,
        residence: {
          unit: DEFAULT_RESIDENCE_UNIT,
          sinceDaysAgo: 3000,
          temporary: { unit: 'sumgait', sinceDaysAgo: 50 },
        },
      },
      expectedGrounds: [],
    },
    {
      key: 'waitlist-preferential-mortgage',
      fin: 'SYWMORT',
      purpose: 'A preferential mortgage loan granted 60 days ago (55.1.4)',
      citizen: { age: 33, loans: [{ daysAgo: 60, preferential: true }] },
      expectedGrounds: ['remove-preferential-mortgage'],
    },
    {
      key: 'waitlist-ordinary-mortgage',
      fin: 'SYWORDM',
      purpose: 'An ordinary (not preferential) mortgage loan — not the 55.1.4 ground',
      citizen: { age: 38, loans: [{ daysAgo: 75, preferential: false }] },
      expectedGrounds: [],
    },
    {
      key: 'waitlist-land-plot',
      fin: 'SYWLAND',
      purpose: 'A land plot for building a dwelling granted 90 days ago (55.1.5)',
      citizen: { age: 47, plots: [{ daysAgo: 90, purpose: 'housing-construction' }] },
      expectedGrounds: ['remove-land-plot'],
    },
    {
      key: 'waitlist-property-acquired',
      fin: 'SYWPROP',
      purpose:
        'Bought an 80 m² flat not in the file: 40 m² per person for a family of 2, above the 9 m² norm (55.1.2, 004 §19(a))',
      citizen: {
        age: 50,
        ...married('SYWPRSP'),
        dwellings: [{ address: 'Uydurma küç. 40, mənzil 4, Sınaq ş.', areaM2: 80, share: 1 }],
      },
      family: [{ fin: 'SYWPRSP', relation: 'spouse', citizen: { age: 49, ...married('SYWPROP') } }],
      expectedGrounds: ['remove-need-ceased'],
    },
    {
      key: 'waitlist-small-share-acquired',
      fin: 'SYWSHAR',
      purpose:
        'Inherited a quarter of a 30 m² flat: 2.5 m² per person for a family of 3, still below the norm — no ground',
      citizen: {
        age: 35,
        dwellings: [{ address: 'Uydurma küç. 30, mənzil 3, Sınaq ş.', areaM2: 30, share: 0.25 }],
      },
      family: [
        { fin: 'SYWSHC1', relation: 'child', citizen: { age: 10 } },
        { fin: 'SYWSHC2', relation: 'child', citizen: { age: 8 } },
      ],
      expectedGrounds: [],
    },
    {
      key: 'waitlist-family-member-died',
      fin: 'SYWFAM1',
      purpose:
        'A listed family member (the mother) died 15 days ago: recorded, no removal ground (55.1.7 names the registered citizen)',
      citizen: { age: 45 },
      family: [{ fin: 'SYWFMD1', relation: 'mother', citizen: { age: 78, diedDaysAgo: 15 } }],
      expectedGrounds: [],
    },
  ];
}

type PersonaSpec = Omit<Persona, 'application' | 'expected'> & {
  category: CategoryNumber;
  citizen: Omit<CitizenSpec, 'fin'>;
  /** Spouse with a FIN: registered as a citizen too, married back to the persona. */
  spouseAge?: number;
  spouseFin?: string;
  /** What the applicant adds to (or changes in) the pre-filled form. */
  formOverride?: Partial<ApplicationForm>;
  /** The form's ID card number differs from the registry's. */
  idNumberOnForm?: string;
  /** The application row names this spouse FIN (default: the registry's). */
  applicationSpouseFin?: string | null;
  expected?: Partial<PersonaExpectation>;
};

const ALL_PASS: PersonaExpectation = {
  identity: true,
  civilStatus: true,
  categoryEvidence: true,
  property: true,
};

const married = (spouseFin: string) => ({
  maritalStatus: 'married' as const,
  spouse: { fin: spouseFin },
});

function personaSpecs(asOf: CivilDate): PersonaSpec[] {
  const fail = (reason: string): Partial<PersonaExpectation> => ({
    categoryEvidence: false,
    reason,
  });
  return [
    {
      key: 'category-1-pass',
      fin: 'SYC01PA',
      purpose: 'Category 1: child of a martyr, married, both spouses ≤ 35',
      category: 1,
      citizen: { age: 30, ...married('SYS01PA'), martyr: 'child' },
      spouseAge: 29,
    },
    {
      key: 'category-1-fail',
      fin: 'SYC01FA',
      purpose: 'Category 1 fails: young family, but not a member of a martyr’s family',
      category: 1,
      citizen: { age: 30, ...married('SYS01FA') },
      spouseAge: 28,
      expected: fail('not-martyr-spouse-or-child'),
    },
    {
      key: 'category-2-pass',
      fin: 'SYC02PA',
      purpose: 'Category 2: the National Hero himself (alive), married, both ≤ 35',
      category: 2,
      citizen: { age: 33, ...married('SYS02PA'), hero: { relation: 'self', alive: true } },
      spouseAge: 31,
    },
    {
      key: 'category-2-fail',
      fin: 'SYC02FA',
      purpose: 'Category 2 fails: a hero’s sibling (only self, spouse, children count)',
      category: 2,
      citizen: { age: 27, ...married('SYS02FA'), hero: { relation: 'sibling', alive: false } },
      spouseAge: 26,
      expected: fail('not-hero-self-spouse-or-child'),
    },
    {
      key: 'category-3-pass-single-parent',
      fin: 'SYC03PA',
      purpose:
        'Category 3: IDP, divorced single parent aged 29 with a child — young family; must upload the notarised birth certificate',
      category: 3,
      citizen: { age: 29, maritalStatus: 'divorced', childrenAges: [4], idp: 'idp' },
      formOverride: { singleParent: true },
    },
    {
      key: 'category-3-fail-both-over-35',
      fin: 'SYC03FA',
      purpose: 'Category 3 fails: IDP, but both spouses are over 35 (not a young family)',
      category: 3,
      citizen: { age: 40, ...married('SYS03FA'), idp: 'idp' },
      spouseAge: 38,
      expected: fail('not-young-family'),
    },
    {
      key: 'category-4-pass',
      fin: 'SYC04PA',
      purpose: 'Category 4: 4 years of special civil service, married, both ≤ 35',
      category: 4,
      citizen: { age: 32, ...married('SYS04PA'), service: { civil: 4, special: true } },
      spouseAge: 30,
      formOverride: { categoryDetails: { specialCivilService: true } },
    },
    {
      key: 'category-4-fail-2-years',
      fin: 'SYC04FA',
      purpose: 'Category 4 fails: only 2 years of civil service',
      category: 4,
      citizen: { age: 31, ...married('SYS04FA'), service: { civil: 2 } },
      spouseAge: 30,
      formOverride: { categoryDetails: { specialCivilService: false } },
      expected: fail('civil-service-under-3-years'),
    },
    {
      key: 'category-5-pass',
      fin: 'SYC05PA',
      purpose: 'Category 5: 6 years teaching at a state school, married, both ≤ 35',
      category: 5,
      citizen: { age: 34, ...married('SYS05PA'), service: { teaching: 6 } },
      spouseAge: 33,
    },
    {
      key: 'category-5-fail-4-years',
      fin: 'SYC05FA',
      purpose: 'Category 5 fails: only 4 years of teaching',
      category: 5,
      citizen: { age: 30, ...married('SYS05FA'), service: { teaching: 4 } },
      spouseAge: 30,
      expected: fail('teaching-under-5-years'),
    },
    {
      key: 'category-6-pass',
      fin: 'SYC06PA',
      purpose: 'Category 6: PhD (diploma AZ), married, both ≤ 35',
      category: 6,
      citizen: { age: 33, ...married('SYS06PA'), degrees: [{ kind: 'phd', country: 'AZ' }] },
      spouseAge: 32,
      formOverride: { categoryDetails: { diplomaCountry: 'AZ' } },
    },
    {
      key: 'category-6-pass-foreign-diploma',
      fin: 'SYC06FO',
      purpose: 'Category 6: PhD with a foreign diploma (DE) — the country is recorded, not a bar',
      category: 6,
      citizen: { age: 31, ...married('SYS06FO'), degrees: [{ kind: 'phd', country: 'DE' }] },
      spouseAge: 31,
      formOverride: { categoryDetails: { diplomaCountry: 'DE' } },
    },
    {
      key: 'category-6-fail-no-degree',
      fin: 'SYC06FA',
      purpose: 'Category 6 fails: no degree in the registry',
      category: 6,
      citizen: { age: 30, ...married('SYS06FA') },
      spouseAge: 29,
      expected: fail('no-phd'),
    },
    {
      key: 'category-7-pass',
      fin: 'SYC07PA',
      purpose: 'Category 7: special services in sport, married, both ≤ 35',
      category: 7,
      citizen: { age: 26, ...married('SYS07PA'), sport: true },
      spouseAge: 25,
    },
    {
      key: 'category-7-fail-single-without-child',
      fin: 'SYC07FA',
      purpose:
        'Category 7 fails: special services in sport, but single without a child (not a young family)',
      category: 7,
      citizen: { age: 28, sport: true },
      expected: fail('not-young-family'),
    },
    {
      key: 'category-8-pass',
      fin: 'SYC08PA',
      purpose: 'Category 8: Doctor of Sciences aged 52, single — open regardless of age',
      category: 8,
      citizen: { age: 52, degrees: [{ kind: 'doctor-of-sciences', country: 'AZ' }] },
      formOverride: { categoryDetails: { diplomaCountry: 'AZ' } },
    },
    {
      key: 'category-8-fail-phd-only',
      fin: 'SYC08FA',
      purpose: 'Category 8 fails: PhD only, no Doctor of Sciences',
      category: 8,
      citizen: { age: 50, ...married('SYS08FA'), degrees: [{ kind: 'phd', country: 'AZ' }] },
      spouseAge: 48,
      expected: fail('no-doctor-of-sciences'),
    },
    {
      key: 'category-9-pass',
      fin: 'SYC09PA',
      purpose: 'Category 9: 16 years of civil service, aged 45',
      category: 9,
      citizen: { age: 45, ...married('SYS09PA'), service: { civil: 16 } },
      spouseAge: 44,
    },
    {
      key: 'category-9-fail-12-years',
      fin: 'SYC09FA',
      purpose: 'Category 9 fails: only 12 years of civil service',
      category: 9,
      citizen: { age: 40, service: { civil: 12 } },
      expected: fail('civil-service-under-15-years'),
    },
    {
      key: 'category-10-pass-reserve',
      fin: 'SYC10PA',
      purpose: 'Category 10: 5 years of contract military service, now in the reserve',
      category: 10,
      citizen: { age: 38, service: { military: 5, conscript: 1.5, militaryStatus: 'reserve' } },
    },
    {
      key: 'category-10-fail-conscript-only',
      fin: 'SYC10FA',
      purpose: 'Category 10 fails: conscript service only (never counts)',
      category: 10,
      citizen: { age: 25, service: { conscript: 1.5, militaryStatus: 'reserve' } },
      expected: fail('conscript-service-only'),
    },
    {
      key: 'category-11-pass',
      fin: 'SYC11PA',
      purpose: 'Category 11: 4 years in internal-affairs bodies with a special rank',
      category: 11,
      citizen: { age: 30, service: { internalAffairs: 4, specialRank: 'polis leytenantı' } },
    },
    {
      key: 'category-11-fail-no-special-rank',
      fin: 'SYC11FA',
      purpose: 'Category 11 fails: 5 years in internal affairs as civilian staff (no special rank)',
      category: 11,
      citizen: { age: 33, service: { internalAffairs: 5 } },
      expected: fail('no-special-rank'),
    },
    {
      key: 'young-family-exactly-35',
      fin: 'SYY35EX',
      purpose: 'Young family edge: the applicant turns 35 today (35 counts), spouse 34',
      category: 4,
      citizen: { age: 35, ...married('SYS35EX'), service: { civil: 5 } },
      spouseAge: 34,
    },
    {
      key: 'young-family-turned-36',
      fin: 'SYY36NO',
      purpose: 'Young family edge: the applicant turns 36 today (too old), spouse 30',
      category: 4,
      citizen: { age: 36, ...married('SYS36NO'), service: { civil: 5 } },
      spouseAge: 30,
      expected: fail('applicant-over-35'),
    },
    {
      key: 'young-family-spouse-36',
      fin: 'SYSP36N',
      purpose: 'Young family edge: the applicant is 30 but the spouse is 36',
      category: 5,
      citizen: { age: 30, ...married('SYS36SP'), service: { teaching: 6 } },
      spouseAge: 36,
      expected: fail('spouse-over-35'),
    },
    {
      key: 'foreign-spouse',
      fin: 'SYFORSP',
      purpose:
        'Spouse is a foreign citizen: entered by hand in Latin letters, no patronymic; marriage registered in GE; category 5 passes',
      category: 5,
      citizen: {
        age: 30,
        maritalStatus: 'married',
        marriageCountry: 'GE',
        spouse: {
          foreign: {
            firstName: 'JOHN',
            lastName: 'SAMPLE',
            patronymic: null,
            birthDate: yearsBefore(asOf, 31),
            citizenship: 'GE',
          },
        },
        service: { teaching: 7 },
      },
    },
    {
      key: 'spouse-mismatch',
      fin: 'SYSPMIS',
      purpose: 'The form names a spouse FIN other than the civil-status registry’s',
      category: 9,
      citizen: { age: 50, ...married('SYSPMSR'), service: { civil: 20 } },
      spouseAge: 49,
      formOverride: { spouse: { fin: 'SYSPMSX' } },
      applicationSpouseFin: 'SYSPMSX',
      expected: { civilStatus: false, reason: 'spouse-mismatch' },
    },
    {
      key: 'identity-mismatch',
      fin: 'SYIDMIS',
      purpose: 'The form’s ID card number differs from the identity registry',
      category: 9,
      citizen: { age: 48, service: { civil: 17 } },
      idNumberOnForm: '1234567',
      expected: { identity: false, reason: 'id-number-mismatch' },
    },
    {
      key: 'owns-dwelling',
      fin: 'SYOWNER',
      purpose:
        'Owns a dwelling (and half of another with the spouse): recorded, not a bar under 003 §2',
      category: 9,
      citizen: {
        age: 47,
        ...married('SYSOWNR'),
        service: { civil: 18 },
        dwellings: [
          { address: 'Uydurma küç. 1, mənzil 1, Sınaq ş.', areaM2: 75.5, share: 1 },
          { address: 'Uydurma pr. 2, mənzil 7, Sınaq ş.', areaM2: 90, share: 0.5 },
        ],
      },
      spouseAge: 45,
    },
    {
      key: 'deceased',
      fin: 'SYDEAD1',
      purpose: 'The civil-status registry records the applicant’s death',
      category: 8,
      citizen: {
        age: 60,
        diedDaysAgo: 10,
        degrees: [{ kind: 'doctor-of-sciences', country: 'AZ' }],
      },
      expected: { civilStatus: false, reason: 'applicant-deceased' },
    },
  ];
}

/** Builds the registry's citizens and the persona table as of a day (default: today in Baku). */
export function syntheticDataset(asOf: CivilDate = civilDateInBaku(new Date())): SyntheticDataset {
  const citizens = new Map<string, RegistryCitizen>();
  const personas: Persona[] = [];
  let serial = 0;
  const add = (spec: CitizenSpec) => {
    const c = buildCitizen(spec, asOf, ++serial);
    citizens.set(spec.fin, c);
    return c;
  };

  for (const p of personaSpecs(asOf)) {
    const registrySpouseFin =
      p.citizen.spouse && 'fin' in p.citizen.spouse ? p.citizen.spouse.fin : null;
    const me = add({ fin: p.fin, ...p.citizen });
    if (registrySpouseFin && p.spouseAge !== undefined) {
      add({
        fin: registrySpouseFin,
        age: p.spouseAge,
        maritalStatus: 'married',
        spouse: { fin: p.fin },
        childrenAges: p.citizen.childrenAges,
        dwellings: p.key === 'owns-dwelling' ? [{ ...p.citizen.dwellings![1]! }] : undefined,
      });
    }
    // What the portal pre-fills from the registries (000 §2.1.1–2.1.4), in the portal's form
    // shape (src/cases/application-form.ts), then what the persona adds or gets wrong.
    const cs = me.civilStatus;
    const form: ApplicationForm = {
      idCard: {
        series: me.identity.idSeries,
        number: p.idNumberOnForm ?? me.identity.idNumber,
        issueDate: me.identity.issueDate,
        issuer: me.identity.issuer,
      },
      maritalStatus: cs.maritalStatus,
      ...(cs.marriageCountry ? { marriageCountry: COUNTRY_NAMES[cs.marriageCountry] } : {}),
      ...(cs.spouse
        ? {
            spouse:
              'fin' in cs.spouse
                ? { fin: cs.spouse.fin }
                : {
                    // typed by hand from the passport: other case, no patronymic (000 §2.1.4)
                    foreign: {
                      firstName: titleCase(cs.spouse.foreign.firstName),
                      lastName: titleCase(cs.spouse.foreign.lastName),
                    },
                  },
          }
        : {}),
      ...(cs.children.length
        ? { children: cs.children.map((c) => ({ birthDate: c.birthDate })) }
        : {}),
      category: p.category,
      ...p.formOverride,
    };
    personas.push({
      key: p.key,
      fin: p.fin,
      purpose: p.purpose,
      application: {
        category: p.category,
        spouseFin:
          p.applicationSpouseFin !== undefined ? p.applicationSpouseFin : registrySpouseFin,
        form,
      },
      expected: { ...ALL_PASS, ...p.expected },
    });
  }

  // Known to nobody: every registry answers 404 (the property check still passes: nothing held).
  personas.push({
    key: 'unknown-fin',
    fin: 'SYUNKNW',
    purpose: 'A FIN no registry knows (404 everywhere)',
    application: {
      category: 9,
      spouseFin: null,
      form: {
        idCard: { series: 'AA', number: '9999999', issueDate: '2020-01-01', issuer: 'Uydurma' },
        maritalStatus: 'single',
        category: 9,
      },
    },
    expected: {
      identity: false,
      civilStatus: false,
      categoryEvidence: false,
      property: true,
      reason: 'not-in-identity-registry',
    },
  });

  // Waitlist applicants who are no citizens: a foreigner (a residence permit's FIN) and a
  // stateless person. Housing Code 48.3: no social-rent housing for them (unless a treaty says
  // otherwise), so the registration check flags it for the reviewer.
  add({ fin: 'SYFORGN', age: 40, citizenship: 'GE' });
  add({ fin: 'SYSTLSS', age: 52, citizenship: null });

  const waitlistPersonas: WaitlistPersona[] = [];
  for (const w of waitlistPersonaSpecs()) {
    add({ fin: w.fin, ...w.citizen });
    for (const m of w.family ?? []) add({ fin: m.fin, ...m.citizen });
    waitlistPersonas.push({
      key: w.key,
      fin: w.fin,
      purpose: w.purpose,
      bodyCode: DEFAULT_RESIDENCE_UNIT,
      family: (w.family ?? []).map((m) => ({ fin: m.fin, relation: m.relation })),
      expectedGrounds: w.expectedGrounds,
    });
  }

  return { asOf, citizens, personas, waitlistPersonas };
}

/** The persona table as of today (Baku); the stand-in started today serves the same citizens. */
export const PERSONAS: readonly Persona[] = syntheticDataset().personas;

export function persona(key: PersonaKey, personas: readonly Persona[] = PERSONAS): Persona {
  const p = personas.find((x) => x.key === key);
  if (!p) throw new Error(`no synthetic persona "${key}"`);
  return p;
}

/** The waitlist persona table as of today (Baku). */
export const WAITLIST_PERSONAS: readonly WaitlistPersona[] = syntheticDataset().waitlistPersonas;

export function waitlistPersona(
  key: WaitlistPersonaKey,
  personas: readonly WaitlistPersona[] = WAITLIST_PERSONAS,
): WaitlistPersona {
  const p = personas.find((x) => x.key === key);
  if (!p) throw new Error(`no synthetic waitlist persona "${key}"`);
  return p;
}
