/**
 * The working-day calendar (domain brief §8): pure functions over civil dates in Asia/Baku.
 *
 * - A civil date is a 'YYYY-MM-DD' string: a day in Baku, never a JS local-time Date. Day
 *   arithmetic goes through a day number (days since 1970-01-01) computed with Date.UTC, so the
 *   host's time zone never matters.
 * - Saturdays and Sundays are days off unless listed as working days; weekdays are working days
 *   unless listed as days off. The lists are data per year (table `calendar_day`, seeded from
 *   shared/calendar-az.md and edited by operators) — no holiday is hard-coded here.
 * - A calendar refuses (CalendarDataMissingError) to tell whether a day is a working day in a year
 *   it has no data for, instead of silently treating that year's holidays as working days.
 * - Periods start on the day after the event; the event's own day does not count (§8).
 */

/** A civil date in Asia/Baku, 'YYYY-MM-DD'. */
export type CivilDate = string;

export const BAKU_TIME_ZONE = 'Asia/Baku';
/** Asia/Baku is UTC+4 all year (no daylight saving time since 2016). */
export const BAKU_UTC_OFFSET_MINUTES = 240;

const MS_PER_DAY = 86_400_000;
const OFFSET_MS = BAKU_UTC_OFFSET_MINUTES * 60_000;
const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: CivilDate): { y: number; m: number; d: number } {
  const match = CIVIL_DATE.exec(date);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    if (y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return { y, m, d };
  }
  throw new RangeError(`not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function format(y: number, m: number, d: number): CivilDate {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function utcMidnight(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are
  return t.getTime();
}

/** True for a real calendar date written 'YYYY-MM-DD' (e.g. not 2026-02-30). */
export function isCivilDate(value: unknown): value is CivilDate {
  if (typeof value !== 'string') return false;
  try {
    parts(value);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: CivilDate): number {
  const { y, m, d } = parts(date);
  return Math.round(utcMidnight(y, m, d) / MS_PER_DAY);
}

export function fromDayNumber(day: number): CivilDate {
  const t = new Date(day * MS_PER_DAY);
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function yearOf(date: CivilDate): number {
  return parts(date).y;
}

/** Plain day arithmetic, no working-day rules. */
export function addDays(date: CivilDate, n: number): CivilDate {
  return fromDayNumber(toDayNumber(date) + n);
}

/** ISO day of the week: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export function isoDayOfWeek(date: CivilDate): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: CivilDate): boolean {
  return isoDayOfWeek(date) >= 6;
}

export function compareCivilDates(a: CivilDate, b: CivilDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** The civil date in Baku at an instant (e.g. the day an application was registered). */
export function civilDateInBaku(instant: Date): CivilDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
  return fromDayNumber(Math.floor((instant.getTime() + OFFSET_MS) / MS_PER_DAY));
}

/**
 * The instant a deadline on this day ends: the last millisecond of the day in Baku,
 * 23:59:59.999+04:00 (= 19:59:59.999Z). Anything done at or before this instant is in time;
 * the next day 00:00+04:00 is already late. (Chosen over "start of the next day" so the instant
 * still falls on the due date itself when shown to a person.)
 */
export function deadlineEnd(date: CivilDate): Date {
  const { y, m, d } = parts(date);
  return new Date(utcMidnight(y, m, d) + MS_PER_DAY - 1 - OFFSET_MS);
}

/** An instant written in Baku time with its offset, e.g. '2026-04-06T23:59:59.999+04:00'. */
export function toBakuIsoString(instant: Date): string {
  const local = new Date(instant.getTime() + OFFSET_MS).toISOString(); // '…Z' but Baku wall time
  return `${local.slice(0, -1)}+04:00`;
}

/** A period in calendar units; the parts are added years, then months, then days. */
export interface CalendarPeriod {
  years?: number;
  months?: number;
  days?: number;
}

function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(value)}`);
  }
}

/**
 * Calendar arithmetic only (no working-day rule): months and years keep the day of the month,
 * or take the month's last day where that day does not exist (31 May + 3 months = 31 Aug;
 * 30 Nov + 3 months = 28 Feb, or 29 Feb in a leap year). Days are added after.
 */
export function addToCivilDate(date: CivilDate, period: CalendarPeriod): CivilDate {
  const { years = 0, months = 0, days = 0 } = period;
  checkCount(years, 'years');
  checkCount(months, 'months');
  checkCount(days, 'days');
  if (period.years === undefined && period.months === undefined && period.days === undefined) {
    throw new RangeError('a calendar period needs years, months or days');
  }
  const { y, m, d } = parts(date);
  const monthIndex = y * 12 + (m - 1) + years * 12 + months;
  const ny = Math.floor(monthIndex / 12);
  const nm = (monthIndex % 12) + 1;
  if (ny > 9999) throw new RangeError(`${date} + period is beyond year 9999`);
  const shifted = format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
  return days === 0 ? shifted : addDays(shifted, days);
}

/** The data for one year: its weekdays off and its weekend days that are working days. */
export interface CalendarYearData {
  year: number;
  /** Days off that are not Saturdays or Sundays: holidays, transferred days off, election days. */
  nonWorkingDays: readonly CivilDate[];
  /** Saturdays or Sundays that are working days (a Cabinet swap, Labour Code 105.7). */
  workingWeekendDays: readonly CivilDate[];
  /** The year's data is a projection still to be confirmed (e.g. 2027 before the Cabinet decides). */
  provisional?: boolean;
}

/** Raised when a computation would need a year the calendar has no data for. */
export class CalendarDataMissingError extends Error {
  override readonly name = 'CalendarDataMissingError';
  constructor(
    readonly year: number,
    readonly loadedYears: readonly number[],
  ) {
    super(
      `no working-day calendar data for ${year} (loaded: ${loadedYears.length ? loadedYears.join(', ') : 'none'}); ` +
        `its non-working days must be loaded before deadlines can be computed in it`,
    );
  }
}

interface YearSets {
  off: Set<CivilDate>;
  working: Set<CivilDate>;
  provisional: boolean;
}

/** Working days built from per-year data; immutable once built. */
export class WorkingDayCalendar {
  private readonly byYear = new Map<number, YearSets>();

  constructor(data: readonly CalendarYearData[]) {
    for (const yd of data) {
      if (!Number.isInteger(yd.year))
        throw new RangeError(`invalid calendar year ${String(yd.year)}`);
      if (this.byYear.has(yd.year)) throw new RangeError(`calendar year ${yd.year} given twice`);
      const sets: YearSets = {
        off: new Set(),
        working: new Set(),
        provisional: yd.provisional ?? false,
      };
      for (const date of yd.nonWorkingDays) {
        if (yearOf(date) !== yd.year)
          throw new RangeError(`${date} is listed under year ${yd.year}`);
        sets.off.add(date);
      }
      for (const date of yd.workingWeekendDays) {
        if (yearOf(date) !== yd.year)
          throw new RangeError(`${date} is listed under year ${yd.year}`);
        if (!isWeekend(date))
          throw new RangeError(`${date} is listed as a working weekend day but is a weekday`);
        if (sets.off.has(date))
          throw new RangeError(`${date} is listed both as a day off and as a working day`);
        sets.working.add(date);
      }
      this.byYear.set(yd.year, sets);
    }
  }

  /** The years this calendar has data for, ascending. */
  get years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.byYear.has(year);
  }

  isProvisionalYear(year: number): boolean {
    return this.yearData(year).provisional;
  }

  /** True when any day after `from` up to and including `to` lies in a provisional year. */
  usesProvisionalData(from: CivilDate, to: CivilDate): boolean {
    const [a, b] = compareCivilDates(from, to) <= 0 ? [from, to] : [to, from];
    if (a === b) return false;
    for (let y = yearOf(addDays(a, 1)); y <= yearOf(b); y++) {
      if (this.byYear.get(y)?.provisional) return true;
    }
    return false;
  }

  private yearData(year: number): YearSets {
    const sets = this.byYear.get(year);
    if (!sets) throw new CalendarDataMissingError(year, this.years);
    return sets;
  }

  isWorkingDay(date: CivilDate): boolean {
    const sets = this.yearData(yearOf(date));
    if (sets.working.has(date)) return true;
    if (sets.off.has(date)) return false;
    return !isWeekend(date);
  }

  /**
   * The Nth working day after the event date (the event day does not count, §8): "within N
   * working days" ends at the end of this day. n = 0 returns the date itself.
   */
  addWorkingDays(date: CivilDate, n: number): CivilDate {
    checkCount(n, 'the number of working days');
    let day = toDayNumber(date);
    let left = n;
    while (left > 0) {
      day += 1;
      if (this.isWorkingDay(fromDayNumber(day))) left -= 1;
    }
    return fromDayNumber(day);
  }

  /**
   * The number of working days after `a` up to and including `b`; negative when b is before a,
   * so workingDaysBetween(a, b) === -workingDaysBetween(b, a), and
   * workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(a: CivilDate, b: CivilDate): number {
    const start = toDayNumber(a);
    const end = toDayNumber(b);
    if (end < start) return -this.workingDaysBetween(b, a);
    let count = 0;
    for (let day = start + 1; day <= end; day++) {
      if (this.isWorkingDay(fromDayNumber(day))) count += 1;
    }
    return count;
  }

  /** The date itself when it is a working day, else the next working day. */
  nextWorkingDayOnOrAfter(date: CivilDate): CivilDate {
    let day = toDayNumber(date);
    while (!this.isWorkingDay(fromDayNumber(day))) day += 1;
    return fromDayNumber(day);
  }

  /**
   * A period in calendar days, months or years (§8): the same day of the month, or the month's
   * last day where it does not exist; an end on a non-working day moves to the next working day.
   */
  addCalendarPeriod(date: CivilDate, period: CalendarPeriod): CivilDate {
    return this.nextWorkingDayOnOrAfter(addToCivilDate(date, period));
  }
}
