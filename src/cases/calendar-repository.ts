import { createHash } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import { WorkingDayCalendar, type CalendarYearData, type CivilDate } from '../domain/calendar.js';
import type { LegalPeriod } from '../domain/legal-periods.js';
import { recordAudit } from './audit.js';

/**
 * The working-day calendar and the legal periods as stored data (tables calendar_year,
 * calendar_day, legal_period; migrations 1732240000002, 1732240000180). Operator edits are audited in
 * audit_event with case type 'calendar' and a case id derived from the date
 * (calendarDayAuditId), so each day has its own trail.
 */

export const CALENDAR_DAY_KINDS = [
  'holiday',
  'transferred_day_off',
  'election',
  'other_day_off',
  'working_weekend',
] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDayInput {
  date: CivilDate;
  kind: CalendarDayKind;
  nameAz: string;
  nameEn: string;
  /** the legal source in Azerbaijani, e.g. 'Əmək Məcəlləsinin 105.1-ci maddəsi' */
  sourceAz: string;
  /** the same in English, e.g. 'Labour Code 105.1' or 'Cabinet decision No. 362 of 2 Dec 2025' */
  sourceEn: string;
  provisional?: boolean;
}

export interface CalendarDay extends Required<CalendarDayInput> {
  updatedAt: string;
  updatedBy: string;
}

export interface CalendarYear {
  year: number;
  complete: boolean;
  source: string;
}

export const CALENDAR_AUDIT_CASE_TYPE = 'calendar';

// Fixed namespace for the name-based (version 5) case ids of calendar days.
const CALENDAR_AUDIT_NAMESPACE = Buffer.from('6d0f3a4e8b5c4f1d9a2e7c3b1f0e5d48', 'hex');

/** The audit case id of one calendar day: a UUID v5 of the date, the same on every run. */
export function calendarDayAuditId(date: CivilDate): string {
  const hash = createHash('sha1')
    .update(CALENDAR_AUDIT_NAMESPACE)
    .update(`calendar-day:${date}`, 'utf8')
    .digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// `date::text`: the pg driver would turn a date into a JS Date at local midnight.
const DAY_COLUMNS = `date::text AS date, kind, name_az AS "nameAz", name_en AS "nameEn",
  source_az AS "sourceAz", source_en AS "sourceEn", provisional,
  updated_at AS "updatedAt", updated_by AS "updatedBy"`;

interface DayRow extends Omit<CalendarDay, 'updatedAt'> {
  updatedAt: Date;
}

function toDay(row: DayRow): CalendarDay {
  return { ...row, updatedAt: row.updatedAt.toISOString() };
}

/**
 * The calendar each pool (database) last loaded, with the version it was loaded at: table
 * calendar_version gets a new value with every change of calendar_year or calendar_day
 * (migration 1732240000190), whoever writes it, so one small read per call tells whether the
 * calendar must be loaded again — also across several app processes.
 */
const loaded = new WeakMap<object, { version: string; calendar: WorkingDayCalendar }>();

/** The calendar of every year marked complete; a year not complete is treated as missing. */
export async function loadCalendar(pool: Pool): Promise<WorkingDayCalendar> {
  const cached = loaded.get(pool);
  if (cached) {
    const { rows } = await pool.query<{ version: string }>('SELECT version FROM calendar_version');
    if (rows[0]?.version === cached.version) return cached.calendar;
  }
  // the version in the same statement as the days (one snapshot): a change committed meanwhile
  // shows as a new version on the next call
  const { rows } = await pool.query<{
    version: string | null;
    year: number | null;
    date: string | null;
    kind: CalendarDayKind | null;
    provisional: boolean | null;
  }>(
    `SELECT v.version, c.year, c.date, c.kind, c.provisional
       FROM (SELECT version::text FROM calendar_version) v
       FULL JOIN (SELECT y.year, d.date::text AS date, d.kind, d.provisional
                    FROM calendar_year y LEFT JOIN calendar_day d ON d.year = y.year
                   WHERE y.complete) c ON true
      ORDER BY c.year, c.date`,
  );
  const years = new Map<
    number,
    { nonWorkingDays: CivilDate[]; workingWeekendDays: CivilDate[]; provisional: boolean }
  >();
  for (const row of rows) {
    if (row.year === null) continue;
    let y = years.get(row.year);
    if (!y)
      years.set(row.year, (y = { nonWorkingDays: [], workingWeekendDays: [], provisional: false }));
    if (row.date === null) continue;
    (row.kind === 'working_weekend' ? y.workingWeekendDays : y.nonWorkingDays).push(row.date);
    if (row.provisional) y.provisional = true;
  }
  const data: CalendarYearData[] = [...years].map(([year, y]) => ({ year, ...y }));
  const calendar = new WorkingDayCalendar(data);
  const version = rows[0]?.version;
  if (version) loaded.set(pool, { version, calendar });
  return calendar;
}

export async function getCalendarYear(pool: Pool, year: number): Promise<CalendarYear | undefined> {
  const { rows } = await pool.query<CalendarYear>(
    'SELECT year, complete, source FROM calendar_year WHERE year = $1',
    [year],
  );
  return rows[0];
}

/** The exceptions to the five-day week stored for a year, by date. */
export async function listCalendarDays(pool: Pool, year: number): Promise<CalendarDay[]> {
  const { rows } = await pool.query<DayRow>(
    `SELECT ${DAY_COLUMNS} FROM calendar_day WHERE year = $1 ORDER BY date`,
    [year],
  );
  return rows.map(toDay);
}

export async function getCalendarDay(
  pool: Pool,
  date: CivilDate,
): Promise<CalendarDay | undefined> {
  const { rows } = await pool.query<DayRow>(
    `SELECT ${DAY_COLUMNS} FROM calendar_day WHERE date = $1`,
    [date],
  );
  return rows[0] && toDay(rows[0]);
}

function audited(
  day: CalendarDay | undefined,
): Omit<CalendarDay, 'updatedAt' | 'updatedBy'> | undefined {
  if (!day) return undefined;
  return {
    date: day.date,
    kind: day.kind,
    nameAz: day.nameAz,
    nameEn: day.nameEn,
    sourceAz: day.sourceAz,
    sourceEn: day.sourceEn,
    provisional: day.provisional,
  };
}

/**
 * Adds or changes one day, with an audit entry in the same transaction. A day in a year not yet
 * listed adds that year as not complete: it is not used for deadlines until marked complete.
 */
export async function upsertCalendarDay(
  pool: Pool,
  day: CalendarDayInput,
  actor: string,
  reason?: string,
): Promise<{ day: CalendarDay; created: boolean }> {
  return inTransaction(pool, async (tx) => {
    const before = await tx.query<DayRow>(
      `SELECT ${DAY_COLUMNS} FROM calendar_day WHERE date = $1 FOR UPDATE`,
      [day.date],
    );
    const previous = before.rows[0] && toDay(before.rows[0]);
    await tx.query(
      `INSERT INTO calendar_year (year, complete, source, updated_by)
       VALUES (EXTRACT(YEAR FROM $1::date)::integer, false, 'days entered by operators', $2)
       ON CONFLICT (year) DO NOTHING`,
      [day.date, actor],
    );
    const { rows } = await tx.query<DayRow>(
      `INSERT INTO calendar_day (date, kind, name_az, name_en, source_az, source_en, provisional, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)
       ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name_az = EXCLUDED.name_az, name_en = EXCLUDED.name_en,
         source_az = EXCLUDED.source_az, source_en = EXCLUDED.source_en, provisional = EXCLUDED.provisional, updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING ${DAY_COLUMNS}`,
      [
        day.date,
        day.kind,
        day.nameAz,
        day.nameEn,
        day.sourceAz,
        day.sourceEn,
        day.provisional ?? false,
        actor,
      ],
    );
    const saved = toDay(rows[0]!);
    await recordAudit(tx, {
      caseType: CALENDAR_AUDIT_CASE_TYPE,
      caseId: calendarDayAuditId(day.date),
      actor,
      action: previous ? 'calendar-day-changed' : 'calendar-day-added',
      legalGround: saved.sourceEn,
      reason,
      before: audited(previous),
      after: audited(saved),
    });
    return { day: saved, created: !previous };
  });
}

/** Removes one day (it becomes an ordinary weekday or weekend day again), audited; undefined if absent. */
export async function deleteCalendarDay(
  pool: Pool,
  date: CivilDate,
  actor: string,
  reason?: string,
): Promise<CalendarDay | undefined> {
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<DayRow>(
      `DELETE FROM calendar_day WHERE date = $1 RETURNING ${DAY_COLUMNS}`,
      [date],
    );
    const removed = rows[0] && toDay(rows[0]);
    if (!removed) return undefined;
    await recordAudit(tx, {
      caseType: CALENDAR_AUDIT_CASE_TYPE,
      caseId: calendarDayAuditId(date),
      actor,
      action: 'calendar-day-deleted',
      reason,
      before: audited(removed),
    });
    return removed;
  });
}

export async function loadLegalPeriods(pool: Pool): Promise<LegalPeriod[]> {
  const { rows } = await pool.query<LegalPeriod>(
    `SELECT code, length, unit, citation, description_az AS "descriptionAz", description_en AS "descriptionEn", configurable
       FROM legal_period ORDER BY code`,
  );
  return rows;
}
