import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAccount, createSession } from '../src/auth/accounts.js';
import { authenticate } from '../src/auth/authenticate.js';
import { problemHandler } from '../src/api/problem.js';
import { waitlistRouter } from '../src/api/waitlist.js';
import { listEntries, POSITION_SQL, positionOf } from '../src/cases/waitlist-queue.js';
import { migrate } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import type { JobContext } from '../src/engine/worker.js';
import { createLogger } from '../src/logger.js';
import releaseSlot from '../workers/release-slot.js';
import holdSlotForTransfer from '../workers/hold-slot-for-transfer.js';
import transferRegistration from '../workers/transfer-registration.js';
import { writeChart } from './support/chart.js';
import { machineInfo, round, writeResult, type BenchTable } from './support/results.js';
import { ADMIN_URL, withDatabase, adminQuery } from './support/database.js';

/**
 * Queue position benchmark (`npm run bench:queue`, issue 13 item 4): a fresh database on the PostgreSQL server, migrated, with
 * ENTRIES (default 1,000,000) entries bulk-loaded into one list (plus 5 % of that in another
 * list of the same body), then the time of positionOf() for SAMPLES random entries and for the
 * last entries of the queue (the worst case for counting), the same through the HTTP endpoint,
 * a plain index-only count for comparison, deep pages of the list, and single-entry writes
 * (which maintain the per-day counts). Then the cost of a removal (the release-slot worker,
 * Housing Code 55.2) and of a transfer (hold-slot-for-transfer then transfer-registration,
 * 002 §2.1, §2.6) on everybody else: the xmin of every entry of the list is kept before and
 * compared after, so any row of another person rewritten would show; the per-day counts
 * (waitlist_day_count) are counted apart. Writes bench/results/queue-position.json and
 * docs/benchmarks/queue-position.svg. The database is dropped at the end.
 *
 *   npm run bench:queue
 *
 * TEST_PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server;
 * ENTRIES, SAMPLES, WORST, CHANGES change the sizes; EXPLAIN=1 prints the plan of the position
 * query.
 */
const ENTRIES = Number(process.env.ENTRIES ?? 1_000_000);
const SAMPLES = Number(process.env.SAMPLES ?? 1000);
const WORST = Number(process.env.WORST ?? 200);
/** removals and transfers each, run against the kept xmins */
const CHANGES = Number(process.env.CHANGES ?? 20);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Stats {
  n: number;
  median: number;
  p99: number;
  max: number;
}

async function timeEach<T>(
  items: T[],
  fn: (item: T, index: number) => Promise<unknown>,
): Promise<Stats> {
  const ms: number[] = [];
  for (const [i, item] of items.entries()) {
    const t0 = performance.now();
    await fn(item, i);
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

const say = (text: string) => process.stdout.write(`${text}\n`);

interface ChangeCost {
  label: string;
  stats: Stats;
  /** entries of the targeted people that changed */
  ownChanged: number;
  /** entries of anybody else whose row was rewritten (xmin changed) */
  othersRewritten: number;
  /** rows of waitlist_day_count changed */
  dayCountRows: number;
}

function job<V>(variables: V): JobContext<V> {
  const key = randomUUID();
  return {
    key,
    processInstanceKey: key,
    bpmnProcessId: 'bench',
    elementId: 'bench',
    elementInstanceKey: key,
    retries: 3,
    engineTime: new Date(),
    variables,
    headers: {},
  };
}

/** Keeps every entry's and every day count's xmin; returns a function counting what changed since. */
async function keepXmins(
  pool: Pool,
): Promise<(own: string[]) => Promise<[number, number, number]>> {
  await pool.query(`DROP TABLE IF EXISTS bench_entry_xmin, bench_day_xmin`);
  await pool.query(
    `CREATE UNLOGGED TABLE bench_entry_xmin AS SELECT id, xmin::text AS x FROM waitlist_entry`,
  );
  await pool.query(
    `CREATE UNLOGGED TABLE bench_day_xmin AS
       SELECT waitlist_id, registration_date, xmin::text AS x FROM waitlist_day_count`,
  );
  return async (own) => {
    const { rows } = await pool.query<{ own: number; others: number; days: number }>(
      `SELECT count(*) FILTER (WHERE e.id = ANY($1::uuid[]))::int AS own,
              count(*) FILTER (WHERE e.id <> ALL($1::uuid[]))::int AS others,
              (SELECT count(*) FROM waitlist_day_count d
                 LEFT JOIN bench_day_xmin b USING (waitlist_id, registration_date)
                WHERE b.x IS DISTINCT FROM d.xmin::text)::int AS days
         FROM waitlist_entry e JOIN bench_entry_xmin b USING (id)
        WHERE e.xmin::text <> b.x`,
      [own],
    );
    const r = rows[0]!;
    return [r.own, r.others, r.days];
  };
}

/**
 * n removals (release-slot) and n transfers (hold-slot-for-transfer, transfer-registration) of
 * random active entries, each counted apart against the xmins kept just before it.
 */
async function removalsAndTransfers(pool: Pool, list: string, n: number): Promise<ChangeCost[]> {
  const deps = { pool, log: createLogger('silent'), now: () => new Date() };
  const targets = (
    await pool.query<{ id: string }>(
      `SELECT id FROM waitlist_entry WHERE waitlist_id = $1 AND status = 'active' ORDER BY random() LIMIT $2`,
      [list, 2 * n],
    )
  ).rows.map((r) => r.id);
  const removed = targets.slice(0, n);
  const transferred = targets.slice(n);
  const caseOf = async (kind: string, entryId: string, details: object) =>
    (
      await pool.query<{ id: string }>(
        `INSERT INTO waitlist_case (kind, body_code, entry_id, details, status)
         VALUES ($1, 'baku-nasimi', $2, $3, 'open') RETURNING id`,
        [kind, entryId, JSON.stringify(details)],
      )
    ).rows[0]!.id;
  const removalCases = await Promise.all(removed.map((e) => caseOf('seizure', e, {})));
  let fin = 0;
  const transferCases = await Promise.all(
    transferred.map((e) =>
      caseOf('transfer', e, { representative: { fin: `R${String(fin++).padStart(6, '0')}` } }),
    ),
  );

  let changed = await keepXmins(pool);
  const removal = await timeEach(removed, (entryId, i) =>
    releaseSlot.handle(
      job({
        caseId: removalCases[i]!,
        entryId,
        decision: {
          legalGround: 'seizure-bench',
          legalGroundCitation: 'Housing Code 55.1',
          reason: 'benchmark',
        },
      }),
      deps,
    ),
  );
  const [rOwn, rOthers, rDays] = await changed(removed);

  changed = await keepXmins(pool);
  const transfer = await timeEach(transferred, async (entryId, i) => {
    await holdSlotForTransfer.handle(
      job({ caseId: transferCases[i]!, entryId, heldUntil: '2027-06-01', deathDate: '2026-11-01' }),
      deps,
    );
    await transferRegistration.handle(
      job({
        caseId: transferCases[i]!,
        decision: { legalGround: 'transfer-registration', reason: 'benchmark' },
      }),
      deps,
    );
  });
  const [tOwn, tOthers, tDays] = await changed(transferred);
  await pool.query(`DROP TABLE IF EXISTS bench_entry_xmin, bench_day_xmin`);
  return [
    {
      label: 'removal (release-slot, 55.2)',
      stats: removal,
      ownChanged: rOwn,
      othersRewritten: rOthers,
      dayCountRows: rDays,
    },
    {
      label: 'transfer (hold-slot-for-transfer + transfer-registration, 002 §2.1, §2.6)',
      stats: transfer,
      ownChanged: tOwn,
      othersRewritten: tOthers,
      dayCountRows: tDays,
    },
  ];
}

async function main() {
  const started = performance.now();
  const startedAt = Date.now();
  const name = `az_housing_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
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

    // a signed-in operator of the body (bearer session token), as the staff screens call it
    await createAccount(pool, {
      id: 'bench-operator',
      displayName: 'Bench operator',
      roles: ['operator'],
      bodies: ['baku-nasimi'],
    });
    const { token } = await createSession(pool, 'bench-operator', 2);
    const app = express();
    app.use(authenticate({ pool }));
    app.use(waitlistRouter({ pool }));
    app.use(problemHandler);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
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

    // removals and transfers: every entry's xmin kept before, compared after
    const changes = await removalsAndTransfers(pool, general, CHANGES);

    const version = (
      await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
    ).rows[0]!.v;
    const machine = machineInfo(version);
    const before: Record<string, string> = {
      'positionOf, random entries': '1.6 / 3.5',
    };
    const tables: BenchTable[] = [
      {
        caption: `Reads and single writes, ${ENTRIES.toLocaleString('en')} entries in one list`,
        columns: [
          'measurement',
          'n',
          'median ms',
          'p99 ms',
          'max ms',
          'before the move (median / p99 ms)',
        ],
        rows: results.map(([label, st]) => [
          label,
          st.n,
          round(st.median),
          round(st.p99),
          round(st.max),
          before[label] ?? '',
        ]),
      },
      {
        caption: 'Cost of a removal or a transfer on the other entries of the list',
        columns: [
          'operation',
          'n',
          'median ms',
          'p99 ms',
          'entries changed (own)',
          'entries of other people rewritten',
          'per-day count rows changed',
        ],
        rows: changes.map((c) => [
          c.label,
          c.stats.n,
          round(c.stats.median),
          round(c.stats.p99),
          c.ownChanged,
          c.othersRewritten,
          c.dayCountRows,
        ]),
      },
    ];
    const pick = (label: string) => results.find(([l]) => l === label)![1];
    const chartLabels = [
      'positionOf, random entries',
      'positionOf, last entries (worst case)',
      'GET …/entries/{id}/position, random',
      'GET …/entries/{id}/position, last',
    ];
    const chart = writeChart('queue-position', {
      title: `Queue position at ${ENTRIES.toLocaleString('en')} entries`,
      unit: 'ms',
      labels: chartLabels,
      series: [
        { name: 'median', values: chartLabels.map((l) => round(pick(l).median)) },
        { name: 'p99', values: chartLabels.map((l) => round(pick(l).p99)) },
      ],
    });
    const others = changes.reduce((n, c) => n + c.othersRewritten, 0);
    const file = writeResult({
      name: 'queue-position',
      title: 'Queue position',
      command: 'npm run bench:queue',
      startedAt: new Date(startedAt).toISOString(),
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      machine,
      settings: {
        ENTRIES,
        'entries holding a place': total,
        'other list': other,
        'registration days': size.rows[0]!.days,
        SAMPLES,
        WORST,
        CHANGES,
        'table size': size.rows[0]!.table,
        'queue index size': size.rows[0]!.queue_index,
        'bulk load s': round(loadMs / 1000),
        'VACUUM ANALYZE s': round(vacuumMs / 1000),
      },
      tables,
      targets: [
        {
          target: 'a removal or a transfer rewrites no row of another person',
          figure: `${others} rows of other people rewritten by ${CHANGES} removals and ${CHANGES} transfers`,
          met: others === 0,
          ...(others === 0
            ? {}
            : {
                evidence: 'entries whose xmin changed although the operation did not target them',
              }),
        },
      ],
      notes: [
        'Positions are derived (entries of earlier registration days from waitlist_day_count, kept by triggers, plus an index range within the day), never stored: a removal or a transfer changes its own entry and, for a removal, the one per-day count row of its registration day.',
        'Removal: the release-slot worker (Housing Code 55.2); transfer: hold-slot-for-transfer (002 §2.1) then transfer-registration (002 §2.6), each called as the worker host calls it, against the same database.',
        'Other rows rewritten: the xmin of every entry of the database is kept in a table before the operations and compared after (a rewritten row gets a new xmin).',
      ],
      charts: [chart],
    });
    say(`wrote ${file}`);
    for (const [label, st] of results)
      say(
        `${label.padEnd(48)} n ${String(st.n).padStart(5)}  median ${st.median.toFixed(2)} ms  p99 ${st.p99.toFixed(2)} ms`,
      );
    for (const c of changes)
      say(
        `${c.label.padEnd(48)} n ${c.stats.n}  median ${c.stats.median.toFixed(1)} ms  own ${c.ownChanged}  others rewritten ${c.othersRewritten}  day-count rows ${c.dayCountRows}`,
      );
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await pool?.end();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
