import { describe, expect, it } from '@jest/globals';
import { ApplicationFormFields } from '../../src/cases/application-form.js';
import {
  ageOn,
  CATEGORY_EVIDENCE_SOURCE,
  categoryEvidenceSatisfied,
  checkCivilStatus,
  checkIdentity,
  checkProperty,
  CHILD_BIRTH_CERTIFICATE_DOCUMENT,
  isAzerbaijan,
  isYoungFamily,
  parseEligibilityForm,
  YOUNG_FAMILY_CATEGORIES,
  type EligibilityForm,
  type CategoryRegistryData,
} from '../../src/domain/eligibility.js';
import {
  CATEGORY_GROUNDS,
  ELIGIBILITY_GROUNDS,
  type CategoryNumber,
} from '../../src/domain/eligibility-grounds.js';
import { syntheticDataset, type Persona } from '../../dev/synthetic-citizens.js';
import type {
  CivilStatus,
  IdentityCard,
  RegistryCitizen,
  ServiceRecords,
} from '../../src/registry/types.js';

const AS_OF = '2026-03-16';

const card = (over: Partial<IdentityCard> = {}): IdentityCard => ({
  fin: 'TST0001',
  name: { lastName: 'Sınaqov', firstName: 'Persona', patronymic: 'Uydurma' },
  birthDate: '1995-05-05',
  idSeries: 'AA',
  idNumber: '9900001',
  issueDate: '2022-01-10',
  issuer: 'Uydurma İdarə',
  ...over,
});

const civil = (over: Partial<CivilStatus> = {}): CivilStatus => ({
  fin: 'TST0001',
  maritalStatus: 'single',
  spouse: null,
  marriageCountry: null,
  children: [],
  death: null,
  ...over,
});

const service = (over: Partial<ServiceRecords> = {}): ServiceRecords => ({
  fin: 'TST0001',
  civilService: { years: 0, special: false },
  military: { years: 0, conscriptYears: 0, status: null },
  internalAffairs: { years: 0, specialRank: null },
  stateSchoolTeaching: { years: 0 },
  ...over,
});

/** A married couple, both 30 on AS_OF: a young family. */
const youngCouple = (): Pick<CategoryRegistryData, 'civilStatus' | 'spouseIdentity'> => ({
  civilStatus: civil({
    maritalStatus: 'married',
    spouse: { fin: 'TST0002' },
    marriageCountry: 'AZ',
  }),
  spouseIdentity: card({ fin: 'TST0002', birthDate: '1996-01-01' }),
});

describe('age in completed years', () => {
  it('given the day before the birthday, then the year is not yet completed', () => {
    expect(ageOn('1991-03-17', AS_OF)).toBe(34);
  });

  it('given the birthday itself, then the year is completed', () => {
    expect(ageOn('1991-03-16', AS_OF)).toBe(35);
  });

  it('given a birthday on 29 February, then in a common year it is completed on 1 March, not 28 February', () => {
    expect(ageOn('2000-02-29', '2035-02-28')).toBe(34);
    expect(ageOn('2000-02-29', '2035-03-01')).toBe(35);
  });
});

describe('young family (000 §2.1.5)', () => {
  const couple = (applicant: string, spouse: string | null) =>
    isYoungFamily({
      applicantBirthDate: applicant,
      maritalStatus: 'married',
      spouseBirthDate: spouse,
      children: [],
      asOf: AS_OF,
    });

  it('given a married couple both turning exactly 35 today, then it is a young family (35 counts)', () => {
    expect(couple('1991-03-16', '1991-03-16')).toEqual({
      youngFamily: true,
      basis: 'married-couple',
      requiredDocuments: [],
      reasons: [],
    });
  });

  it('given the applicant one day before turning 36, then it is still a young family', () => {
    expect(couple('1990-03-17', '1995-01-01').youngFamily).toBe(true);
  });

  it('given the applicant turning 36 today, then it is not a young family', () => {
    expect(couple('1990-03-16', '1995-01-01')).toEqual(
      expect.objectContaining({ youngFamily: false, reasons: ['applicant-over-35'] }),
    );
  });

  it('given the spouse aged 36, then it is not a young family', () => {
    expect(couple('1995-01-01', '1990-01-01').reasons).toEqual(['spouse-over-35']);
  });

  it('given both spouses over 35, then both reasons are given', () => {
    expect(couple('1980-01-01', '1982-01-01').reasons).toEqual([
      'applicant-over-35',
      'spouse-over-35',
    ]);
  });

  it('given a married applicant whose spouse’s birth date is unknown, then it is not established', () => {
    expect(couple('1995-01-01', null).reasons).toEqual(['spouse-birth-date-unknown']);
  });

  it('given a single parent aged 35 or less with a child, then it is a young family that must upload the notarised birth certificate', () => {
    const result = isYoungFamily({
      applicantBirthDate: '1996-01-01',
      maritalStatus: 'divorced',
      children: [{ birthDate: '2022-06-01' }],
      asOf: AS_OF,
    });
    expect(result).toEqual({
      youngFamily: true,
      basis: 'single-parent',
      requiredDocuments: [CHILD_BIRTH_CERTIFICATE_DOCUMENT],
      reasons: [],
    });
  });

  it('given a widowed parent aged 35 with a child, then it is a young family', () => {
    const result = isYoungFamily({
      applicantBirthDate: '1991-03-16',
      maritalStatus: 'widowed',
      children: [{ birthDate: '2020-01-01' }],
      asOf: AS_OF,
    });
    expect(result.basis).toBe('single-parent');
  });

  it('given a single person without a child, then it is not a young family', () => {
    const result = isYoungFamily({
      applicantBirthDate: '1998-01-01',
      maritalStatus: 'single',
      children: [],
      asOf: AS_OF,
    });
    expect(result).toEqual(
      expect.objectContaining({ youngFamily: false, reasons: ['single-without-child'] }),
    );
  });

  it('given a single parent aged 36 with a child, then it is not a young family', () => {
    const result = isYoungFamily({
      applicantBirthDate: '1990-01-01',
      maritalStatus: 'single',
      children: [{ birthDate: '2019-01-01' }],
      asOf: AS_OF,
    });
    expect(result.reasons).toEqual(['applicant-over-35']);
  });

  it('given a child born only after the reference day, then it does not count', () => {
    const result = isYoungFamily({
      applicantBirthDate: '1998-01-01',
      maritalStatus: 'single',
      children: [{ birthDate: '2026-04-01' }],
      asOf: AS_OF,
    });
    expect(result.reasons).toEqual(['single-without-child']);
  });
});

describe('identity check (003 §5.3.2)', () => {
  const form = (over: EligibilityForm = {}): EligibilityForm => ({
    idSeries: 'AA',
    idNumber: '9900001',
    idIssueDate: '2022-01-10',
    ...over,
  });

  it('given the form’s ID card as in the registry, then it passes citing 003 §5.3.2', () => {
    expect(checkIdentity(card(), form())).toEqual({
      passed: true,
      reasons: [],
      legalGround: '003 §5.3.2; 000 §2.1.1',
      groundCode: 'identity-matches-registry',
      notes: [],
    });
  });

  it('given a different ID number on the form, then it fails naming the number', () => {
    expect(checkIdentity(card(), form({ idNumber: '1234567' })).reasons).toEqual([
      'id-number-mismatch',
    ]);
  });

  it('given a different series and issue date, then it fails naming both', () => {
    expect(
      checkIdentity(card(), form({ idSeries: 'AZE', idIssueDate: '2021-01-10' })).reasons,
    ).toEqual(['id-series-mismatch', 'id-issue-date-mismatch']);
  });

  it('given the series in lower case and the number with spaces, then it still matches', () => {
    expect(checkIdentity(card(), form({ idSeries: 'aa', idNumber: '990 0001' })).passed).toBe(true);
  });

  it('given a FIN the registry does not know, then it fails', () => {
    expect(checkIdentity(null, form()).reasons).toEqual(['not-in-identity-registry']);
  });

  it('given a form without ID card fields, then it passes with a note (pre-filled from the registry)', () => {
    expect(checkIdentity(card(), {})).toEqual(
      expect.objectContaining({ passed: true, notes: ['id-card-not-on-form'] }),
    );
  });
});

describe('civil-status check (000 §2.1.1–2.1.4)', () => {
  const marriedAz = civil({
    maritalStatus: 'married',
    spouse: { fin: 'TST0002' },
    marriageCountry: 'AZ',
  });
  const marriedForeign = civil({
    maritalStatus: 'married',
    spouse: { foreign: { firstName: 'JOHN', lastName: 'SAMPLE', patronymic: null } },
    marriageCountry: 'GE',
  });
  const foreignForm = (f: Record<string, string>): EligibilityForm => ({
    maritalStatus: 'married',
    spouse: { foreign: { firstName: 'John', lastName: 'Sample', ...f } },
  });

  it('given an Azerbaijani spouse named by the registry’s FIN, then it passes', () => {
    const result = checkCivilStatus(
      marriedAz,
      { maritalStatus: 'married', spouse: { fin: 'tst0002' } },
      'TST0002',
    );
    expect(result).toEqual(
      expect.objectContaining({ passed: true, legalGround: '000 §2.1.1–2.1.4' }),
    );
  });

  it('given another spouse FIN than the registry’s, then it fails with spouse-mismatch', () => {
    const result = checkCivilStatus(marriedAz, { spouse: { fin: 'TST0009' } }, 'TST0009');
    expect(result.reasons).toEqual(['spouse-mismatch']);
  });

  it('given a married applicant who names no spouse, then it fails with spouse-missing', () => {
    expect(checkCivilStatus(marriedAz, { maritalStatus: 'married' }, null).reasons).toEqual([
      'spouse-missing',
    ]);
  });

  it('given the form’s spouse FIN differs from the application’s, then it fails as inconsistent', () => {
    const result = checkCivilStatus(marriedAz, { spouse: { fin: 'TST0002' } }, 'TST0003');
    expect(result.reasons).toContain('spouse-fin-inconsistent');
  });

  it('given the form says single while the registry says married, then it fails', () => {
    expect(checkCivilStatus(marriedAz, { maritalStatus: 'single' }, null).reasons).toEqual([
      'marital-status-mismatch',
    ]);
  });

  it('given a foreign spouse typed in Latin letters in another case and without patronymic, then it passes', () => {
    expect(checkCivilStatus(marriedForeign, foreignForm({}), null).passed).toBe(true);
  });

  it('given a foreign spouse whose name differs, then it fails with spouse-mismatch', () => {
    expect(
      checkCivilStatus(marriedForeign, foreignForm({ lastName: 'Other' }), null).reasons,
    ).toEqual(['spouse-mismatch']);
  });

  it('given a patronymic on the form only, then it is not compared', () => {
    expect(
      checkCivilStatus(marriedForeign, foreignForm({ patronymic: 'Peter' }), null).passed,
    ).toBe(true);
  });

  it('given different patronymics on both sides, then it fails', () => {
    const registry = civil({
      ...marriedForeign,
      spouse: { foreign: { firstName: 'JOHN', lastName: 'SAMPLE', patronymic: 'PAUL' } },
    });
    expect(checkCivilStatus(registry, foreignForm({ patronymic: 'Peter' }), null).reasons).toEqual([
      'spouse-mismatch',
    ]);
  });

  it('given a foreign spouse’s name not in Latin letters, then it fails (000 §2.1.4)', () => {
    expect(
      checkCivilStatus(marriedForeign, foreignForm({ firstName: 'Cəmil' }), null).reasons,
    ).toContain('foreign-spouse-name-not-latin');
  });

  it('given a foreign spouse on the form where the registry has an Azerbaijani one, then it fails', () => {
    expect(checkCivilStatus(marriedAz, foreignForm({}), null).reasons).toEqual(['spouse-mismatch']);
  });

  it('given a spouse on the form of an applicant the registry has as single, then it fails', () => {
    expect(checkCivilStatus(civil(), { spouse: { fin: 'TST0002' } }, 'TST0002').reasons).toEqual([
      'spouse-not-in-registry',
    ]);
  });

  it('given a marriage registered abroad the registry does not know, then it fails for the reviewer to check the certificate', () => {
    const result = checkCivilStatus(civil(), { ...foreignForm({}), marriageCountry: 'TR' }, null);
    expect(result.reasons).toEqual(['marriage-abroad-not-in-registry']);
  });

  it('given the registry records the applicant’s death, then it fails', () => {
    const result = checkCivilStatus(civil({ death: { date: '2026-03-01' } }), {}, null);
    expect(result.reasons).toEqual(['applicant-deceased']);
  });

  it('given a FIN the registry does not know, then it fails', () => {
    expect(checkCivilStatus(null, {}, null).reasons).toEqual(['not-in-civil-status-registry']);
  });
});

describe('category evidence: the thresholds of 000 §2.1.5', () => {
  const evaluate = (category: number, data: Partial<CategoryRegistryData>, form = {}) =>
    categoryEvidenceSatisfied(
      category,
      { identity: card(), ...youngCouple(), ...data },
      form,
      AS_OF,
    );

  it.each([
    [4, { civilService: { years: 3, special: false } }, true],
    [4, { civilService: { years: 2.9, special: true } }, false],
    [5, { stateSchoolTeaching: { years: 5 } }, true],
    [5, { stateSchoolTeaching: { years: 4.5 } }, false],
    [9, { civilService: { years: 15, special: false } }, true],
    [9, { civilService: { years: 14 } as ServiceRecords['civilService'] }, false],
    [10, { military: { years: 3, conscriptYears: 0, status: 'serving' } }, true],
    [10, { military: { years: 4, conscriptYears: 0, status: 'retired' } }, true],
    [10, { military: { years: 2, conscriptYears: 2, status: 'reserve' } }, false],
    [11, { internalAffairs: { years: 3, specialRank: 'leytenant' } }, true],
    [11, { internalAffairs: { years: 2, specialRank: 'leytenant' } }, false],
  ] as [number, Partial<ServiceRecords>, boolean][])(
    'given category %i and service %j, then passed is %s',
    (category, records, passed) => {
      expect(evaluate(category, { serviceRecords: service(records) }).passed).toBe(passed);
    },
  );

  it('given only conscript service for category 10, then it fails with conscript-service-only', () => {
    const result = evaluate(10, {
      serviceRecords: service({ military: { years: 0, conscriptYears: 1.5, status: 'reserve' } }),
    });
    expect(result.reasons).toEqual(['conscript-service-only']);
  });

  it('given 3 years of military service plus conscript years, then the conscript years are reported apart', () => {
    const result = evaluate(10, {
      serviceRecords: service({ military: { years: 3, conscriptYears: 1.5, status: 'reserve' } }),
    });
    expect(result.evidence).toEqual(
      expect.objectContaining({ militaryYears: 3, conscriptYears: 1.5, militaryStatus: 'reserve' }),
    );
  });

  it('given internal-affairs service without a special rank, then category 11 fails', () => {
    const result = evaluate(11, {
      serviceRecords: service({ internalAffairs: { years: 5, specialRank: null } }),
    });
    expect(result.reasons).toEqual(['no-special-rank']);
  });

  it('given the martyr’s parent for category 1, then it fails (spouse and children only)', () => {
    const result = evaluate(1, { martyrFamily: { fin: 'TST0001', relation: 'parent' } });
    expect(result.reasons).toEqual(['not-martyr-spouse-or-child']);
  });

  it.each(['self', 'spouse', 'child'] as const)(
    'given the hero relation "%s" for category 2, then it passes (hero alive or deceased)',
    (relation) => {
      const result = evaluate(2, { heroFamily: { fin: 'TST0001', relation, heroAlive: false } });
      expect(result.passed).toBe(true);
    },
  );

  it('given a person equal to an IDP for category 3, then it passes', () => {
    expect(evaluate(3, { idp: { fin: 'TST0001', status: 'equivalent' } }).passed).toBe(true);
  });

  it('given a PhD with a foreign diploma for category 6, then it passes and the country is recorded', () => {
    const result = evaluate(6, {
      degrees: {
        fin: 'TST0001',
        degrees: [{ kind: 'phd', diplomaCountry: 'FR', awardedOn: '2020-01-01' }],
      },
    });
    expect(result).toEqual(
      expect.objectContaining({
        passed: true,
        evidence: expect.objectContaining({ degree: 'phd', diplomaCountry: 'FR' }),
      }),
    );
  });

  it('given a diploma country on the form other than the registry’s, then it passes with a note', () => {
    const result = evaluate(
      8,
      {
        degrees: {
          fin: 'TST0001',
          degrees: [{ kind: 'doctor-of-sciences', diplomaCountry: 'AZ', awardedOn: '2020-01-01' }],
        },
      },
      { diplomaCountry: 'TR' },
    );
    expect(result).toEqual(
      expect.objectContaining({ passed: true, notes: ['diploma-country-differs-from-form'] }),
    );
  });

  it('given no special services in sport for category 7, then it fails', () => {
    const result = evaluate(7, { sport: { fin: 'TST0001', specialServices: false, basis: null } });
    expect(result.reasons).toEqual(['no-special-services-in-sport']);
  });

  it('given the evidence registry does not know the person, then it fails naming the registry', () => {
    expect(evaluate(4, { serviceRecords: null }).reasons).toEqual([
      'not-in-service-records-registry',
    ]);
    expect(evaluate(1, { martyrFamily: null }).reasons).toEqual(['not-in-martyr-family-registry']);
  });
});

describe('category evidence: young family and grounds', () => {
  const teacher = service({ stateSchoolTeaching: { years: 6 } });

  it('given categories 1–7, then each needs a young family; 8–11 do not', () => {
    expect([...YOUNG_FAMILY_CATEGORIES]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('given a passing category 5 for a young couple, then it cites the category’s ground', () => {
    const result = categoryEvidenceSatisfied(
      5,
      { identity: card(), ...youngCouple(), serviceRecords: teacher },
      {},
      AS_OF,
    );
    expect(result).toEqual(
      expect.objectContaining({
        passed: true,
        reasons: [],
        legalGround: '003 §2.1; 000 §2.1.5 (5)',
        groundCode: 'category-5-state-school-teacher-5y',
        evidence: expect.objectContaining({ youngFamily: 'married-couple' }),
      }),
    );
  });

  it('given the evidence holds but the family is not young, then the refusal rests on the young-family ground', () => {
    const result = categoryEvidenceSatisfied(
      5,
      {
        identity: card({ birthDate: '1980-01-01' }),
        ...youngCouple(),
        serviceRecords: teacher,
      },
      {},
      AS_OF,
    );
    expect(result).toEqual(
      expect.objectContaining({
        passed: false,
        reasons: ['not-young-family', 'applicant-over-35'],
        legalGround: '000 §2.1.5',
        groundCode: 'young-family',
      }),
    );
  });

  it('given neither the evidence nor a young family, then the category’s ground is cited with every reason', () => {
    const result = categoryEvidenceSatisfied(
      5,
      { identity: card({ birthDate: '1980-01-01' }), ...youngCouple(), serviceRecords: service() },
      {},
      AS_OF,
    );
    expect(result.legalGround).toBe('003 §2.1; 000 §2.1.5 (5)');
    expect(result.reasons).toEqual([
      'teaching-under-5-years',
      'not-young-family',
      'applicant-over-35',
    ]);
  });

  it('given category 9 for a single 60-year-old, then age and marital status do not matter', () => {
    const result = categoryEvidenceSatisfied(
      9,
      {
        identity: card({ birthDate: '1966-01-01' }),
        serviceRecords: service({ civilService: { years: 20, special: false } }),
      },
      {},
      AS_OF,
    );
    expect(result).toEqual(expect.objectContaining({ passed: true, youngFamily: null }));
  });

  it('given a single parent for category 3, then the notarised child birth certificate is required', () => {
    const result = categoryEvidenceSatisfied(
      3,
      {
        identity: card({ birthDate: '1997-01-01' }),
        civilStatus: civil({
          maritalStatus: 'divorced',
          children: [{ birthDate: '2021-01-01', fin: null }],
        }),
        idp: { fin: 'TST0001', status: 'idp' },
      },
      { singleParent: true },
      AS_OF,
    );
    expect(result).toEqual(
      expect.objectContaining({
        passed: true,
        requiredDocuments: [CHILD_BIRTH_CERTIFICATE_DOCUMENT],
        evidence: expect.objectContaining({ youngFamily: 'single-parent' }),
      }),
    );
  });

  it('given a foreign spouse whose birth date the registry holds, then the couple’s ages decide', () => {
    const data = (spouseBirth: string): CategoryRegistryData => ({
      identity: card({ birthDate: '1995-01-01' }),
      civilStatus: civil({
        maritalStatus: 'married',
        spouse: { foreign: { firstName: 'JOHN', lastName: 'SAMPLE', birthDate: spouseBirth } },
        marriageCountry: 'GE',
      }),
      serviceRecords: teacher,
    });
    expect(categoryEvidenceSatisfied(5, data('1994-01-01'), {}, AS_OF).passed).toBe(true);
    expect(categoryEvidenceSatisfied(5, data('1985-01-01'), {}, AS_OF).reasons).toContain(
      'spouse-over-35',
    );
  });

  it('given a foreign spouse without a birth date in the registry, then the form’s passport date is used, else it is unknown', () => {
    const data: CategoryRegistryData = {
      identity: card({ birthDate: '1995-01-01' }),
      civilStatus: civil({
        maritalStatus: 'married',
        spouse: { foreign: { firstName: 'JOHN', lastName: 'SAMPLE' } },
        marriageCountry: 'GE',
      }),
      serviceRecords: teacher,
    };
    const withDate: EligibilityForm = {
      spouse: { foreign: { firstName: 'John', lastName: 'Sample', birthDate: '1996-02-02' } },
    };
    expect(categoryEvidenceSatisfied(5, data, withDate, AS_OF).passed).toBe(true);
    expect(categoryEvidenceSatisfied(5, data, {}, AS_OF).reasons).toContain(
      'spouse-birth-date-unknown',
    );
  });

  it('given no category on the application, then it fails citing 003 §5.3.3', () => {
    expect(categoryEvidenceSatisfied(null, { identity: card() }, {}, AS_OF)).toEqual(
      expect.objectContaining({
        passed: false,
        reasons: ['no-category'],
        legalGround: '003 §5.3.3; 003 §5.5',
      }),
    );
  });

  it('given a FIN the identity registry does not know, then it fails', () => {
    expect(categoryEvidenceSatisfied(9, { identity: null }, {}, AS_OF).reasons).toEqual([
      'not-in-identity-registry',
    ]);
  });

  it('given every category, then its ground cites 003 §2.1 and its item of 000 §2.1.5 in both languages', () => {
    for (let c = 1; c <= 11; c++) {
      const g = CATEGORY_GROUNDS[c as CategoryNumber];
      expect(g.citation).toBe(`003 §2.1; 000 §2.1.5 (${c})`);
      expect(g.az.length).toBeGreaterThan(10);
      expect(g.en.length).toBeGreaterThan(10);
    }
  });
});

describe('property (003 §2: owning a dwelling is not a bar)', () => {
  const holdings = (
    fin: string,
    dwellings: { address: string; areaM2: number; share: number }[],
  ) => ({
    fin,
    dwellings,
  });

  it('given no dwellings, then it passes with nothing recorded', () => {
    expect(checkProperty([holdings('TST0001', [])])).toEqual({
      passed: true,
      reasons: [],
      legalGround: ELIGIBILITY_GROUNDS.PROPERTY_NOT_A_CONDITION.citation,
      groundCode: 'property-not-a-condition',
      notes: [],
      dwellingCount: 0,
      totalAreaM2: 0,
    });
  });

  it('given the family owns dwellings, then it still passes and records count and area', () => {
    const result = checkProperty([
      holdings('TST0001', [
        { address: 'A küç. 1', areaM2: 75.5, share: 1 },
        { address: 'B pr. 2', areaM2: 90, share: 0.5 },
      ]),
      holdings('TST0002', [{ address: 'b  PR. 2', areaM2: 90, share: 0.5 }]),
    ]);
    expect(result).toEqual(
      expect.objectContaining({
        passed: true,
        notes: ['owns-dwelling'],
        dwellingCount: 2,
        totalAreaM2: 165.5,
      }),
    );
  });

  it('given a FIN the real-estate registry does not know, then nothing is held and it passes', () => {
    expect(checkProperty([null])).toEqual(
      expect.objectContaining({ passed: true, dwellingCount: 0 }),
    );
  });
});

describe('the stored form is read leniently', () => {
  it('given the portal’s form shape (idCard, categoryDetails), then the rules read the same facts', () => {
    expect(
      parseEligibilityForm({
        idCard: { series: 'AA', number: '9900001', issueDate: '2022-01-10', issuer: 'X' },
        maritalStatus: 'married',
        marriageCountry: 'Azerbaijan',
        spouse: { fin: 'TST0002' },
        category: 4,
        categoryDetails: { specialCivilService: true, diplomaCountry: 'AZ' },
        email: 'someone@example.az',
      }),
    ).toEqual({
      idSeries: 'AA',
      idNumber: '9900001',
      idIssueDate: '2022-01-10',
      maritalStatus: 'married',
      marriageCountry: 'Azerbaijan',
      spouse: { fin: 'TST0002' },
      specialCivilService: true,
      diplomaCountry: 'AZ',
    });
  });

  it.each(['AZ', 'Azerbaijan', 'azərbaycan', ' AZERBAİJAN '])(
    'given the marriage country "%s", then it is Azerbaijan',
    (c) => {
      expect(isAzerbaijan(c)).toBe(true);
    },
  );

  it('given Georgia as the marriage country, then it is abroad', () => {
    expect(isAzerbaijan('Georgia')).toBe(false);
  });

  it('given a missing form column (NULL), then the form is empty', () => {
    expect(parseEligibilityForm(null)).toEqual({});
  });

  it('given fields of the wrong shape, then only those are dropped', () => {
    expect(
      parseEligibilityForm({
        idNumber: '9900001',
        maritalStatus: 'complicated',
        children: 'two',
        marriageCountry: 'ge',
        spouse: { fin: 'TST0002' },
      }),
    ).toEqual({ idNumber: '9900001', marriageCountry: 'ge', spouse: { fin: 'TST0002' } });
  });
});

// The persona table is the contract the stand-in and the integration tests rely on.
describe('synthetic personas: every expectation holds under the pure rules', () => {
  const dataset = syntheticDataset(AS_OF);
  const get = (fin: string | null | undefined): RegistryCitizen | undefined =>
    fin ? dataset.citizens.get(fin) : undefined;

  function evaluate(p: Persona) {
    const me = get(p.fin);
    const form = parseEligibilityForm(p.application.form);
    const category = p.application.category;
    const data: CategoryRegistryData = { identity: me?.identity ?? null };
    if (me) {
      if (YOUNG_FAMILY_CATEGORIES.includes(category)) {
        data.civilStatus = me.civilStatus;
        const s = me.civilStatus.spouse;
        if (s && 'fin' in s) data.spouseIdentity = get(s.fin)?.identity ?? null;
      }
      const source = CATEGORY_EVIDENCE_SOURCE[category];
      Object.assign(data, { [source]: me[source] });
    }
    const spouseFin = p.application.spouseFin;
    return {
      identity: checkIdentity(me?.identity ?? null, form),
      civilStatus: checkCivilStatus(me?.civilStatus ?? null, form, spouseFin),
      categoryEvidence: categoryEvidenceSatisfied(category, data, form, AS_OF),
      property: checkProperty([me?.property ?? null, get(spouseFin)?.property ?? null]),
    };
  }

  it('given the table, then it covers every category passing and failing and every FIN is 7 characters [0-9A-Z]', () => {
    for (let c = 1; c <= 11; c++) {
      const own = dataset.personas.filter((p) => p.application.category === c);
      expect(own.some((p) => p.expected.categoryEvidence)).toBe(true);
      expect(own.some((p) => !p.expected.categoryEvidence)).toBe(true);
    }
    for (const fin of [...dataset.citizens.keys(), ...dataset.personas.map((p) => p.fin)])
      expect(fin).toMatch(/^[0-9A-Z]{7}$/);
    expect(new Set(dataset.personas.map((p) => p.key)).size).toBe(dataset.personas.length);
  });

  it('given every persona’s form, then the portal’s form schema accepts it', () => {
    for (const p of dataset.personas) {
      const parsed = ApplicationFormFields.safeParse(p.application.form);
      expect({ key: p.key, ok: parsed.success }).toEqual({ key: p.key, ok: true });
    }
  });

  it('given the data set is built on 29 February, then "turns 35 today" and "turns 36 today" still hold', () => {
    const leapDay = syntheticDataset('2028-02-29');
    const age = (fin: string) => ageOn(leapDay.citizens.get(fin)!.identity.birthDate, leapDay.asOf);
    expect(age('SYY35EX')).toBe(35);
    expect(age('SYY36NO')).toBe(36);
  });

  it.each(dataset.personas.map((p) => [p.key, p] as const))(
    'given persona %s, then the four checks give what the table says',
    (_key, p) => {
      const got = evaluate(p);
      expect({
        identity: got.identity.passed,
        civilStatus: got.civilStatus.passed,
        categoryEvidence: got.categoryEvidence.passed,
        property: got.property.passed,
      }).toEqual({
        identity: p.expected.identity,
        civilStatus: p.expected.civilStatus,
        categoryEvidence: p.expected.categoryEvidence,
        property: p.expected.property,
      });
      if (p.expected.reason) {
        const reasons = Object.values(got).flatMap((r) => r.reasons);
        expect(reasons).toContain(p.expected.reason);
      }
    },
  );
});
