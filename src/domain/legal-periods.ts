import {
  deadlineEnd,
  type CalendarPeriod,
  type CivilDate,
  type WorkingDayCalendar,
} from './calendar.js';

/**
 * Legal periods (domain brief §2–§7) are data — table `legal_period`, each row with its citation —
 * never numbers in a worker or a timer. Periods marked configurable have no number in the
 * documents; the seeded value is this project's default.
 */
export type LegalPeriodUnit = 'working_days' | 'calendar_days' | 'months' | 'years' | 'count';

export const LEGAL_PERIOD_UNITS: readonly LegalPeriodUnit[] = [
  'working_days',
  'calendar_days',
  'months',
  'years',
  'count',
];

export interface LegalPeriod {
  /** e.g. 'application-review' */
  code: string;
  length: number;
  unit: LegalPeriodUnit;
  /** the point it comes from, e.g. '003 §5.5' */
  citation: string;
  descriptionAz: string;
  descriptionEn: string;
  /** true when the documents give no number and the value is a configurable default */
  configurable: boolean;
}

export interface Deadline {
  code: string;
  /** the last day of the period, a civil date in Asia/Baku */
  dueDate: CivilDate;
  /** the end of that day in Asia/Baku (23:59:59.999+04:00) */
  dueAt: Date;
  citation: string;
}

function calendarPeriod(period: LegalPeriod): CalendarPeriod {
  switch (period.unit) {
    case 'calendar_days':
      return { days: period.length };
    case 'months':
      return { months: period.length };
    case 'years':
      return { years: period.length };
    default:
      throw new TypeError(`legal period ${period.code} is not in calendar units`);
  }
}

/**
 * The deadline of a period started by an event on `eventDate` (§8): the event's day does not
 * count; working days → the Nth working day after the event; calendar days, months and years →
 * the same date (or the month's last day), moved to the next working day when it is a day off.
 * Throws CalendarDataMissingError when the calendar lacks a year the period reaches into, and a
 * TypeError for a 'count' (e.g. the number of discrepancy rounds), which is not a time period.
 */
export function computeDeadline(
  period: LegalPeriod,
  eventDate: CivilDate,
  calendar: WorkingDayCalendar,
): Deadline {
  let dueDate: CivilDate;
  switch (period.unit) {
    case 'working_days':
      dueDate = calendar.addWorkingDays(eventDate, period.length);
      break;
    case 'calendar_days':
    case 'months':
    case 'years':
      dueDate = calendar.addCalendarPeriod(eventDate, calendarPeriod(period));
      break;
    case 'count':
      throw new TypeError(
        `legal period ${period.code} is a count (${period.length}), not a time period`,
      );
    default: {
      const unit: never = period.unit;
      throw new TypeError(`legal period ${period.code} has an unknown unit ${String(unit)}`);
    }
  }
  return { code: period.code, dueDate, dueAt: deadlineEnd(dueDate), citation: period.citation };
}

/** The period with this code; a missing row is a configuration error, never a silent default. */
export function requirePeriod(periods: readonly LegalPeriod[], code: string): LegalPeriod {
  const period = periods.find((p) => p.code === code);
  if (!period) throw new Error(`legal period ${code} is not configured (table legal_period)`);
  return period;
}
