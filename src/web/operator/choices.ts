import type { CalendarDayKind } from '../../contracts';

/** The kinds of calendar day, in the order the form offers them. */
export const CALENDAR_DAY_KINDS = [
  'holiday',
  'transferred_day_off',
  'election',
  'other_day_off',
  'working_weekend',
] as const satisfies readonly CalendarDayKind[];

/** The processes the filters offer (BPMN process ids). */
export const PROCESS_IDS = [
  'application-draft',
  'application-review',
  'discrepancy-resubmission',
  'records-retention',
  'registration-transfer',
  'waitlist-registration',
  'waitlist-reverification',
  'waitlist-slot-seizure',
] as const;
