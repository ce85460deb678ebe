import { addDays, compareCivilDates, type CivilDate, type WorkingDayCalendar } from './calendar.js';

/**
 * The day to remind an applicant of a deadline: the working day that lies `workingDaysBefore`
 * working days before the due date. Undefined when that day is not after the day the period
 * opened (a period too short for a reminder).
 */
export function reminderDate(
  calendar: WorkingDayCalendar,
  opened: CivilDate,
  due: CivilDate,
  workingDaysBefore: number,
): CivilDate | undefined {
  let day = due;
  let counted = 0;
  while (counted < workingDaysBefore) {
    day = addDays(day, -1);
    if (compareCivilDates(day, opened) <= 0) return undefined;
    if (calendar.isWorkingDay(day)) counted += 1;
  }
  while (!calendar.isWorkingDay(day)) {
    day = addDays(day, -1);
    if (compareCivilDates(day, opened) <= 0) return undefined;
  }
  return day;
}

/** Reminders go out at 10:00 Baku time on the reminder day. */
export function reminderInstant(day: CivilDate): string {
  return `${day}T10:00:00+04:00`;
}
