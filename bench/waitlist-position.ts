import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import express from 'express';
import pg from 'pg';
import { problemHandler } from '../src/api/problem.js';
import { waitlistRouter } from '../src/api/waitlist.js';
import { listEntries, POSITION_SQL, positionOf } from '../src/cases/waitlist-queue.js';
import { migrate } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';

/**
 * Waitlist position benchmark: a fresh database on the PostgreSQL server, migrated, with
 * ENTRIES (default 1,000,000) entries bulk-loaded into one list (plus 5 % of that in another
 * list of the same body), then the time of positionOf() for SAMPLES random entries and for the
 * last entries of the queue (the worst case for counting), the same through the HTTP endpoint,
 * a plain index-only count for comparison, deep pages of the list, and single-entry writes
 * (which maintain the per-day counts). The database is dropped at the end.
 *
 *   npm run build && node_modules/.bin/node dist/bench/waitlist-position.js
 *
 * TEST_PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server;
 * ENTRIES, SAMPLES, WORST change the sizes; EXPLAIN=1 prints the plan of the position query.
 */
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ENTRIES = Number(process.env.ENTRIES ?? 1_000_000);
const SAMPLES = Number(process.env.SAMPLES ?? 1000);
const WORST = Number(process.env.WORST ?? 200);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Stats {
  n: number;
  median: number;
  p99: number;
  max: number;
}

async function timeEach<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<Stats> {
  const ms: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    await fn(item);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { n: ms.length, median: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms.at(-1)! };
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * One list of `count` entries: registration days over 30 years (1996–2025, weekends moved to
 * the Friday before, busier in later years), need degree 0–3 (half 0), seniority 20 % none,
 * 3 % removed, 1 % housed, 2 % held; FINs unique.
 */
function loadSql(count: number, offset: number): string {
  return `
INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, need_degree, seniority_date,
                            decision_number, status, removed_on, case_closed_on)
SELECT $1, upper(lpad(to_hex(${offset} + i), 7, '0')), d.day,
       CASE WHEN r.need < 0.5 THEN 0 WHEN r.need < 0.8 THEN 1 WHEN r.need < 0.95 THEN 2 ELSE 3 END,
       CASE WHEN r.sen < 0.2 THEN NULL ELSE d.day - (r.sen * 30 * 365)::int END,
       'Q-' || (${offset} + i),
       CASE WHEN r.st < 0.03 THEN 'removed' WHEN r.st < 0.04 THEN 'housed' WHEN r.st < 0.06 THEN 'held' ELSE 'active' END,
       CASE WHEN r.st < 0.03 THEN d.day + 400 END,
       CASE WHEN r.st < 0.04 THEN d.day + 400 END
  FROM generate_series(1, ${count}) AS i
 CROSS JOIN LATERAL (SELECT i AS k, random() AS need, random() AS sen, random() AS st, random() AS day) AS r
 CROSS JOIN LATERAL (SELECT date '1996-01-01' + (sqrt(r.day) * 10957)::int AS raw) AS g
 CROSS JOIN LATERAL (SELECT CASE extract(isodow FROM g.raw) WHEN 6 THEN g.raw - 1 WHEN 7 THEN g.raw - 2 ELSE g.raw END AS day) AS d`;
}

async function main() {
  const name = `az_housing_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  let pool: Pool | undefined;
  let server: Server | undefined;
  try {
    pool = createPool({ connectionString: withDatabase(ADMIN_URL, name), max: 4 });
    await migrate(pool, createLogger('silent'));
    const lists = await pool.query<{ id: string; kind: string }>(
      `SELECT id, kind FROM waitlist WHERE body_code = 'baku-nasimi' AND kind IN ('general', 'first-turn')`,
    );
    const general = lists.rows.find((l) => l.kind === 'general')!.id;
    const firstTurn = lists.rows.find((l) => l.kind === 'first-turn')!.id;
    const other = Math.round(ENTRIES * 0.05);

    let loadMs = 0;
    let vacuumMs = 0;
    const load0 = performance.now();
    const c = await pool.connect();
    try {
      await c.query(`SET statement_timeout = 0`);
      await c.query(`SELECT setseed(0.42)`);
      await c.query(loadSql(ENTRIES, 0), [general]);
      await c.query(loadSql(other, ENTRIES), [firstTurn]);
      loadMs = performance.now() - load0;
      const vac0 = performance.now();
      await c.query(`VACUUM (ANALYZE) waitlist_entry`);
      await c.query(`VACUUM (ANALYZE) waitlist_day_count`);
      vacuumMs = performance.now() - vac0;
    } finally {
      c.release();
    }
    const size = await pool.query<{ table: string; queue_index: string; days: number }>(
      `SELECT pg_size_pretty(pg_table_size('waitlist_entry')) AS table,
              pg_size_pretty(pg_relation_size('waitlist_entry_queue_idx')) AS queue_index,
              (SELECT count(*) FROM waitlist_day_count WHERE waitlist_id = $1)::int AS days`,
      [general],
    );
    const counted = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM waitlist_entry WHERE waitlist_id = $1 AND status IN ('active', 'held')`,
      [general],
    );

    const random = (
      await pool.query<{ id: string }>(
        `SELECT id FROM waitlist_entry WHERE waitlist_id = $1 AND status IN ('active', 'held')
          ORDER BY random() LIMIT $2`,
        [general, SAMPLES],
      )
    ).rows.map((r) => r.id);
    const worst = (
      await pool.query<{ id: string }>(
        `SELECT id FROM waitlist_entry WHERE waitlist_id = $1 AND status IN ('active', 'held')
          ORDER BY registration_date DESC, neg_need DESC, seniority_sort DESC, neg_public_benefit DESC, id DESC LIMIT $2`,
        [general, WORST],
      )
    ).rows.map((r) => r.id);

    // correctness against a plain count, and warm-up
    const plainCount = async (id: string): Promise<number> => {
      const { rows } = await pool!.query<{ ahead: number }>(
        `SELECT count(*)::int AS ahead FROM waitlist_entry x, waitlist_entry e
          WHERE e.id = $1 AND x.waitlist_id = e.waitlist_id AND x.status IN ('active', 'held')
            AND (x.registration_date, x.neg_need, x.seniority_sort, x.neg_public_benefit, x.id)
              < (e.registration_date, e.neg_need, e.seniority_sort, e.neg_public_benefit, e.id)`,
        [id],
      );
      return rows[0]!.ahead;
    };
    for (const id of [...random.slice(0, 50), ...worst.slice(0, 10)]) {
      const p = await positionOf(pool, id);
      const ahead = await plainCount(id);
      if (p?.ahead !== ahead)
        throw new Error(`position of ${id}: ${p?.ahead} ≠ plain count ${ahead}`);
    }
    if ((await positionOf(pool, worst[0]!))?.position !== counted.rows[0]!.n)
      throw new Error('the last entry is not at the last position');

    if (process.env.EXPLAIN) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${POSITION_SQL}`,
        [worst[0]],
      );
      process.stdout.write(`${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\n`);
    }

    const results: [string, Stats][] = [];
    results.push([
      'positionOf, random entries',
      await timeEach(shuffle([...random]), (id) => positionOf(pool!, id)),
    ]);
    results.push([
      'positionOf, last entries (worst case)',
      await timeEach(worst, (id) => positionOf(pool!, id)),
    ]);

    const app = express();
    app.use(waitlistRouter({ pool }));
    app.use(problemHandler);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      await res.json();
    };
    for (const id of random.slice(0, 20))
      await get(`/api/v1/waitlist/baku-nasimi/entries/${id}/position`);
    results.push([
      'GET …/entries/{id}/position, random',
      await timeEach(shuffle([...random]), (id) =>
        get(`/api/v1/waitlist/baku-nasimi/entries/${id}/position`),
      ),
    ]);
    results.push([
      'GET …/entries/{id}/position, last',
      await timeEach(worst, (id) => get(`/api/v1/waitlist/baku-nasimi/entries/${id}/position`)),
    ]);

    const total = counted.rows[0]!.n;
    const offsets = Array.from({ length: 200 }, () => Math.floor(Math.random() * (total - 50)));
    results.push([
      'listEntries, 50 at a random offset',
      await timeEach(offsets, (offset) => listEntries(pool!, general, { offset, limit: 50 })),
    ]);
    results.push([
      'GET …/lists/general/entries, last page',
      await timeEach(
        Array.from({ length: 100 }, () => total - 50),
        (offset) =>
          get(`/api/v1/waitlist/baku-nasimi/lists/general/entries?offset=${offset}&limit=50`),
      ),
    ]);

    // for comparison: the index-only count alone, without the per-day counts
    results.push([
      'plain index-only count, random (no day counts)',
      await timeEach(random.slice(0, 200), plainCount),
    ]);
    results.push([
      'plain index-only count, last (no day counts)',
      await timeEach(worst.slice(0, 50), plainCount),
    ]);

    // writes keep the day counts: one statement per entry
    const toRemove = random.slice(0, 200);
    results.push([
      'UPDATE one entry to removed (trigger)',
      await timeEach(toRemove, (id) =>
        pool!.query(`UPDATE waitlist_entry SET status = 'removed' WHERE id = $1`, [id]),
      ),
    ]);
    let n = 0;
    results.push([
      'INSERT one entry (trigger)',
      await timeEach(Array.from({ length: 200 }), () =>
        pool!.query(
          `INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, need_degree, decision_number)
           VALUES ($1, $2, date '2026-11-20', 1, 'bench')`,
          [general, `Z${String(n++).padStart(6, '0')}`],
        ),
      ),
    ]);
    const check = await pool.query<{ ok: boolean }>(
      `SELECT (SELECT sum(entries) FROM waitlist_day_count WHERE waitlist_id = $1)
            = (SELECT count(*) FROM waitlist_entry WHERE waitlist_id = $1 AND status IN ('active', 'held')) AS ok`,
      [general],
    );
    if (!check.rows[0]!.ok) throw new Error('day counts disagree with the entries after writes');

    const version = (
      await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
    ).rows[0]!.v;
    const cpu = os.cpus();
    const lines = [
      `waitlist position benchmark — ${new Date().toISOString().slice(0, 10)}`,
      `machine: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; PostgreSQL ${version}; Node ${process.version}`,
      `data: ${ENTRIES.toLocaleString('en')} entries in one list (${total.toLocaleString('en')} active or held, ${size.rows[0]!.days} registration days) + ${other.toLocaleString('en')} in another list; table ${size.rows[0]!.table}, queue index ${size.rows[0]!.queue_index}`,
      `bulk load (one INSERT … generate_series per list, triggers included) ${(loadMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s`,
      '',
      `| measurement | n | median ms | p99 ms | max ms |`,
      `|---|---:|---:|---:|---:|`,
      ...results.map(
        ([label, s]) =>
          `| ${label} | ${s.n} | ${s.median.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.max.toFixed(2)} |`,
      ),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await pool?.end();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
