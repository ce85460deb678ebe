import { describe, expect, it } from '@jest/globals';
import {
  citizenshipCheck,
  familyHoldings,
  housingNeed,
  worseningBar,
} from '../../src/domain/housing-need.js';

describe('housing need against the registration norm (49.4, 50.2)', () => {
  it('given 36 m² for a family of five and a norm of 9 m², then 7.2 m² per person is below the norm', () => {
    expect(housingNeed([{ areaM2: 36, share: 1 }], 5, 9)).toEqual(
      expect.objectContaining({ areaPerPersonM2: 7.2, needsHousing: true }),
    );
  });
  it('given two dwellings, then their areas are summed (50.2)', () => {
    const r = housingNeed(
      [
        { areaM2: 30, share: 1 },
        { areaM2: 40, share: 0.5 },
      ],
      5,
      9,
    );
    expect(r.totalAreaM2).toBe(50);
    expect(r.needsHousing).toBe(false);
  });
  it('given exactly the norm per person, then the family does not need housing', () => {
    expect(housingNeed([{ areaM2: 27, share: 1 }], 3, 9).needsHousing).toBe(false);
  });
  it('given no dwelling at all, then the family needs housing', () => {
    expect(housingNeed([], 2, 9).needsHousing).toBe(true);
  });
  it('given an empty family, then it is an error', () => {
    expect(() => housingNeed([], 0, 9)).toThrow(RangeError);
  });
});

describe('the bar after deliberately worsening housing (52, 53.1.3)', () => {
  it('given worsening 2 years before the application, then registration is barred until the period ends', () => {
    expect(worseningBar('2024-05-01', '2029-05-01', '2026-05-01')).toEqual(
      expect.objectContaining({ barred: true, until: '2029-05-01' }),
    );
  });
  it('given the period has passed, then nothing bars registration', () => {
    expect(worseningBar('2019-05-01', '2024-05-01', '2026-05-01').barred).toBe(false);
  });
  it('given no worsening, then nothing bars registration', () => {
    expect(worseningBar(null, null, '2026-05-01').barred).toBe(false);
  });
});

describe('the family’s holdings (50.2): declared and from the registry', () => {
  it('given a dwelling both spouses own half of, then it counts once, whole', () => {
    const held = familyHoldings(
      [],
      [
        { address: 'Uydurma pr. 2, mənzil 7', areaM2: 90, share: 0.5 },
        { address: 'uydurma pr 2 mənzil 7', areaM2: 90, share: 0.5 },
      ],
    );
    expect(held).toEqual([expect.objectContaining({ areaM2: 90, share: 1 })]);
  });
  it('given a declared dwelling the registry also holds, then the registry’s record is used', () => {
    const held = familyHoldings(
      [{ address: 'Test küç. 5', areaM2: 20, share: 1 }],
      [{ address: 'Test küç. 5', areaM2: 24, share: 1 }],
    );
    expect(held).toEqual([expect.objectContaining({ areaM2: 24 })]);
  });
  it('given a declared dwelling the registry does not know, then it still counts', () => {
    expect(familyHoldings([{ address: 'Kirayə mənzil 3', areaM2: 30, share: 1 }], [])).toHaveLength(
      1,
    );
  });
});

describe('Housing Code 48.3: foreigners and stateless persons', () => {
  it.each([
    ['AZ', 'citizen', true],
    ['GE', 'foreigner', false],
    [null, 'stateless', false],
    [undefined, 'unknown', null],
  ] as const)(
    'Housing Code 48.3: given the identity registry citizenship %p, then the applicant is %s (entitled %p)',
    (citizenship, status, entitled) => {
      expect(citizenshipCheck(citizenship)).toEqual({
        status,
        entitled,
        citation: 'Mənzil Məcəlləsi 48.3',
      });
    },
  );
});
