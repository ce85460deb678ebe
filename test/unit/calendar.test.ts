import { describe, expect, it } from '@jest/globals';
import {
  addToCivilDate,
  CalendarDataMissingError,
  civilDateInBaku,
  deadlineEnd,
  isCivilDate,
  isoDayOfWeek,
  toBakuIsoString,
  WorkingDayCalendar,
  type CalendarYearData,
} from '../../src/domain/calendar.js';
import { days, YEAR_2026, YEAR_2027 } from '../support/calendar-fixture.js';

// The non-working weekdays of shared/calendar-az.md (the same data the migration seeds).
const AZ: CalendarYearData[] = [
  {
    year: 2025,
    nonWorkingDays: days(
      2025,
      '01-01 01-02 01-03 01-20 01-29 03-20 03-21 03-24 03-25 03-26 03-27 03-28 03-31 05-09 05-28 06-06 06-09 06-16 06-26 06-27 11-10 11-11 12-31',
    ),
    workingWeekendDays: ['2025-06-21'],
  },
  YEAR_2026,
  YEAR_2027,
];
const az = new WorkingDayCalendar(AZ);

describe('civil dates', () => {
  it('given a date that does not exist, when checked, then it is not a civil date', () => {
    expect(isCivilDate('2026-02-29')).toBe(false);
    expect(isCivilDate('2026-3-9')).toBe(false);
  });

  it('given 29 February of a leap year, when checked, then it is a civil date', () => {
    expect(isCivilDate('2028-02-29')).toBe(true);
  });

  it('given known dates, when asked the day of the week, then Thu 19 Mar 2026 and Sat 21 Jun 2025 are right', () => {
    expect(isoDayOfWeek('2026-03-19')).toBe(4);
    expect(isoDayOfWeek('2025-06-21')).toBe(6);
  });

  it('given an instant late in the UTC evening, when converted to a Baku date, then it is already the next day', () => {
    expect(civilDateInBaku(new Date('2026-03-19T20:30:00Z'))).toBe('2026-03-20');
  });
});

describe('working days', () => {
  it('given an ordinary Tuesday, when checked, then it is a working day', () => {
    expect(az.isWorkingDay('2026-04-07')).toBe(true);
  });

  it('given a Saturday that is not listed, when checked, then it is not a working day', () => {
    expect(az.isWorkingDay('2026-04-04')).toBe(false);
  });

  it('given Sat 21 Jun 2025 (a working day by Cabinet swap), when checked, then it is a working day', () => {
    expect(az.isWorkingDay('2025-06-21')).toBe(true);
  });

  it('given Fri 20 Jun 2025 as the event, when 1 working day is added, then the deadline is Sat 21 Jun 2025', () => {
    expect(az.addWorkingDays('2025-06-20', 1)).toBe('2025-06-21');
  });

  it('given a Friday event, when 1 working day is added, then the weekend is skipped to Monday', () => {
    expect(az.addWorkingDays('2026-04-03', 1)).toBe('2026-04-06');
  });

  it('given a Monday event, when 1 working day is added, then the event day does not count and the deadline is Tuesday', () => {
    expect(az.addWorkingDays('2026-04-06', 1)).toBe('2026-04-07');
  });

  it('given an event on a Saturday, when 1 working day is added, then the deadline is the Monday', () => {
    expect(az.addWorkingDays('2026-04-04', 1)).toBe('2026-04-06');
  });

  it('given 0 working days, when added, then the date is returned as it is', () => {
    expect(az.addWorkingDays('2026-03-21', 0)).toBe('2026-03-21');
  });

  it('given a negative or fractional number of working days, when added, then it is refused', () => {
    expect(() => az.addWorkingDays('2026-04-06', -1)).toThrow(RangeError);
    expect(() => az.addWorkingDays('2026-04-06', 1.5)).toThrow(RangeError);
  });

  it('given the 2026 Novruz block, when checked, then 20, 23–27 and 30 Mar 2026 are all days off', () => {
    const off = [
      '2026-03-20',
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-30',
    ];
    expect(off.filter((d) => az.isWorkingDay(d))).toEqual([]);
    expect(az.isWorkingDay('2026-03-31')).toBe(true);
  });

  it('given an application registered on Thu 19 Mar 2026, when 5 working days are added, then the deadline is Mon 6 Apr 2026', () => {
    // Working days after the event: Tue 31 Mar (1), Wed 1 Apr (2), Thu 2 Apr (3), Fri 3 Apr (4), Mon 6 Apr (5).
    expect(az.addWorkingDays('2026-03-19', 5)).toBe('2026-04-06');
  });

  it('given Thu 19 Mar 2026, when 2 working days are added, then Wed 1 Apr 2026 is only the second working day', () => {
    expect(az.addWorkingDays('2026-03-19', 2)).toBe('2026-04-01');
  });

  it('given Tue 30 Dec 2025, when 1 working day is added, then New Year (31 Dec, 1–2 Jan) and the weekend are skipped to Mon 5 Jan 2026', () => {
    expect(az.addWorkingDays('2025-12-30', 1)).toBe('2026-01-05');
  });

  it('given Mon 19 Jan 2026, when 1 working day is added, then 20 Jan (national mourning day) is skipped', () => {
    expect(az.addWorkingDays('2026-01-19', 1)).toBe('2026-01-21');
  });

  it('given the seeded 2025 and 2026 data, when the working days of each year are counted, then they match the production calendars (239 and 241)', () => {
    expect(az.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(239);
    expect(az.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(241);
  });
});

describe('working days between two dates', () => {
  it('given the same date twice, when counted, then it is 0', () => {
    expect(az.workingDaysBetween('2026-03-19', '2026-03-19')).toBe(0);
  });

  it('given two dates in either order, when counted, then the counts are opposite', () => {
    expect(az.workingDaysBetween('2026-03-19', '2026-04-06')).toBe(5);
    expect(az.workingDaysBetween('2026-04-06', '2026-03-19')).toBe(-5);
  });

  it('given any n, when the deadline of n working days is counted back, then it is n', () => {
    for (const n of [0, 1, 5, 10, 30, 100]) {
      expect(az.workingDaysBetween('2026-03-19', az.addWorkingDays('2026-03-19', n))).toBe(n);
    }
  });

  it('given a start on a day off, when counted, then the start does not count and the end does', () => {
    // after Sat 21 Mar 2026 up to Tue 31 Mar 2026: only the 31st is a working day
    expect(az.workingDaysBetween('2026-03-21', '2026-03-31')).toBe(1);
  });
});

describe('calendar periods (months, years, days)', () => {
  it('given 31 May, when 3 months are added, then the period ends on 31 August (a working Monday in 2026)', () => {
    expect(az.addCalendarPeriod('2026-05-31', { months: 3 })).toBe('2026-08-31');
  });

  it('given 31 May 2025, when 3 months are added, then Sun 31 Aug 2025 moves to Mon 1 Sep 2025', () => {
    expect(addToCivilDate('2025-05-31', { months: 3 })).toBe('2025-08-31');
    expect(az.addCalendarPeriod('2025-05-31', { months: 3 })).toBe('2025-09-01');
  });

  it('given 30 Nov 2026, when 3 months are added, then it is 28 Feb 2027 (no 30 Feb), a Sunday, so the period ends Mon 1 Mar 2027', () => {
    expect(addToCivilDate('2026-11-30', { months: 3 })).toBe('2027-02-28');
    expect(az.isWorkingDay('2027-02-28')).toBe(false);
    expect(az.addCalendarPeriod('2026-11-30', { months: 3 })).toBe('2027-03-01');
  });

  it('given 30 Nov of the year before a leap year, when 3 months are added, then it is 29 February', () => {
    expect(addToCivilDate('2027-11-30', { months: 3 })).toBe('2028-02-29');
  });

  it('given 29 Feb 2028, when 1 year is added, then it is 28 Feb 2029', () => {
    expect(addToCivilDate('2028-02-29', { years: 1 })).toBe('2029-02-28');
  });

  it('given 10 calendar days ending on Fri 20 Mar 2026 (Novruz), when computed, then the period ends on the next working day, Tue 31 Mar 2026', () => {
    expect(addToCivilDate('2026-03-10', { days: 10 })).toBe('2026-03-20');
    expect(az.addCalendarPeriod('2026-03-10', { days: 10 })).toBe('2026-03-31');
  });

  it('given a period that ends on a working day, when computed, then it is not moved', () => {
    expect(az.addCalendarPeriod('2026-04-01', { days: 5 })).toBe('2026-04-06');
  });

  it('given an empty or negative period, when computed, then it is refused', () => {
    expect(() => az.addCalendarPeriod('2026-04-01', {})).toThrow(RangeError);
    expect(() => az.addCalendarPeriod('2026-04-01', { months: -1 })).toThrow(RangeError);
  });
});

describe('years without data', () => {
  it('given a day in 2028 (not loaded), when checked, then the calendar refuses naming the year', () => {
    expect(() => az.isWorkingDay('2028-01-03')).toThrow(CalendarDataMissingError);
    expect(() => az.isWorkingDay('2028-01-03')).toThrow(
      /no working-day calendar data for 2028 \(loaded: 2025, 2026, 2027\)/,
    );
  });

  it('given working days that run past 2027, when added, then the calendar refuses instead of ignoring 2028 holidays', () => {
    let error: unknown;
    try {
      az.addWorkingDays('2027-12-29', 5);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CalendarDataMissingError);
    expect((error as CalendarDataMissingError).year).toBe(2028);
  });

  it('given a calendar period ending in 2028, when computed, then the calendar refuses', () => {
    expect(() => az.addCalendarPeriod('2027-12-01', { months: 3 })).toThrow(
      CalendarDataMissingError,
    );
  });

  it('given counting across a missing year, when counted, then the calendar refuses', () => {
    expect(() => az.workingDaysBetween('2027-12-01', '2028-01-10')).toThrow(
      CalendarDataMissingError,
    );
  });

  it('given an event on the last day before the data starts, when working days are added, then only the days counted need data', () => {
    // 2024 is not loaded, but no day of 2024 is counted: 1–3 Jan 2025 off, 4–5 weekend
    expect(az.addWorkingDays('2024-12-31', 1)).toBe('2025-01-06');
  });
});

describe('calendar data checks', () => {
  it('given a weekday listed as a working weekend day, when the calendar is built, then it is refused', () => {
    expect(
      () =>
        new WorkingDayCalendar([
          { year: 2026, nonWorkingDays: [], workingWeekendDays: ['2026-04-06'] },
        ]),
    ).toThrow(/weekday/);
  });

  it('given a date listed under another year, when the calendar is built, then it is refused', () => {
    expect(
      () =>
        new WorkingDayCalendar([
          { year: 2026, nonWorkingDays: ['2025-01-01'], workingWeekendDays: [] },
        ]),
    ).toThrow(/year 2026/);
  });

  it('given the same year twice, when the calendar is built, then it is refused', () => {
    const y = { year: 2026, nonWorkingDays: [], workingWeekendDays: [] };
    expect(() => new WorkingDayCalendar([y, y])).toThrow(/twice/);
  });

  it('given a period through 2027 (a projection), when asked, then it uses provisional data; one within 2026 does not', () => {
    expect(az.usesProvisionalData('2026-12-30', '2027-01-05')).toBe(true);
    expect(az.usesProvisionalData('2026-03-19', '2026-04-06')).toBe(false);
  });
});

describe('end of a deadline day', () => {
  it('given a due date, when its end is computed, then it is 23:59:59.999 in Baku (+04:00)', () => {
    const end = deadlineEnd('2026-04-06');
    expect(end.toISOString()).toBe('2026-04-06T19:59:59.999Z');
    expect(toBakuIsoString(end)).toBe('2026-04-06T23:59:59.999+04:00');
  });

  it('given the end of a due date, when one millisecond passes, then it is already the next day in Baku', () => {
    const end = deadlineEnd('2026-04-06');
    expect(civilDateInBaku(end)).toBe('2026-04-06');
    expect(civilDateInBaku(new Date(end.getTime() + 1))).toBe('2026-04-07');
  });

  it('given a malformed date, when its end is computed, then it is refused', () => {
    expect(() => deadlineEnd('2026-04-31')).toThrow(RangeError);
  });
});
