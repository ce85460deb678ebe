import type {
  CalendarAuditAction,
  CalendarAuditEntry as CalendarAuditRecord,
} from '../contracts/calendar.js';
import type { Pool } from '../db/pool.js';
import { CALENDAR_AUDIT_CASE_TYPE } from './calendar-repository.js';

/** The calendar's audit actions and entries are the API's shapes (src/contracts). */
export type { CalendarAuditAction, CalendarAuditRecord };

/**
 * The audited changes to the days of one year, newest first, each naming who made it (the
 * account's display name, issue 15). Each day's entries carry the day
 * before and/or after the change (calendar-repository.ts), so the date is read from them.
 */
export async function listCalendarAudit(
  pool: Pool,
  year: number,
  limit = 200,
): Promise<CalendarAuditRecord[]> {
  const { rows } = await pool.query<Omit<CalendarAuditRecord, 'at'> & { at: Date }>(
    `SELECT e.id::text AS id, coalesce(e.after->>'date', e.before->>'date') AS date, e.actor,
            a.display_name AS "actorName", e.action, e.reason, e.legal_ground AS "legalGround",
            e.before, e.after, e.at
       FROM audit_event e LEFT JOIN account a ON a.id = e.actor
      WHERE e.case_type = $1 AND coalesce(e.after->>'date', e.before->>'date') LIKE $2
      ORDER BY e.at DESC, e.id DESC
      LIMIT $3`,
    [CALENDAR_AUDIT_CASE_TYPE, `${year}-%`, limit],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
