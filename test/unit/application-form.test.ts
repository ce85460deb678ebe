import { describe, expect, it } from '@jest/globals';
import {
  ApplicationFormFields,
  requireComplete,
  type ApplicationForm,
} from '../../src/cases/application-form.js';

const complete: ApplicationForm = {
  maritalStatus: 'married',
  marriageCountry: 'Azerbaijan',
  spouse: { fin: '2BC3DE4' },
  category: 4,
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
