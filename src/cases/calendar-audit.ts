import type {
  CalendarAuditAction,
  CalendarAuditEntry as CalendarAuditRecord,
} from '../contracts/calendar.js';
import type { Pool } from '../db/pool.js';
import { CALENDAR_AUDIT_CASE_TYPE } from './calendar-repository.js';

/** The calendar's audit actions and entries are the API's shapes (src/contracts). */
export type { CalendarAuditAction, CalendarAuditRecord };

/**
 * The audited changes to the days of one year, newest first. Each day's entries carry the day
 * before and/or after the change (calendar-repository.ts), so the date is read from them.
 */
export async function listCalendarAudit(
  pool: Pool,
  year: number,
  limit = 200,
): Promise<CalendarAuditRecord[]> {
  const { rows } = await pool.query<Omit<CalendarAuditRecord, 'at'> & { at: Date }>(
    `SELECT id::text AS id, coalesce(after->>'date', before->>'date') AS date, actor, action, reason,
            legal_ground AS "legalGround", before, after, at
       FROM audit_event
      WHERE case_type = $1 AND coalesce(after->>'date', before->>'date') LIKE $2
      ORDER BY at DESC, id DESC
      LIMIT $3`,
    [CALENDAR_AUDIT_CASE_TYPE, `${year}-%`, limit],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
