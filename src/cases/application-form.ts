import { z } from 'zod';
import { isValidFin, normalizeFin } from '../domain/fin.js';

/**
 * The application form of the "Güzəştli mənzil" service (000 §2.1, 003 §5.3). A draft may be
 * incomplete; `requireComplete` says what is still missing before "sign and submit".
 */
export const Fin = z
  .string()
  .transform(normalizeFin)
  .refine(isValidFin, { message: 'must be a FIN: 7 Latin letters or digits' });

const LatinName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[A-Za-z' -]+$/, { message: 'must be written in Latin letters' });

/** Mobile operator codes in Azerbaijan (000 §2.1: operator code + number). */
export const MOBILE_OPERATOR_CODES = ['10', '50', '51', '55', '60', '70', '77', '99'] as const;

export const MobilePhone = z.object({
  operatorCode: z.enum(MOBILE_OPERATOR_CODES),
  number: z.string().regex(/^\d{7}$/, { message: 'must be 7 digits' }),
});

export const YOUNG_FAMILY_CATEGORIES = [1, 2, 3, 4, 5, 6, 7] as const;

/** 000 §2.1.5 (1), (2): "qohumluq əlaqəsi" — the hero himself (2 only), spouse, child. */
export const KINSHIPS = ['self', 'spouse', 'child'] as const;
/** 000 §2.1.5 (2): "Milli Qəhrəmanın sağ olduğu və ya vəfat etməsi". */
export const HERO_STATUSES = ['alive', 'deceased'] as const;
/** 000 §2.1.5 (10): "ehtiyata və ya istefaya buraxılmış" or "hərbi xidmətdə olan". */
export const MILITARY_STATUSES = ['reserve_or_retired', 'serving'] as const;

export const ApplicationFormFields = z
  .object({
    idCard: z
      .object({
        series: z.string().regex(/^(AZE|AA|MYI|DYI)$/, {
          message: 'must be an identity card series (AZE, AA, MYI, DYI)',
        }),
        number: z.string().regex(/^\d{7,8}$/, { message: 'must be 7 or 8 digits' }),
        issueDate: z.iso.date(),
        issuer: z.string().trim().min(2).max(120),
      })
      .strict(),
    maritalStatus: z.enum(['single', 'married', 'divorced', 'widowed']),
    marriageCountry: z.string().trim().min(2).max(60),
    spouse: z.union([
      z.object({ fin: Fin }).strict(),
      z
        .object({
          foreign: z
            .object({ firstName: LatinName, lastName: LatinName, patronymic: LatinName.optional() })
            .strict(),
        })
        .strict(),
    ]),
    children: z.array(z.object({ birthDate: z.iso.date() }).strict()).max(20),
    singleParent: z.boolean(),
    category: z.number().int().min(1).max(11),
    // 000 §2.1.5: the questions each category asks (which ones must be answered is checked at
    // submission by requireCategoryAnswers, so a draft may hold them half-filled).
    categoryDetails: z
      .object({
        /** categories 1 (spouse, children) and 2 (self, spouse, children) */
        kinship: z.enum(KINSHIPS).optional(),
        /** category 2: the National Hero alive or deceased */
        heroStatus: z.enum(HERO_STATUSES).optional(),
        /** category 4: special civil service, yes or no */
        specialCivilService: z.boolean().optional(),
        /** categories 6 and 8: the country that issued the diploma */
        diplomaCountry: z.string().trim().min(2).max(60).optional(),
        /** category 10: released to the reserve or retired, or in military service */
        militaryStatus: z.enum(MILITARY_STATUSES).optional(),
      })
      .strict(),
    registrationAddress: z.string().trim().min(5).max(300),
    actualAddress: z.string().trim().min(5).max(300),
    cityPhone: z.string().regex(/^\d{9,10}$/, { message: 'must be 9 or 10 digits' }),
    mobilePhone: MobilePhone,
    extraPhones: z
      .array(z.string().regex(/^\+?\d{9,12}$/, { message: 'must be a phone number' }))
      .max(2),
    rooms: z.number().int().min(1).max(5),
    paymentIntent: z.enum(['mortgage', 'own_funds', 'both']),
    email: z.email(),
    smsOptIn: z.boolean(),
    lang: z.enum(['az', 'en']),
    proxy: z
      .object({
        fin: Fin,
        powerOfAttorneyNumber: z.string().regex(/^\d{13}$/, { message: 'must be 13 digits' }),
      })
      .strict(),
  })
  .partial()
  .strict();

export type ApplicationForm = z.infer<typeof ApplicationFormFields>;

export interface FormProblem {
  field: string;
  message: string;
}

/** The fields every application must have at submission (000 §2.1); the API document lists them. */
export const SUBMISSION_REQUIRED = [
  'category',
  'maritalStatus',
  'registrationAddress',
  'mobilePhone',
  'email',
  'rooms',
  'paymentIntent',
] as const satisfies readonly (keyof ApplicationForm)[];

/** A married applicant names the spouse and where the marriage was registered (000 §2.1.5: "evli olduğu halda - nikahın qeydiyyat ölkəsini"). */
export const MARRIED_REQUIRED = [
  'spouse',
  'marriageCountry',
] as const satisfies readonly (keyof ApplicationForm)[];

/**
 * What must be present before signing (000 §2.1): e-mail is mandatory, SMS optional; a married
 * applicant names the spouse and where the marriage was registered; young-family categories
 * (000 §2.1.5: 1–7) are only for members of a young family — married, or a single parent with a
 * child, who must upload a notarised copy of a child's birth certificate; a proxy applies with
 * a notarised power of attorney and a copy of their ID (003 §5.4). Ages are checked against the
 * identity registry by the category-evidence check.
 */
export function requireComplete(form: ApplicationForm, documentKinds: string[]): FormProblem[] {
  const problems: FormProblem[] = [];
  const need = (field: keyof ApplicationForm, message = 'is required to submit') => {
    if (form[field] === undefined) problems.push({ field, message });
  };
  for (const field of SUBMISSION_REQUIRED)
    need(
      field,
      field === 'email'
        ? 'is required to submit: notices are sent by e-mail (000 §2.1)'
        : undefined,
    );
  if (form.maritalStatus === 'married') {
    for (const field of MARRIED_REQUIRED) need(field, 'is required for a married applicant');
  } else if (form.spouse) {
    problems.push({ field: 'spouse', message: 'only a married applicant names a spouse' });
  }
  const youngFamilyCategory =
    form.category !== undefined &&
    (YOUNG_FAMILY_CATEGORIES as readonly number[]).includes(form.category);
  if (youngFamilyCategory && form.maritalStatus !== 'married') {
    if (!form.singleParent || !(form.children?.length ?? 0)) {
      problems.push({
        field: 'category',
        message: `category ${form.category} is only for members of a young family (000 §2.1.5): married, or a single parent with a child`,
      });
    } else if (!documentKinds.includes('child-birth-certificate')) {
      problems.push({
        field: 'documents',
        message:
          "a single parent must upload a notarised copy of a child's birth certificate (000 §2.1.5)",
      });
    }
  }
  if (form.singleParent && form.maritalStatus === 'married') {
    problems.push({ field: 'singleParent', message: 'a married applicant is not a single parent' });
  }
  problems.push(...requireCategoryAnswers(form));
  if (form.proxy) {
    for (const kind of ['power-of-attorney', 'proxy-id']) {
      if (!documentKinds.includes(kind))
        problems.push({
          field: 'documents',
          message: `a proxy application needs the ${kind} document (003 §5.4)`,
        });
    }
  }
  return problems;
}

export type CategoryQuestion =
  'kinship' | 'heroStatus' | 'specialCivilService' | 'diplomaCountry' | 'militaryStatus';

/** Which question of 000 §2.1.5 each category asks (the marriage country is asked of all). */
export const CATEGORY_QUESTIONS: Record<CategoryQuestion, readonly number[]> = {
  kinship: [1, 2],
  heroStatus: [2],
  specialCivilService: [4],
  diplomaCountry: [6, 8],
  militaryStatus: [10],
};

/**
 * The category questions of 000 §2.1.5, at submission: (1) martyr family — kinship, spouse or
 * child; (2) National Hero — kinship (self, spouse, child) and, "where required", whether the
 * hero is alive or deceased: required when the applicant is the hero's spouse or child, not
 * asked of the hero himself (README, legal readings); (4) special civil service yes/no; (6), (8)
 * the diploma's country; (10) reserve/retired or serving. An answer to another category's
 * question is named too, so the file carries only what its category asks.
 */
export function requireCategoryAnswers(form: ApplicationForm): FormProblem[] {
  const category = form.category;
  if (category === undefined) return [];
  const details = form.categoryDetails ?? {};
  const problems: FormProblem[] = [];
  const field = (q: CategoryQuestion) => `categoryDetails.${q}`;
  const asked = (q: CategoryQuestion) => CATEGORY_QUESTIONS[q].includes(category);
  for (const q of Object.keys(CATEGORY_QUESTIONS) as CategoryQuestion[]) {
    const answered = details[q] !== undefined;
    if (!asked(q)) {
      if (answered)
        problems.push({
          field: field(q),
          message: `is not asked for category ${category} (000 §2.1.5)`,
        });
      continue;
    }
    if (q === 'heroStatus') {
      if (details.kinship === 'self') {
        if (answered && details.heroStatus !== 'alive')
          problems.push({ field: field(q), message: 'the applicant is the hero (000 §2.1.5 (2))' });
      } else if (!answered) {
        problems.push({
          field: field(q),
          message: "is required for the hero's spouse or child: alive or deceased (000 §2.1.5 (2))",
        });
      }
      continue;
    }
    if (!answered) {
      problems.push({
        field: field(q),
        message: `is required to submit in category ${category} (000 §2.1.5 (${category}))`,
      });
      continue;
    }
    if (q === 'kinship' && category === 1 && details.kinship === 'self')
      problems.push({
        field: field(q),
        message: "category 1 is for a martyr's spouse or child (000 §2.1.5 (1))",
      });
  }
  return problems;
}

/** An uploaded document as the submission checks it. */
export interface UploadedDocument {
  kind: string;
  issueDate: string | null;
  issuer: string | null;
}

/**
 * 000 §2.1.10–2.1.11: each document is entered with its details — the issue date and the issuing
 * body are shown under the form ("verilmə tarixi, verən orqan"); only the note ("Sənəd
 * haqqında") is optional. An upload may come first and its details later (a draft), so this is
 * checked at submission.
 */
export function requireDocumentDetails(documents: UploadedDocument[]): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const d of documents) {
    if (!d.issueDate)
      problems.push({
        field: `documents.${d.kind}.issueDate`,
        message: 'the issue date of the document is required to submit (000 §2.1.10–2.1.11)',
      });
    if (!d.issuer?.trim())
      problems.push({
        field: `documents.${d.kind}.issuer`,
        message: 'the issuing body of the document is required to submit (000 §2.1.10–2.1.11)',
      });
  }
  return problems;
}
