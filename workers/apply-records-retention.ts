import type { Logger } from 'pino';
import { recordAudit } from '../src/cases/audit.js';
import { loadCalendar, loadLegalPeriods } from '../src/cases/calendar-repository.js';
import { inTransaction, type Pool } from '../src/db/pool.js';
import {
  addDays,
  addToCivilDate,
  CalendarDataMissingError,
  civilDateInBaku,
  compareCivilDates,
  type CalendarPeriod,
  type CivilDate,
  type WorkingDayCalendar,
} from '../src/domain/calendar.js';
import { computeDeadline, requirePeriod, type LegalPeriod } from '../src/domain/legal-periods.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Records retention of the housing waitlists (004 §17): "after every citizen in the books and
 * lists has been given housing or removed from the waitlist, the books are kept 10 years, the
 * files and lists 3 years". Per waitlist entry, counted from the day its case ended
 * (waitlist_entry.case_closed_on, for entries removed or housed):
 *
 * - after 'records-files-retention' (3 years) the file goes: the family members and the
 *   dwellings are deleted; the book line (dates, decision, status, registered FIN) stays;
 * - after 'records-books-retention' (10 years) the book line keeps no personal data: the
 *   registered FIN is erased; the anonymous line stays for the statistics and the audit trail.
 *
 * A daily job (workflows/records-retention.bpmn), not a deletion on removal: the periods are
 * data (table legal_period) and counted as every period is (§8: to the same date, moved to the
 * next working day). "Today" is the engine's time of the job, in Baku. Idempotent: every step
 * is recorded on the entry (records_file_destroyed_on, records_book_anonymized_on), done once,
 * and audited once.
 */

export const FILES_PERIOD = 'records-files-retention';
export const BOOKS_PERIOD = 'records-books-retention';
const CITATION = '004 §17';
const ACTOR = 'system:apply-records-retention';
const BATCH = 500;
/**
 * Where the calendar has no data for the year a period ends in (years before 2025), the end is
 * taken as the plain date plus this many days, more than the longest run of days off (Novruz
 * with Ramazan and the weekends: 11 days in 2026): records are kept a little longer rather
 * than destroyed a day early.
 */
export const UNKNOWN_CALENDAR_MARGIN_DAYS = 31;

function calendarPeriod(period: LegalPeriod): CalendarPeriod {
  switch (period.unit) {
    case 'years':
      return { years: period.length };
    case 'months':
      return { months: period.length };
    case 'calendar_days':
      return { days: period.length };
    default:
      throw new TypeError(`retention period ${period.code} must be in calendar units`);
  }
}

/**
 * Whether the retention period counted from the end of the case is over on `today`: the
 * records are kept to the end of the period's last day and go from the next day on.
 */
export function retentionOver(
  closedOn: CivilDate,
  period: LegalPeriod,
  today: CivilDate,
  calendar: WorkingDayCalendar,
): boolean {
  let lastDay: CivilDate;
  try {
    lastDay = computeDeadline(period, closedOn, calendar).dueDate;
  } catch (err) {
    if (!(err instanceof CalendarDataMissingError)) throw err;
    lastDay = addDays(
      addToCivilDate(closedOn, calendarPeriod(period)),
      UNKNOWN_CALENDAR_MARGIN_DAYS,
    );
  }
  return compareCivilDates(today, lastDay) > 0;
}

export interface RetentionResult {
  retentionDate: CivilDate;
  filesDestroyed: number;
  booksAnonymized: number;
}

interface Candidate {
  id: string;
  closedOn: CivilDate;
}

/**
 * The entries that may be due, oldest first, page by page (keyset on case_closed_on, id, so
 * entries not yet due after the working-day rule are passed over, not fetched again). The SQL
 * filter is the plain date (closed + period <= today); retentionOver() decides.
 */
async function* candidates(
  pool: Pool,
  period: LegalPeriod,
  today: CivilDate,
  pending: 'file' | 'book',
): AsyncGenerator<Candidate[]> {
  const interval = `${period.length} ${period.unit === 'calendar_days' ? 'days' : period.unit}`;
  calendarPeriod(period); // rejects units that are not calendar units
  let after: Candidate = { id: '00000000-0000-0000-0000-000000000000', closedOn: '0001-01-01' };
  for (;;) {
    const { rows } = await pool.query<{ id: string; closed_on: string }>(
      `SELECT id, case_closed_on::text AS closed_on FROM waitlist_entry
        WHERE case_closed_on IS NOT NULL AND records_book_anonymized_on IS NULL
          AND status IN ('removed', 'housed')
          AND ($4 = 'book' OR records_file_destroyed_on IS NULL)
          AND case_closed_on <= ($1::date - $2::interval)::date
          AND (case_closed_on, id) > ($3::date, $5::uuid)
        ORDER BY case_closed_on, id LIMIT ${BATCH}`,
      [today, interval, after.closedOn, pending, after.id],
    );
    if (rows.length === 0) return;
    const page = rows.map((r) => ({ id: r.id, closedOn: r.closed_on }));
    after = page[page.length - 1]!;
    yield page;
    if (rows.length < BATCH) return;
  }
}

/** Applies both retention periods as of `today`. Safe to run again and concurrently. */
export async function applyRecordsRetention(
  pool: Pool,
  today: CivilDate,
  log?: Logger,
): Promise<RetentionResult> {
  const [calendar, periods] = await Promise.all([loadCalendar(pool), loadLegalPeriods(pool)]);
  const files = requirePeriod(periods, FILES_PERIOD);
  const books = requirePeriod(periods, BOOKS_PERIOD);
  const result: RetentionResult = { retentionDate: today, filesDestroyed: 0, booksAnonymized: 0 };

  for (const stage of ['file', 'book'] as const) {
    const period = stage === 'file' ? files : books;
    for await (const page of candidates(pool, period, today, stage)) {
      const due = page.filter((c) => retentionOver(c.closedOn, period, today, calendar));
      if (due.length === 0) continue;
      const done = await inTransaction(pool, async (tx) => {
        // entries another run holds are left to it; entries it finished no longer match
        const locked = await tx.query<{ id: string; closed_on: string; file_done: boolean }>(
          `SELECT id, case_closed_on::text AS closed_on, records_file_destroyed_on IS NOT NULL AS file_done
             FROM waitlist_entry
            WHERE id = ANY($1::uuid[]) AND records_book_anonymized_on IS NULL
              AND ($2 = 'book' OR records_file_destroyed_on IS NULL)
            ORDER BY id FOR UPDATE SKIP LOCKED`,
          [due.map((c) => c.id), stage],
        );
        const ids = locked.rows.map((r) => r.id);
        if (ids.length === 0) return { entries: 0, filesToo: 0 };
        const members = await tx.query<{ entry_id: string; n: number }>(
          `WITH gone AS (DELETE FROM waitlist_family_member WHERE entry_id = ANY($1::uuid[]) RETURNING entry_id)
           SELECT entry_id, count(*)::int AS n FROM gone GROUP BY entry_id`,
          [ids],
        );
        const dwellings = await tx.query<{ entry_id: string; n: number }>(
          `WITH gone AS (DELETE FROM waitlist_dwelling WHERE entry_id = ANY($1::uuid[]) RETURNING entry_id)
           SELECT entry_id, count(*)::int AS n FROM gone GROUP BY entry_id`,
          [ids],
        );
        await tx.query(
          stage === 'file'
            ? `UPDATE waitlist_entry SET records_file_destroyed_on = $2, updated_at = now()
                WHERE id = ANY($1::uuid[])`
            : `UPDATE waitlist_entry SET registered_fin = NULL,
                      records_file_destroyed_on = coalesce(records_file_destroyed_on, $2),
                      records_book_anonymized_on = $2, updated_at = now()
                WHERE id = ANY($1::uuid[])`,
          [ids, today],
        );
        const count = (rows: { entry_id: string; n: number }[], id: string) =>
          rows.find((r) => r.entry_id === id)?.n ?? 0;
        for (const row of locked.rows) {
          const fileDestroyed = stage === 'file' || !row.file_done;
          if (fileDestroyed) {
            await recordAudit(tx, {
              caseType: 'waitlist-entry',
              caseId: row.id,
              actor: ACTOR,
              action: 'records-file-destroyed',
              legalGround: CITATION,
              reason: `${files.length} ${files.unit} after the case ended (${FILES_PERIOD})`,
              after: {
                retentionDate: today,
                caseClosedOn: row.closed_on,
                familyMembersDeleted: count(members.rows, row.id),
                dwellingsDeleted: count(dwellings.rows, row.id),
              },
            });
          }
          if (stage === 'book') {
            await recordAudit(tx, {
              caseType: 'waitlist-entry',
              caseId: row.id,
              actor: ACTOR,
              action: 'records-book-anonymized',
              legalGround: CITATION,
              reason: `${books.length} ${books.unit} after the case ended (${BOOKS_PERIOD})`,
              after: { retentionDate: today, caseClosedOn: row.closed_on, registeredFin: null },
            });
          }
        }
        return {
          entries: ids.length,
          filesToo: stage === 'book' ? locked.rows.filter((r) => !r.file_done).length : 0,
        };
      });
      if (stage === 'file') result.filesDestroyed += done.entries;
      else {
        result.booksAnonymized += done.entries;
        result.filesDestroyed += done.filesToo;
      }
    }
  }
  log?.info(result, 'records retention applied');
  return result;
}

export default defineWorker<Record<string, never>, RetentionResult>({
  taskType: 'apply-records-retention',
  fetchVariables: [],
  timeoutMs: 10 * 60_000,
  async handle(job, { pool, log }) {
    return applyRecordsRetention(pool, civilDateInBaku(job.engineTime), log);
  },
});
