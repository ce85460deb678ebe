import { describe, expect, it } from '@jest/globals';
import { checkOnceOnlyRight, type ApplicationOfFamily } from '../../src/domain/once-only-right.js';

const app = (over: Partial<ApplicationOfFamily>): ApplicationOfFamily => ({
  id: 'a',
  registrationNumber: 10,
  applicantFin: 'AAAAAA1',
  spouseFin: null,
  status: 'under_review',
  ...over,
});

describe('once-only right (003 §2.2)', () => {
  it('given no other application of the family, when checked, then it passes', () => {
    const result = checkOnceOnlyRight(app({}), []);
    expect(result).toEqual({
      passed: true,
      legalGround: '003 §2.2',
      conflictingRegistrationNumbers: [],
    });
  });

  it('given an earlier application of the same person under review, when checked, then it fails naming it', () => {
    const result = checkOnceOnlyRight(app({}), [app({ id: 'b', registrationNumber: 3 })]);
    expect(result.passed).toBe(false);
    expect(result.conflictingRegistrationNumbers).toEqual([3]);
  });

  it('given the spouse already holds an approved application, when checked, then it fails (one right per family)', () => {
    const mine = app({ spouseFin: 'BBBBBB2' });
    const spouses = app({
      id: 'b',
      registrationNumber: 1,
      applicantFin: 'BBBBBB2',
      status: 'approved',
    });
    expect(checkOnceOnlyRight(mine, [spouses]).passed).toBe(false);
  });

  it('given the other application names me as its spouse, when checked, then it fails', () => {
    const other = app({
      id: 'b',
      registrationNumber: 2,
      applicantFin: 'CCCCCC3',
      spouseFin: 'AAAAAA1',
    });
    expect(checkOnceOnlyRight(app({}), [other]).passed).toBe(false);
  });

  it.each(['refused', 'cancelled', 'draft'])(
    'given the earlier application was %s, when checked, then it does not count',
    (status) => {
      expect(
        checkOnceOnlyRight(app({}), [app({ id: 'b', registrationNumber: 1, status })]).passed,
      ).toBe(true);
    },
  );

  it('given the other application was registered later, when the earlier one is checked, then the earlier keeps its right', () => {
    expect(
      checkOnceOnlyRight(app({ registrationNumber: 5 }), [app({ id: 'b', registrationNumber: 6 })])
        .passed,
    ).toBe(true);
  });

  it('given an unrelated person, when checked, then it passes', () => {
    expect(
      checkOnceOnlyRight(app({}), [
        app({ id: 'b', registrationNumber: 1, applicantFin: 'ZZZZZZ9' }),
      ]).passed,
    ).toBe(true);
  });
});
