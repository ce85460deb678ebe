import type { Pool } from '../db/pool.js';
import { civilDateInBaku, toBakuIsoString, type CivilDate } from '../domain/calendar.js';
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
