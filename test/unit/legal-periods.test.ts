import { describe, expect, it } from '@jest/globals';
import { CalendarDataMissingError, WorkingDayCalendar } from '../../src/domain/calendar.js';
import {
  computeDeadline,
  requirePeriod,
  type LegalPeriod,
} from '../../src/domain/legal-periods.js';
import { YEAR_2026, YEAR_2027 } from '../support/calendar-fixture.js';

// 2026 and 2027 non-working weekdays from shared/calendar-az.md.
const calendar = new WorkingDayCalendar([YEAR_2026, YEAR_2027]);

const period = (over: Partial<LegalPeriod>): LegalPeriod => ({
  code: 'application-review',
  length: 5,
  unit: 'working_days',
  citation: '003 §5.5',
  descriptionAz: 'Müraciətə 5 iş günü ərzində baxılır.',
  descriptionEn: 'The application is reviewed within 5 working days.',
  configurable: false,
  ...over,
});

describe('computeDeadline', () => {
  it('given 5 working days (003 §5.5) from Thu 19 Mar 2026, when computed, then it is due Mon 6 Apr 2026 at the end of the day in Baku, citing 003 §5.5', () => {
    const d = computeDeadline(period({}), '2026-03-19', calendar);
    expect(d).toEqual({
      code: 'application-review',
      dueDate: '2026-04-06',
      dueAt: new Date('2026-04-06T23:59:59.999+04:00'),
      citation: '003 §5.5',
    });
  });

  it('given 3 months (002 §2.1) from a death on 31 May 2026, when computed, then it is due 31 Aug 2026', () => {
    const d = computeDeadline(
      period({
        code: 'transfer-application-window',
        length: 3,
        unit: 'months',
        citation: '002 §2.1',
      }),
      '2026-05-31',
      calendar,
    );
    expect(d.dueDate).toBe('2026-08-31');
  });

  it('given 3 months from 30 Nov 2026, when computed, then 28 Feb 2027 (a Sunday) moves to Mon 1 Mar 2027', () => {
    const d = computeDeadline(period({ length: 3, unit: 'months' }), '2026-11-30', calendar);
    expect(d.dueDate).toBe('2027-03-01');
  });

  it('given 10 calendar days (000 §2.2) from 10 Mar 2026, when computed, then the end on Novruz moves to Tue 31 Mar 2026', () => {
    const d = computeDeadline(
      period({ code: 'draft-deletion', length: 10, unit: 'calendar_days', citation: '000 §2.2' }),
      '2026-03-10',
      calendar,
    );
    expect(d.dueDate).toBe('2026-03-31');
  });

  it('given 1 year (004 §37) from Mon 22 Jun 2026, when computed, then it is Tue 22 Jun 2027', () => {
    const d = computeDeadline(
      period({ code: 'refused-offer-bar', length: 1, unit: 'years', citation: '004 §37' }),
      '2026-06-22',
      calendar,
    );
    expect(d.dueDate).toBe('2027-06-22');
  });

  it('given 1 year ending on Sun 21 Mar 2027 (Novruz weekend), when computed, then it moves past the Novruz days off to Mon 29 Mar 2027', () => {
    const d = computeDeadline(period({ length: 1, unit: 'years' }), '2026-03-21', calendar);
    expect(d.dueDate).toBe('2027-03-29');
  });

  it('given a count (discrepancy rounds), when a deadline is asked, then it is refused', () => {
    expect(() =>
      computeDeadline(
        period({ code: 'discrepancy-rounds', length: 2, unit: 'count' }),
        '2026-04-01',
        calendar,
      ),
    ).toThrow(TypeError);
  });

  it('given a period reaching a year without data (10 years, 004 §17), when computed, then it is refused', () => {
    expect(() =>
      computeDeadline(period({ length: 10, unit: 'years' }), '2026-04-01', calendar),
    ).toThrow(CalendarDataMissingError);
  });
});

describe('requirePeriod', () => {
  it('given the code is configured, when required, then the period is returned', () => {
    expect(requirePeriod([period({})], 'application-review').length).toBe(5);
  });

  it('given the code is not configured, when required, then it fails instead of defaulting', () => {
    expect(() => requirePeriod([period({})], 'seizure-decision')).toThrow(
      /seizure-decision is not configured/,
    );
  });
});
