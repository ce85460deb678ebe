import type { Logger } from 'pino';
import { recordAudit } from '../src/cases/audit.js';
import { loadCalendar, loadLegalPeriods } from '../src/cases/calendar-repository.js';
import { inTransaction, type Pool, type PoolClient } from '../src/db/pool.js';
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
 * Records retention of the housing waitlists (004 §17): "Kitab və siyahılarda yazılmış bütün
 * vətəndaşlara mənzil sahəsi verildikdən və ya onlar uçotdan çıxarıldıqdan sonra uçot kitabları
 * 10 il, uçot işləri və siyahılar isə 3 il saxlanır" — the periods run from the day ALL citizens
 * written in that book or list have been housed or removed, counted per book and per list, never
 * per entry. "Uçot kitabı ciddi hesabat sənədi kimi saxlanır": a book still in use is never
 * altered.
 *
 * - A list is a `waitlist` row (a body's general, first-turn or out-of-turn list, 004 §9). It is
 *   closed when none of its entries holds a place (active or held) and every entry's case has
 *   ended; it closed on the latest case_closed_on of its entries. After 'records-files-retention'
 *   (3 years) from that day the files of its entries go (family members, dwellings); the lines
 *   (dates, decision, status, registered FIN) stay, as lines of the book.
 * - The book is the registering body's book (004 §17: kept by the body), over all its lists. It
 *   is closed when all its lists are closed, on the latest day any of them closed. After
 *   'records-books-retention' (10 years) from that day its lines keep no personal data: the
 *   registered FIN is erased; the anonymous lines stay for the statistics and the audit trail.
 * - A new registration on a list (or the court restoring an entry) makes it live again: the
 *   count starts over when it closes again.
 *
 * A daily job (workflows/records-retention.bpmn), not a deletion on removal: the periods are
 * data (table legal_period) and counted as every period is (§8: to the same date, moved to the
 * next working day). "Today" is the engine's time of the job, in Baku. Each list and book is
 * handled in one transaction holding its `waitlist` rows FOR UPDATE, which waits for (and
 * blocks) a registration inserting into that list (the foreign key locks the row FOR KEY SHARE);
 * closure is checked again under that lock. Idempotent: every step is recorded on the entries
 * (records_file_destroyed_on, records_book_anonymized_on), done once, and audited once.
 */

export const FILES_PERIOD = 'records-files-retention';
export const BOOKS_PERIOD = 'records-books-retention';
const CITATION = '004 §17';
const ACTOR = 'system:apply-records-retention';
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
 * Whether the retention period counted from the day the book or list closed is over on
 * `today`: the records are kept to the end of the period's last day and go from the next day on.
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
  /** lists whose files were destroyed in this run */
  listsClosed: number;
  /** books whose lines were anonymised in this run */
  booksClosed: number;
  filesDestroyed: number;
  booksAnonymized: number;
}

/** The lists that are closed (no place held, every case ended) and still have a file. */
const CLOSED_LISTS_SQL = `
SELECT l.id, l.body_code,
       (SELECT max(e.case_closed_on) FROM waitlist_entry e WHERE e.waitlist_id = l.id)::text AS closed_on
  FROM waitlist l
 WHERE ($1::uuid IS NULL OR l.id = $1)
   AND EXISTS (SELECT 1 FROM waitlist_entry e WHERE e.waitlist_id = l.id AND e.records_file_destroyed_on IS NULL)
   AND NOT EXISTS (SELECT 1 FROM waitlist_entry e WHERE e.waitlist_id = l.id
                    AND (e.status IN ('active', 'held') OR e.case_closed_on IS NULL))`;

/** The bodies whose every list is closed and whose book still has personal data. */
const CLOSED_BOOKS_SQL = `
SELECT b.code,
       (SELECT max(e.case_closed_on) FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
         WHERE l.body_code = b.code)::text AS closed_on
  FROM registering_body b
 WHERE ($1::text IS NULL OR b.code = $1)
   AND EXISTS (SELECT 1 FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
                WHERE l.body_code = b.code AND e.records_book_anonymized_on IS NULL)
   AND NOT EXISTS (SELECT 1 FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
                    WHERE l.body_code = b.code
                      AND (e.status IN ('active', 'held') OR e.case_closed_on IS NULL))`;

async function destroyFiles(
  tx: PoolClient,
  where: { listId?: string; body?: string },
  today: CivilDate,
  audit: { reason: string; closedOn: CivilDate },
): Promise<number> {
  const entries = await tx.query<{ id: string }>(
    `SELECT e.id FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
      WHERE ($1::uuid IS NULL OR l.id = $1) AND ($2::text IS NULL OR l.body_code = $2)
        AND e.records_file_destroyed_on IS NULL
      ORDER BY e.id`,
    [where.listId ?? null, where.body ?? null],
  );
  const ids = entries.rows.map((r) => r.id);
  if (ids.length === 0) return 0;
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
    `UPDATE waitlist_entry SET records_file_destroyed_on = $2, updated_at = now() WHERE id = ANY($1::uuid[])`,
    [ids, today],
  );
  const count = (rows: { entry_id: string; n: number }[], id: string) =>
    rows.find((r) => r.entry_id === id)?.n ?? 0;
  for (const id of ids) {
    await recordAudit(tx, {
      caseType: 'waitlist-entry',
      caseId: id,
      actor: ACTOR,
      action: 'records-file-destroyed',
      legalGround: CITATION,
      reason: audit.reason,
      after: {
        retentionDate: today,
        listClosedOn: audit.closedOn,
        familyMembersDeleted: count(members.rows, id),
        dwellingsDeleted: count(dwellings.rows, id),
      },
    });
  }
  return ids.length;
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
  calendarPeriod(files);
  calendarPeriod(books);
  const result: RetentionResult = {
    retentionDate: today,
    listsClosed: 0,
    booksClosed: 0,
    filesDestroyed: 0,
    booksAnonymized: 0,
  };

  // Files and lists: 3 years after the list closed.
  const lists = await pool.query<{ id: string; body_code: string; closed_on: CivilDate }>(
    CLOSED_LISTS_SQL,
    [null],
  );
  for (const list of lists.rows) {
    if (!retentionOver(list.closed_on, files, today, calendar)) continue;
    const n = await inTransaction(pool, async (tx) => {
      // waits for a registration into this list; then the list is checked again
      await tx.query(`SELECT 1 FROM waitlist WHERE id = $1 FOR UPDATE`, [list.id]);
      const again = await tx.query<{ closed_on: CivilDate }>(CLOSED_LISTS_SQL, [list.id]);
      const closedOn = again.rows[0]?.closed_on;
      if (!closedOn || !retentionOver(closedOn, files, today, calendar)) return 0;
      return destroyFiles(tx, { listId: list.id }, today, {
        reason: `${files.length} ${files.unit} after every citizen of the list was housed or removed (${FILES_PERIOD})`,
        closedOn,
      });
    });
    if (n > 0) {
      result.listsClosed += 1;
      result.filesDestroyed += n;
    }
  }

  // Books: 10 years after every list of the body closed. Never while any list is in use.
  const bodies = await pool.query<{ code: string; closed_on: CivilDate }>(CLOSED_BOOKS_SQL, [null]);
  for (const book of bodies.rows) {
    if (!retentionOver(book.closed_on, books, today, calendar)) continue;
    const done = await inTransaction(pool, async (tx) => {
      await tx.query(`SELECT 1 FROM waitlist WHERE body_code = $1 ORDER BY id FOR UPDATE`, [
        book.code,
      ]);
      const again = await tx.query<{ closed_on: CivilDate }>(CLOSED_BOOKS_SQL, [book.code]);
      const closedOn = again.rows[0]?.closed_on;
      if (!closedOn || !retentionOver(closedOn, books, today, calendar)) return undefined;
      const filesToo = await destroyFiles(tx, { body: book.code }, today, {
        reason: `${books.length} ${books.unit} after every citizen of the book was housed or removed (${BOOKS_PERIOD})`,
        closedOn,
      });
      const lines = await tx.query<{ id: string }>(
        `UPDATE waitlist_entry e SET registered_fin = NULL, records_book_anonymized_on = $2, updated_at = now()
           FROM waitlist l
          WHERE l.id = e.waitlist_id AND l.body_code = $1 AND e.records_book_anonymized_on IS NULL
          RETURNING e.id`,
        [book.code, today],
      );
      for (const { id } of lines.rows) {
        await recordAudit(tx, {
          caseType: 'waitlist-entry',
          caseId: id,
          actor: ACTOR,
          action: 'records-book-anonymized',
          legalGround: CITATION,
          reason: `${books.length} ${books.unit} after every citizen of the book was housed or removed (${BOOKS_PERIOD})`,
          after: { retentionDate: today, bookClosedOn: closedOn, registeredFin: null },
        });
      }
      return { lines: lines.rowCount ?? 0, filesToo };
    });
    if (done && done.lines > 0) {
      result.booksClosed += 1;
      result.booksAnonymized += done.lines;
      result.filesDestroyed += done.filesToo;
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
