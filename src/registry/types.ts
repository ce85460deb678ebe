import { z } from 'zod';

/**
 * What the state registries answer about a person (domain brief §1 "External registries"). The
 * documents require that this data is fetched, not demanded from the citizen (002 §2.3; consent
 * 003 §5.3.8; 003 §10.4 forbids asking for other documents). Each schema validates a registry
 * answer at the boundary (HttpRegistryClient); the types are what the pure rules receive.
 *
 * Dates are civil dates 'YYYY-MM-DD'; countries are ISO 3166-1 alpha-2 codes ('AZ', 'DE').
 */

const fin = z.string().regex(/^[0-9A-Z]{7}$/, 'FIN: 7 characters [0-9A-Z]');
const civilDate = z.iso.date();
const country = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code');
const years = z.number().min(0).max(80);

export const personNameSchema = z.object({
  lastName: z.string().min(1),
  firstName: z.string().min(1),
  patronymic: z.string().min(1).nullable(),
});
export type PersonName = z.infer<typeof personNameSchema>;

/** Identity card by FIN: the data the form is pre-filled with (000 §2.1.1, 003 §5.3.1–5.3.2). */
export const identityCardSchema = z.object({
  fin,
  name: personNameSchema,
  birthDate: civilDate,
  idSeries: z.string().regex(/^[A-Z]{2,3}$/),
  idNumber: z.string().regex(/^\d{7,8}$/),
  issueDate: civilDate,
  issuer: z.string().min(1),
  /**
   * Citizenship as the identity registry records it: 'AZ' for a citizen of Azerbaijan, another
   * country for a foreigner, null for a stateless person; absent when the registry does not say
   * (Housing Code 48.3 is then checked by the reviewer on the documents).
   */
  citizenship: country.nullable().optional(),
});
export type IdentityCard = z.infer<typeof identityCardSchema>;

export const MARITAL_STATUSES = ['single', 'married', 'divorced', 'widowed'] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

/** A foreign spouse: the data of the foreign passport in Latin letters, patronymic optional (000 §2.1.4). */
export const foreignSpouseSchema = z.object({
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  patronymic: z.string().min(1).nullable().optional(),
  birthDate: civilDate.nullable().optional(),
  citizenship: country.nullable().optional(),
});
export type ForeignSpouse = z.infer<typeof foreignSpouseSchema>;

/** Azerbaijani spouse: by FIN (000 §2.1.3); foreign spouse: as entered by hand (000 §2.1.4). */
export const spouseSchema = z.union([
  z.object({ fin }).strict(),
  z.object({ foreign: foreignSpouseSchema }).strict(),
]);
export type Spouse = z.infer<typeof spouseSchema>;

/** Civil status: marriage, children (with birth dates), death. */
export const civilStatusSchema = z.object({
  fin,
  maritalStatus: z.enum(MARITAL_STATUSES),
  spouse: spouseSchema.nullable(),
  /** Where the marriage was registered (asked of married applicants, 000 §2.1.5). */
  marriageCountry: country.nullable(),
  children: z.array(z.object({ birthDate: civilDate, fin: fin.nullable() })),
  death: z.object({ date: civilDate }).nullable(),
});
export type CivilStatus = z.infer<typeof civilStatusSchema>;

/**
 * Service records, in whole or fractional years of service (categories 4, 5, 9, 10, 11 of
 * 000 §2.1.5). Military years exclude conscript service, which is reported apart because it
 * never counts (category 10: "müddətli həqiqi hərbi xidmətdə olan hərbi qulluqçulardan başqa").
 */
export const serviceRecordsSchema = z.object({
  fin,
  civilService: z.object({
    /** Including the special kinds of civil service (category 4). */
    years,
    special: z.boolean(),
  }),
  military: z.object({
    /** Contract / officer service; conscript service is not included. */
    years,
    conscriptYears: years,
    status: z.enum(['serving', 'reserve', 'retired']).nullable(),
  }),
  internalAffairs: z.object({
    years,
    /** The special rank (xüsusi rütbə); null for civilian staff of the bodies. */
    specialRank: z.string().min(1).nullable(),
  }),
  stateSchoolTeaching: z.object({ years }),
});
export type ServiceRecords = z.infer<typeof serviceRecordsSchema>;

export const DEGREE_KINDS = ['phd', 'doctor-of-sciences'] as const;
export type DegreeKind = (typeof DEGREE_KINDS)[number];

/** Academic degrees: PhD (category 6) and Doctor of Sciences (category 8), with the diploma country. */
export const academicDegreesSchema = z.object({
  fin,
  degrees: z.array(
    z.object({ kind: z.enum(DEGREE_KINDS), diplomaCountry: country, awardedOn: civilDate }),
  ),
});
export type AcademicDegrees = z.infer<typeof academicDegreesSchema>;

/** Internally displaced person or a person equal to one (category 3). */
export const idpStatusSchema = z.object({
  fin,
  status: z.enum(['idp', 'equivalent']).nullable(),
});
export type IdpStatus = z.infer<typeof idpStatusSchema>;

/** Martyr family membership (category 1: the martyr's spouse or children). */
export const martyrFamilySchema = z.object({
  fin,
  relation: z.enum(['spouse', 'child', 'parent', 'sibling']).nullable(),
});
export type MartyrFamily = z.infer<typeof martyrFamilySchema>;

/** National Hero and family (category 2: the hero, spouse, children; hero alive or deceased). */
export const heroFamilySchema = z.object({
  fin,
  relation: z.enum(['self', 'spouse', 'child', 'parent', 'sibling']).nullable(),
  heroAlive: z.boolean().nullable(),
});
export type HeroFamily = z.infer<typeof heroFamilySchema>;

/** Special services in sport (category 7). */
export const sportServicesSchema = z.object({
  fin,
  specialServices: z.boolean(),
  basis: z.string().min(1).nullable(),
});
export type SportServices = z.infer<typeof sportServicesSchema>;

/** Real-estate registry: the dwellings the person owns (whole or a share). */
export const propertyHoldingsSchema = z.object({
  fin,
  dwellings: z.array(
    z.object({
      address: z.string().min(1),
      areaM2: z.number().positive().max(10_000),
      /** The person's share of the ownership, 0 < share ≤ 1. */
      share: z.number().positive().max(1),
    }),
  ),
});
export type PropertyHoldings = z.infer<typeof propertyHoldingsSchema>;

/** Registration in the mortgage e-system (003 §5.5-1), idempotent by application id. */
export const mortgageRegistrationSchema = z.object({
  registrationId: z.string().min(1),
  applicationId: z.string().min(1),
  /** false when the application (or the person) was already registered. */
  created: z.boolean(),
});
export type MortgageRegistration = z.infer<typeof mortgageRegistrationSchema>;

/**
 * Residence registry (qeydiyyat): the permanent place of residence and a temporary stay, by the
 * code of the administrative unit (e.g. 'baku-nasimi'). A permanent residence in another unit
 * than the registering body's is the removal ground of Housing Code 55.1.3 / 004 §19(b); a
 * temporary stay keeps the place (004 §20(a)). Used by the waitlist re-verification.
 */
export const residenceSchema = z.object({
  fin,
  permanent: z.object({ administrativeUnit: z.string().min(1), since: civilDate }).nullable(),
  temporary: z
    .object({
      administrativeUnit: z.string().min(1),
      since: civilDate,
      until: civilDate.nullable(),
    })
    .nullable(),
});
export type Residence = z.infer<typeof residenceSchema>;

/** Mortgage fund: mortgage loans granted, preferential or not (Housing Code 55.1.4). */
export const mortgageFundLoansSchema = z.object({
  fin,
  loans: z.array(z.object({ grantedOn: civilDate, preferential: z.boolean() })),
});
export type MortgageFundLoans = z.infer<typeof mortgageFundLoansSchema>;

export const LAND_PLOT_PURPOSES = ['housing-construction', 'agriculture', 'other'] as const;

/** Land registry: plots granted by an executive authority or a municipality (Housing Code 55.1.5). */
export const landPlotsSchema = z.object({
  fin,
  plots: z.array(
    z.object({
      grantedOn: civilDate,
      purpose: z.enum(LAND_PLOT_PURPOSES),
      grantedBy: z.enum(['executive-authority', 'municipality']),
    }),
  ),
});
export type LandPlots = z.infer<typeof landPlotsSchema>;

/** The stand-in's and the client's names for the registry endpoints (metrics, outages, errors). */
export const REGISTRY_ENDPOINTS = [
  'identity',
  'civil-status',
  'service-records',
  'degrees',
  'idp',
  'martyr-family',
  'hero-family',
  'sport',
  'property',
  'mortgage-system',
  // waitlist re-verification (004 §18)
  'residence',
  'mortgage-fund',
  'land',
] as const;
export type RegistryEndpoint = (typeof REGISTRY_ENDPOINTS)[number];

/** Everything the registries hold about one person (how the stand-in keeps its data). */
export interface RegistryCitizen {
  identity: IdentityCard;
  civilStatus: CivilStatus;
  serviceRecords: ServiceRecords;
  degrees: AcademicDegrees;
  idp: IdpStatus;
  martyrFamily: MartyrFamily;
  heroFamily: HeroFamily;
  sport: SportServices;
  property: PropertyHoldings;
  /** Waitlist re-verification; a citizen without them answers an empty record. */
  residence?: Residence;
  mortgageFund?: MortgageFundLoans;
  land?: LandPlots;
}
