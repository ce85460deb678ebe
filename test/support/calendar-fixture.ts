import type { CalendarYearData } from '../../src/domain/calendar.js';

/** 'MM-DD MM-DD …' of one year as civil dates. */
export const days = (year: number, monthDays: string) =>
  monthDays.split(' ').map((md) => `${year}-${md}`);

// Non-working weekdays from shared/calendar-az.md, as the migration seeds them.
export const YEAR_2026: CalendarYearData = {
  year: 2026,
  nonWorkingDays: days(
    2026,
    '01-01 01-02 01-20 03-09 03-20 03-23 03-24 03-25 03-26 03-27 03-30 05-11 05-27 05-28 05-29 06-15 06-26 11-09 11-10 12-31',
  ),
  workingWeekendDays: [],
};

export const YEAR_2027: CalendarYearData = {
  year: 2027,
  nonWorkingDays: days(
    2027,
    '01-01 01-04 01-20 03-08 03-09 03-10 03-22 03-23 03-24 03-25 03-26 05-10 05-17 05-18 05-28 06-15 06-28 11-08 11-09 12-31',
  ),
  workingWeekendDays: [],
  provisional: true,
};
