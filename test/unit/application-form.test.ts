import { describe, expect, it } from '@jest/globals';
import {
  ApplicationFormFields,
  requireCategoryAnswers,
  requireComplete,
  requireDocumentDetails,
  type ApplicationForm,
} from '../../src/cases/application-form.js';

const complete: ApplicationForm = {
  maritalStatus: 'married',
  marriageCountry: 'Azerbaijan',
  spouse: { fin: '2BC3DE4' },
  category: 4,
  categoryDetails: { specialCivilService: true },
  registrationAddress: 'Bakı ş., Nəsimi r., Test küç. 1',
  mobilePhone: { operatorCode: '50', number: '1234567' },
  email: 'test@example.az',
  rooms: 2,
  paymentIntent: 'mortgage',
};

describe('application form', () => {
  it('given a complete married applicant, then nothing is missing', () => {
    expect(requireComplete(complete, [])).toEqual([]);
  });

  it('given no e-mail, then submission names the e-mail as mandatory', () => {
    const { email: _e, ...form } = complete;
    expect(requireComplete(form, [])).toContainEqual(expect.objectContaining({ field: 'email' }));
  });

  it('given a married applicant without spouse, then the spouse and marriage country are named', () => {
    const { spouse: _s, marriageCountry: _m, ...form } = complete;
    expect(requireComplete(form, []).map((p) => p.field)).toEqual(
      expect.arrayContaining(['spouse', 'marriageCountry']),
    );
  });

  it('given a single applicant without children in a young-family category, then the category is refused', () => {
    const form: ApplicationForm = {
      ...complete,
      maritalStatus: 'single',
      spouse: undefined,
      marriageCountry: undefined,
    };
    expect(requireComplete(form, [])).toContainEqual(
      expect.objectContaining({
        field: 'category',
        message: expect.stringContaining('young family'),
      }),
    );
  });

  it('given a single applicant in a category open to anyone, then it is accepted', () => {
    const form: ApplicationForm = {
      ...complete,
      maritalStatus: 'single',
      spouse: undefined,
      marriageCountry: undefined,
      category: 9,
      categoryDetails: undefined,
    };
    expect(requireComplete(form, [])).toEqual([]);
  });

  it("given a single parent without the child's birth certificate, then the document is required", () => {
    const form: ApplicationForm = {
      ...complete,
      maritalStatus: 'divorced',
      spouse: undefined,
      marriageCountry: undefined,
      singleParent: true,
      children: [{ birthDate: '2020-01-01' }],
    };
    expect(requireComplete(form, [])).toContainEqual(
      expect.objectContaining({ field: 'documents' }),
    );
    expect(requireComplete(form, ['child-birth-certificate'])).toEqual([]);
  });

  it('given a proxy, then the power of attorney and the proxy ID are required', () => {
    const form: ApplicationForm = {
      ...complete,
      proxy: { fin: '9XY8ZW7', powerOfAttorneyNumber: '1234567890123' },
    };
    expect(requireComplete(form, ['power-of-attorney']).map((p) => p.message)).toEqual([
      expect.stringContaining('proxy-id'),
    ]);
  });

  it('given a foreign spouse with Cyrillic letters, then the name is refused', () => {
    const r = ApplicationFormFields.safeParse({
      spouse: { foreign: { firstName: 'Иван', lastName: 'Petrov' } },
    });
    expect(r.success).toBe(false);
  });

  it('given a foreign spouse without patronymic in Latin letters, then it is accepted', () => {
    expect(
      ApplicationFormFields.safeParse({
        spouse: { foreign: { firstName: 'John', lastName: "O'Brien" } },
      }).success,
    ).toBe(true);
  });

  it('given an unknown field, then the form is refused naming it', () => {
    const r = ApplicationFormFields.safeParse({ favouriteColour: 'blue' });
    expect(r.success).toBe(false);
  });
});

describe('000 §2.1.5 category questions (required at submission)', () => {
  const married: ApplicationForm = { ...complete, categoryDetails: undefined };
  const fields = (form: ApplicationForm) => requireCategoryAnswers(form).map((p) => p.field);

  it.each([
    [1, ['categoryDetails.kinship']],
    [2, ['categoryDetails.kinship', 'categoryDetails.heroStatus']],
    [4, ['categoryDetails.specialCivilService']],
    [6, ['categoryDetails.diplomaCountry']],
    [8, ['categoryDetails.diplomaCountry']],
    [10, ['categoryDetails.militaryStatus']],
    [3, []],
    [5, []],
    [7, []],
    [9, []],
    [11, []],
  ])('000 §2.1.5 (%i): given no answers, then submission names %j', (category, expected) => {
    expect(fields({ ...married, category })).toEqual(expected);
  });

  it('000 §2.1.5 (1): given kinship "self" for a martyr family, then it is refused: spouse or child only', () => {
    expect(fields({ ...married, category: 1, categoryDetails: { kinship: 'self' } })).toEqual([
      'categoryDetails.kinship',
    ]);
    expect(fields({ ...married, category: 1, categoryDetails: { kinship: 'child' } })).toEqual([]);
  });

  it('000 §2.1.5 (2): given the hero himself, then alive/deceased is not asked; the spouse or child must answer it', () => {
    expect(fields({ ...married, category: 2, categoryDetails: { kinship: 'self' } })).toEqual([]);
    expect(
      fields({
        ...married,
        category: 2,
        categoryDetails: { kinship: 'self', heroStatus: 'deceased' },
      }),
    ).toEqual(['categoryDetails.heroStatus']);
    expect(
      fields({
        ...married,
        category: 2,
        categoryDetails: { kinship: 'spouse', heroStatus: 'deceased' },
      }),
    ).toEqual([]);
  });

  it("000 §2.1.5: given an answer to another category's question, then it is named", () => {
    expect(
      fields({ ...married, category: 9, categoryDetails: { militaryStatus: 'serving' } }),
    ).toEqual(['categoryDetails.militaryStatus']);
  });

  it('000 §2.1.5: given a draft, then the schema accepts half-answered questions (required only at submission)', () => {
    expect(ApplicationFormFields.safeParse({ category: 10, categoryDetails: {} }).success).toBe(
      true,
    );
    expect(
      ApplicationFormFields.safeParse({ categoryDetails: { militaryStatus: 'conscript' } }).success,
    ).toBe(false);
  });
});

describe('000 §2.1.10–2.1.11 document details (required at submission)', () => {
  it('000 §2.1.10–2.1.11: given an upload without issue date and issuer, then both are named with the document kind', () => {
    expect(
      requireDocumentDetails([{ kind: 'category-evidence', issueDate: null, issuer: ' ' }]).map(
        (p) => p.field,
      ),
    ).toEqual(['documents.category-evidence.issueDate', 'documents.category-evidence.issuer']);
  });

  it('000 §2.1.10–2.1.11: given both details, then nothing is missing (the note stays optional)', () => {
    expect(
      requireDocumentDetails([
        { kind: 'category-evidence', issueDate: '2024-05-10', issuer: 'Notariat 5' },
      ]),
    ).toEqual([]);
  });
});
