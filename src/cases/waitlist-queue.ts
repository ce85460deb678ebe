import type { Pool, PoolClient } from '../db/pool.js';
import type { WaitlistEntryStatus } from '../domain/queue-order.js';

/**
 * Places on a housing waitlist (56.1, 004 §9, §22), derived on demand and never stored: the
 * order is the btree key (registration_date, neg_need, seniority_sort, neg_public_benefit, id) of
 * the entries that
 * hold a place (active or held), see migration 1732240000021 and src/domain/queue-order.ts.
 *
 * A position is the number of entries ahead plus one. Entries ahead = the entries of earlier
 * registration days (the sum of table waitlist_day_count, kept exact by triggers: about 365
 * rows per year of the list) + the entries of the same day that come first (an index range
 * within one day). Both are read in one statement, so they see one snapshot. Measured at
 * 1,000,000 entries in one list: docs/benchmarks.md.
 */

export type WaitlistKind = 'general' | 'first-turn' | 'out-of-turn';
export const WAITLIST_KINDS: readonly WaitlistKind[] = ['general', 'first-turn', 'out-of-turn'];

export interface WaitlistRef {
  id: string;
  body: string;
  kind: WaitlistKind;
}

export interface QueuePosition {
  entryId: string;
  status: WaitlistEntryStatus;
  list: WaitlistRef;
  /** 1-based place among the entries holding a place in the list; null when removed or housed */
  position: number | null;
  /** entries ahead (position - 1); null when removed or housed */
  ahead: number | null;
  /** entries holding a place in the list */
  total: number;
}

type Db = Pool | PoolClient;

export const POSITION_SQL = `
SELECT e.id, e.status, w.id AS list_id, w.body_code, w.kind, days.total::bigint AS total,
       CASE WHEN e.status IN ('active', 'held') THEN
         days.before + (
           SELECT count(*) FROM waitlist_entry x
            WHERE x.waitlist_id = e.waitlist_id
              AND x.status IN ('active', 'held')
              AND x.registration_date = e.registration_date
              AND (x.neg_need, x.seniority_sort, x.neg_public_benefit, x.id)
                < (e.neg_need, e.seniority_sort, e.neg_public_benefit, e.id))
       END::bigint AS ahead
  FROM waitlist_entry e
  JOIN waitlist w ON w.id = e.waitlist_id
 CROSS JOIN LATERAL (
   SELECT coalesce(sum(c.entries) FILTER (WHERE c.registration_date < e.registration_date), 0) AS before,
          coalesce(sum(c.entries), 0) AS total
     FROM waitlist_day_count c WHERE c.waitlist_id = e.waitlist_id) AS days
 WHERE e.id = $1`;

/**
 * The place of an entry in its list; undefined for an unknown id, or when `body` is given and
 * the entry's list belongs to another body.
 */
export async function positionOf(
  db: Db,
  entryId: string,
  body?: string,
): Promise<QueuePosition | undefined> {
  const { rows } = await db.query<{
    id: string;
    status: WaitlistEntryStatus;
    list_id: string;
    body_code: string;
    kind: WaitlistKind;
    total: number;
    ahead: number | null;
  }>(POSITION_SQL, [entryId]);
  const r = rows[0];
  if (!r || (body !== undefined && r.body_code !== body)) return undefined;
  return {
    entryId: r.id,
    status: r.status,
    list: { id: r.list_id, body: r.body_code, kind: r.kind },
    position: r.ahead === null ? null : r.ahead + 1,
    ahead: r.ahead,
    total: r.total,
  };
}

/** The list of a body by kind; undefined when the body keeps no such list. */
export async function findWaitlist(
  db: Db,
  body: string,
  kind: WaitlistKind,
): Promise<WaitlistRef | undefined> {
  const { rows } = await db.query<WaitlistRef>(
    `SELECT id, body_code AS body, kind FROM waitlist WHERE body_code = $1 AND kind = $2`,
    [body, kind],
  );
  return rows[0];
}

export async function bodyExists(db: Db, body: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM registering_body WHERE code = $1`, [body]);
  return rowCount === 1;
}

/** One line of a list, in queue order. No personal data (FIN) leaves here. */
export interface ListedEntry {
  id: string;
  position: number;
  registrationDate: string;
  needDegree: number;
  seniorityDate: string | null;
  /** 004 §22: public-benefit activity, 0–10 (higher first among equals) */
  publicBenefit: number;
  status: 'active' | 'held';
  decisionNumber: string;
  offerBarredUntil: string | null;
}

export interface ListPage {
  total: number;
  offset: number;
  limit: number;
  entries: ListedEntry[];
}

// The page starts on the registration day where the running count of the days passes
// `offset`: a deep page (offset 900,000) costs a scan of the day counts plus the page, not
// 900,000 skipped index entries. One statement, so the total and the page share a snapshot; an
// empty page still returns one row carrying the total.
const LIST_SQL = `
WITH days AS (
  SELECT registration_date, entries, sum(entries) OVER (ORDER BY registration_date) AS running
    FROM waitlist_day_count WHERE waitlist_id = $1 AND entries > 0
), start AS (
  SELECT registration_date, running - entries AS before
    FROM days WHERE running > $2 ORDER BY registration_date LIMIT 1
)
SELECT (SELECT coalesce(sum(entries), 0) FROM days)::bigint AS total,
       p.id, p.registration_date::text AS "registrationDate", p.need_degree AS "needDegree",
       p.seniority_date::text AS "seniorityDate", p.public_benefit AS "publicBenefit", p.status, p.decision_number AS "decisionNumber",
       p.offer_barred_until::text AS "offerBarredUntil"
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
    SELECT e.* FROM start s
     CROSS JOIN LATERAL (
       SELECT e.* FROM waitlist_entry e
        WHERE e.waitlist_id = $1 AND e.status IN ('active', 'held')
          AND e.registration_date >= s.registration_date
        ORDER BY e.registration_date, e.neg_need, e.seniority_sort, e.neg_public_benefit, e.id
       OFFSET $2 - s.before LIMIT $3) AS e) AS p ON true
 ORDER BY p.registration_date, p.neg_need, p.seniority_sort, p.neg_public_benefit, p.id`;

/** A page of a list in queue order, with each entry's position (offset + 1, + 2, ...). */
export async function listEntries(
  db: Db,
  listId: string,
  page: { offset: number; limit: number },
): Promise<ListPage> {
  if (!Number.isSafeInteger(page.offset) || page.offset < 0)
    throw new RangeError('offset must be a non-negative integer');
  if (!Number.isSafeInteger(page.limit) || page.limit < 1)
    throw new RangeError('limit must be a positive integer');
  const { rows } = await db.query<
    { total: number } & { [K in keyof Omit<ListedEntry, 'position'>]: ListedEntry[K] | null }
  >(LIST_SQL, [listId, page.offset, page.limit]);
  const entries: ListedEntry[] = [];
  for (const r of rows) {
    if (r.id === null) continue;
    const { total: _total, ...entry } = r;
    entries.push({
      ...(entry as Omit<ListedEntry, 'position'>),
      position: page.offset + entries.length + 1,
    });
  }
  return { total: rows[0]?.total ?? 0, offset: page.offset, limit: page.limit, entries };
}
