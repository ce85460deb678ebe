// The working-day calendar's days and their audit (src/api/calendar.ts).

export type CalendarDayKind =
  'holiday' | 'transferred_day_off' | 'election' | 'other_day_off' | 'working_weekend';

/** PUT /api/v1/calendar/days/{date} (200 or 201); one of CalendarYearDays */
export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  nameAz: string;
  nameEn: string;
  /** the legal basis in Azerbaijani */
  sourceAz: string;
  /** the legal basis in English */
  sourceEn: string;
  provisional: boolean;
  updatedAt: string;
  updatedBy: string;
}

/** PUT /api/v1/calendar/days/{date} */
export interface CalendarDayRequest {
  kind: CalendarDayKind;
  nameAz: string;
  nameEn: string;
  /** the legal basis in Azerbaijani */
  sourceAz: string;
  /** the legal basis in English */
  sourceEn: string;
  /** default false */
  provisional?: boolean;
  /** why the operator made the change (audit trail) */
  reason?: string;
}

/** GET /api/v1/calendar/years/{year}/days */
export interface CalendarYearDays {
  year: number;
  complete: boolean;
  source: string | null;
  days: CalendarDay[];
}

export type CalendarAuditAction =
  'calendar-day-added' | 'calendar-day-changed' | 'calendar-day-deleted';

export interface CalendarAuditEntry {
  id: string;
  date: string;
  actor: string;
  /** the account's display name (null: not a staff account, e.g. 'migration') */
  actorName: string | null;
  action: CalendarAuditAction;
  reason: string | null;
  legalGround: string | null;
  /** the day before the change (null: added) */
  before: unknown;
  /** the day after the change (null: deleted) */
  after: unknown;
  at: string;
}

/** GET /api/v1/calendar/audit?year= */
export interface CalendarAudit {
  year: number;
  entries: CalendarAuditEntry[];
}
