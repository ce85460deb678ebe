import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import express from 'express';
import pg from 'pg';
import { apartmentsRouter } from '../src/api/apartments.js';
import { problemHandler } from '../src/api/problem.js';
import { migrate } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';

/**
 * Apartment selection benchmark (003 §5.7, §5.7-1): an open announcement of APARTMENTS (default
 * 2,000) apartments and HOLDERS (default 50,000) cabinet holders on a fresh database. Every
 * holder, CONCURRENCY at a time, selects a random apartment through the HTTP API (the real
 * router and case layer; the portal's principal set directly); a holder who loses gets 409 and
 * asks for a waiting slot on another random apartment. Latency p50/p99 per kind of answer, the
 * listing of free apartments with filters, and the correctness of the end state (no apartment
 * locked twice, no more than two waiting slots, no holder with two live selections) are
 * printed. The engine is not involved: the engine and notice outboxes only receive rows.
 *
 *   npm run build && node dist/bench/apartment-selection.js
 *
 * TEST_PG_ADMIN_URL names the server; APARTMENTS, HOLDERS, CONCURRENCY change the sizes.
 */
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const APARTMENTS = Number(process.env.APARTMENTS ?? 2_000);
const HOLDERS = Number(process.env.HOLDERS ?? 50_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);

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
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: s.length,
    p50: r(quantile(s, 0.5)),
    p99: r(quantile(s, 0.99)),
    max: r(s.at(-1) ?? NaN),
  };
}

async function seed(
  pool: Pool,
): Promise<{ announcementId: string; apartments: string[]; holders: string[] }> {
  const a = await pool.query<{ id: string }>(
    `INSERT INTO announcement (status, content, built_percent, payment_method, electronic, selection_starts_on,
                               selection_ends_on, published_on, publication_seq, drafted_by)
     VALUES ('open', '{}', 60, 'mortgage-and-own-funds', true, current_date, current_date + 29, current_date - 30,
             nextval('announcement_publication_seq'), 'bench') RETURNING id`,
  );
  const announcementId = a.rows[0]!.id;
  await pool.query(
    `INSERT INTO apartment (announcement_id, building, number, address, rooms, floor, area_m2, price_qepik)
     SELECT $1, 'B' || (i % 20 + 1), i::text, 'Bakı, bench', 1 + i % 4, 1 + i % 16, 40 + (i % 4) * 20,
            4000000 + (i % 4) * 1500000
       FROM generate_series(1, $2) AS i`,
    [announcementId, APARTMENTS],
  );
  await pool.query(
    `INSERT INTO application (applicant_fin, category, status, form)
     SELECT upper(lpad(to_hex(i), 7, '0')), 9, 'approved', '{"email": "bench@example.az"}'::jsonb
       FROM generate_series(1, $1) AS i`,
    [HOLDERS],
  );
  await pool.query(`ANALYZE apartment; ANALYZE application`);
  const apartments = (await pool.query<{ id: string }>(`SELECT id FROM apartment`)).rows.map(
    (r) => r.id,
  );
  const holders = (await pool.query<{ id: string }>(`SELECT id FROM application`)).rows.map(
    (r) => r.id,
  );
  return { announcementId, apartments, holders };
}

async function main() {
  const name = `az_housing_bench_apt_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  let pool: Pool | undefined;
  let server: Server | undefined;
  try {
    pool = createPool({ connectionString: withDatabase(ADMIN_URL, name), max: CONCURRENCY });
    await migrate(pool, createLogger('silent'));
    const s0 = performance.now();
    const { announcementId, apartments, holders } = await seed(pool);
    const seedMs = performance.now() - s0;

    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      req.principal = {
        id: 'portal',
        name: 'portal',
        kind: 'service',
        roles: ['portal'],
        bodies: [],
        via: 'service-token',
      };
      next();
    });
    app.use(apartmentsRouter({ pool, onEngineMessagesQueued: () => undefined }));
    app.use(problemHandler);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = async (path: string, body: unknown) => {
      const t0 = performance.now();
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { errors?: { message: string }[] };
      return { status: res.status, ms: performance.now() - t0, json };
    };
    const pick = () => apartments[Math.floor(Math.random() * apartments.length)]!;

    const times: Record<string, number[]> = {
      'select 201': [],
      'select 409': [],
      'wait 201': [],
      'wait 409': [],
      other: [],
    };
    let nextHolder = 0;
    const w0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const i = nextHolder++;
          if (i >= holders.length) return;
          const h = holders[i]!;
          const s = await post(`/api/v1/cabinet/${h}/selections`, {
            apartmentId: pick(),
            paymentMethod: 'own-funds',
          });
          (times[`select ${s.status}`] ?? times.other!).push(s.ms);
          if (s.status === 409) {
            const w = await post(`/api/v1/cabinet/${h}/waiting-selections`, {
              apartmentId: pick(),
              paymentMethod: 'own-funds',
            });
            (times[`wait ${w.status}`] ?? times.other!).push(w.ms);
          }
        }
      }),
    );
    const wallMs = performance.now() - w0;

    const list: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const res = await fetch(
        `${base}/api/v1/apartment-announcements/${announcementId}/apartments?rooms=${1 + (i % 4)}&floor=${1 + (i % 16)}&maxPriceQepik=9000000&limit=50`,
      );
      await res.arrayBuffer();
      list.push(performance.now() - t0);
    }

    const check = await pool.query<Record<string, number>>(
      `SELECT
         (SELECT count(*) FROM (SELECT apartment_id FROM apartment_selection WHERE state = 'active' AND position = 0
                                 GROUP BY apartment_id HAVING count(*) > 1) x)::int AS "apartments locked twice",
         (SELECT count(*) FROM (SELECT apartment_id FROM apartment_selection WHERE origin = 'waiting'
                                 GROUP BY apartment_id HAVING count(*) > 2) x)::int AS "apartments with > 2 waiting",
         (SELECT count(*) FROM (SELECT application_id FROM apartment_selection WHERE state = 'active'
                                 GROUP BY application_id HAVING count(*) > 1) x)::int AS "holders with 2 live selections",
         (SELECT count(*) FROM apartment WHERE state = 'selected')::int AS "apartments selected",
         (SELECT count(*) FROM apartment_selection WHERE origin = 'select')::int AS "selections",
         (SELECT count(*) FROM apartment_selection WHERE origin = 'waiting')::int AS "waiting selections",
         (SELECT count(*) FROM apartment p WHERE state = 'selected'
             AND NOT EXISTS (SELECT 1 FROM apartment_selection s WHERE s.apartment_id = p.id AND s.position = 0 AND s.state = 'active'))::int
           AS "selected without holder"`,
    );
    const out = {
      machine: `${os.cpus().length} cpu, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      apartments: APARTMENTS,
      holders: HOLDERS,
      concurrency: CONCURRENCY,
      seedSeconds: Math.round(seedMs / 100) / 10,
      runSeconds: Math.round(wallMs / 100) / 10,
      latencyMs: Object.fromEntries([
        ...Object.entries(times)
          .filter(([, v]) => v.length > 0)
          .map(([k, v]) => [k, stats(v)]),
        ['list free apartments (filters)', stats(list)],
      ]),
      endState: check.rows[0],
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    const bad = [
      'apartments locked twice',
      'apartments with > 2 waiting',
      'holders with 2 live selections',
      'selected without holder',
    ];
    if (bad.some((k) => check.rows[0]![k] !== 0)) {
      process.stderr.write('INCORRECT end state\n');
      process.exitCode = 1;
    }
  } finally {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await pool?.end();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
