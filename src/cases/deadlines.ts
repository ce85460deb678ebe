import type { Pool } from '../db/pool.js';
import { civilDateInBaku, toBakuIsoString, type CivilDate } from '../domain/calendar.js';
import { reminderDate, reminderInstant } from '../domain/reminder.js';
import { computeDeadline, requirePeriod, type Deadline } from '../domain/legal-periods.js';
import { loadCalendar, loadLegalPeriods } from './calendar-repository.js';

/** A deadline as process variables carry it: the civil date and the instant it ends (Baku). */
export interface DeadlineVariables {
  dueDate: CivilDate;
  /** ISO 8601 with +04:00: what BPMN timers (timeDate) and user-task due dates take */
  dueAt: string;
  citation: string;
}

export function toVariables(d: Deadline): DeadlineVariables {
  return { dueDate: d.dueDate, dueAt: toBakuIsoString(d.dueAt), citation: d.citation };
}

/**
 * The deadline of a legal period (legal_period table) counted from an event, with the
 * operators' working-day calendar (calendar_day table) as it is now.
 */
export async function deadlineFromEvent(
  pool: Pool,
  periodCode: string,
  event: Date | CivilDate,
): Promise<Deadline> {
  const [calendar, periods] = await Promise.all([loadCalendar(pool), loadLegalPeriods(pool)]);
  const eventDate = typeof event === 'string' ? event : civilDateInBaku(event);
  return computeDeadline(requirePeriod(periods, periodCode), eventDate, calendar);
}

export async function periodLength(pool: Pool, periodCode: string): Promise<number> {
  return requirePeriod(await loadLegalPeriods(pool), periodCode).length;
}

/** A reviewer is reminded this many working days before a decision is due. */
export const REVIEW_REMINDER_WORKING_DAYS_BEFORE = 1;

/**
 * The follow-up date of a reviewer's task (the engine's task follow-up): 10:00 Baku on the working
 * day before the decision is due, or the due instant itself when the period is too short.
 */
export async function reviewFollowUpAt(
  pool: Pool,
  opened: Date | CivilDate,
  due: DeadlineVariables,
): Promise<string> {
  const calendar = await loadCalendar(pool);
  const openedDate = typeof opened === 'string' ? opened : civilDateInBaku(opened);
  const day = reminderDate(calendar, openedDate, due.dueDate, REVIEW_REMINDER_WORKING_DAYS_BEFORE);
  return day ? reminderInstant(day) : due.dueAt;
}
