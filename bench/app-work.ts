import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { ADMIN_URL } from './support/database.js';
import { round } from './support/results.js';
import {
  cpuSeconds,
  createBenchDatabase,
  deployProjectModels,
  PORT_BASE,
  runOnEngine,
  runThroughApp,
  say,
  startBenchApp,
  startBenchEngine,
  startNoopWorkers,
  startOutsideSystems,
  type BenchDatabase,
  type BenchEngine,
  type OutsideSystems,
  type RunResult,
} from './support/throughput.js';

/**
 * Where the app's work per application goes on the application-review path (issue 13, benchmark
 * 1): a diagnostic, not one of the six benchmarks, and it writes no result file. It runs
 * the end-to-end side of bench:e2e at a small size and counts, per application that ended:
 *
 * - the app's REST calls to the engine, by endpoint (a counting proxy between app and engine);
 * - SQL statements and transactions of the app and of the engine, by statement (the server's
 *   pg_stat_statements, which must be loaded: shared_preload_libraries; the app connects under
 *   a role of its own so that its statements and backends are told apart from the engine's);
 * - CPU ms by process (engine, app, the PostgreSQL backends of each, the driver), from /proc.
 *
 * Counts are contention-robust: they do not depend on how busy the machine is. Profile the app
 * at the same time with APP_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
 *
 * BENCH_SIDE=raw counts the raw engine side of bench:e2e the same way instead (no-op workers in
 * this process, the user task completed over REST).
 *
 * Sizes (env): BENCH_N (100), BENCH_IN_FLIGHT (20), BENCH_WARMUP (20), BENCH_TIMEOUT_S (180),
 * BENCH_TOP statements listed (40), BENCH_OUT a JSON file for the counts. PG_ADMIN_URL: the
 * server (default the machine's).
 *
 * Run: npm run build && node dist/bench/app-work.js
 */
const N = Number(process.env.BENCH_N ?? 100);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 180) * 1000;
const TOP = Number(process.env.BENCH_TOP ?? 40);
const SIDE = process.env.BENCH_SIDE === 'raw' ? 'raw' : 'app';
const WORKER = {
  maxTasks: Number(process.env.WORKER_MAX_TASKS ?? 8),
  longPollMs: Number(process.env.WORKER_LONG_POLL_MS ?? 10_000),
  lockMs: Number(process.env.WORKER_JOB_TIMEOUT_MS ?? 60_000),
};
const APP_ROLE = 'az_bench_app';
const ENGINE_ROLE = 'az_bench_engine';
const DRIVER_ROLE = decodeURIComponent(new URL(ADMIN_URL).username) || 'postgres';

/** An engine path with its ids taken out: /task/{id}/complete. */
export function endpointOf(method: string, url: string): string {
  const p = url.split('?')[0]!.replace(/^\/engine-rest/, '');
  const parts = p
    .split('/')
    .map((s, i, all) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s) ||
      /^\d+$/.test(s) ||
      all[i - 1] === 'messageSubscriptions'
        ? '{id}'
        : s,
    );
  return `${method} ${parts.join('/')}`;
}

/** A proxy in front of the engine that counts the calls that pass it, by endpoint. */
async function countingProxy(
  engineUrl: string,
  port: number,
): Promise<{ url: string; counts: Map<string, number>; stop(): Promise<void> }> {
  const target = new URL(engineUrl);
  const counts = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const key = endpointOf(req.method ?? 'GET', req.url ?? '/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        ures.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    counts,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** CPU seconds of the backends of this database by role, sampled until stopped (backends come and go). */
function backendSampler(pool: pg.Pool, db: string) {
  const first = new Map<number, { role: string; cpu: number }>();
  const last = new Map<number, number>();
  let initial = true;
  const sample = async () => {
    const { rows } = await pool.query<{ pid: number; role: string }>(
      'SELECT pid, usename AS role FROM pg_stat_activity WHERE datname = $1',
      [db],
    );
    for (const r of rows) {
      const c = cpuSeconds(r.pid);
      if (!Number.isFinite(c)) continue;
      if (!first.has(r.pid)) first.set(r.pid, { role: r.role, cpu: initial ? c : 0 });
      last.set(r.pid, c);
    }
    initial = false;
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    async start() {
      await sample();
      timer = setInterval(() => void sample().catch(() => undefined), 500);
    },
    async stop(): Promise<Record<string, number>> {
      clearInterval(timer);
      await sample();
      const byRole: Record<string, number> = {};
      for (const [pid, f] of first)
        byRole[f.role] = (byRole[f.role] ?? 0) + ((last.get(pid) ?? f.cpu) - f.cpu);
      return byRole;
    },
  };
}

interface Statement {
  role: string;
  query: string;
  calls: number;
  rows: number;
  ms: number;
}

async function statements(admin: pg.Pool, db: string): Promise<Statement[]> {
  const { rows } = await admin.query<{
    role: string;
    query: string;
    calls: string;
    rows: string;
    ms: number;
  }>(
    `SELECT r.rolname AS role, s.query, s.calls, s.rows, s.total_exec_time AS ms
       FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
    [db],
  );
  return rows.map((r) => ({ ...r, calls: Number(r.calls), rows: Number(r.rows) }));
}

async function xacts(admin: pg.Pool, db: string): Promise<{ commit: number; rollback: number }> {
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const r = (
    await admin.query<{ c: string; r: string }>(
      'SELECT xact_commit AS c, xact_rollback AS r FROM pg_stat_database WHERE datname = $1',
      [db],
    )
  ).rows[0]!;
  return { commit: Number(r.c), rollback: Number(r.r) };
}

async function main(): Promise<void> {
  const admin = new pg.Pool({ connectionString: ADMIN_URL, max: 2 });
  const ext = await admin.query(
    `SELECT 1 FROM pg_settings WHERE name = 'shared_preload_libraries' AND setting ~ 'pg_stat_statements'`,
  );
  if (ext.rowCount === 0)
    throw new Error('pg_stat_statements is not loaded on this server (shared_preload_libraries)');
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  // app and engine under roles of their own: their statements and backends apart from the driver's
  for (const role of [APP_ROLE, ENGINE_ROLE])
    await admin.query(
      `DO $$ BEGIN CREATE ROLE ${role} LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
  const db: BenchDatabase = await createBenchDatabase('az_housing_bench_work');
  let engine: BenchEngine | undefined;
  let outside: OutsideSystems | undefined;
  let proxy: Awaited<ReturnType<typeof countingProxy>> | undefined;
  try {
    const as = (role: string) => {
      const u = new URL(db.url);
      u.username = role;
      return { ...db, url: u.toString() };
    };
    engine = await startBenchEngine(as(ENGINE_ROLE), 0);
    await deployProjectModels(db, engine);
    outside = await startOutsideSystems();
    proxy = await countingProxy(engine.url, PORT_BASE + 30);
    const counts = proxy.counts;
    let side: {
      pid?: number;
      run(n: number, prefix: string): Promise<RunResult>;
      stop(): Promise<void>;
    };
    if (SIDE === 'raw') {
      // the raw side's own calls (no-op workers, starts, task completions) counted in process
      engine.rest.use({
        onRequest({ request }) {
          const key = endpointOf(request.method, new URL(request.url).pathname);
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return undefined;
        },
      });
      const workers = startNoopWorkers(engine, db.pool, WORKER);
      const e = engine;
      side = {
        run: (n) => runOnEngine(db.pool, e, { n, inFlight: IN_FLIGHT, timeoutMs: TIMEOUT_MS }),
        stop: () => workers.stop(5000),
      };
    } else {
      const viaProxy = { ...engine, url: proxy.url };
      const app = await startBenchApp(as(APP_ROLE), viaProxy, outside, 0);
      side = {
        pid: app.pid,
        run: (n, prefix) =>
          runThroughApp(db.pool, [app], {
            n,
            inFlight: IN_FLIGHT,
            timeoutMs: TIMEOUT_MS,
            finPrefix: prefix,
          }),
        stop: () => app.stop(),
      };
    }
    try {
      if (WARMUP > 0) await side.run(WARMUP, 'WW');
      // what the warm-up left in flight settles first
      await new Promise((r) => setTimeout(r, 3000));
      counts.clear();
      // this database's statements only: other runs may share the server
      await admin.query(
        'SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = $1), 0)',
        [db.name],
      );
      const x0 = await xacts(admin, db.name);
      const sampler = backendSampler(admin, db.name);
      await sampler.start();
      const cpu0 = { engine: cpuSeconds(engine.pid), app: side.pid ? cpuSeconds(side.pid) : 0 };
      const drv0 = process.cpuUsage();
      const run = await side.run(N, 'WM');
      const drv = process.cpuUsage(drv0);
      const cpu = {
        engine: cpuSeconds(engine.pid) - cpu0.engine,
        app: side.pid ? cpuSeconds(side.pid) - cpu0.app : 0,
        driver: (drv.user + drv.system) / 1e6,
      };
      const pgCpu = await sampler.stop();
      const x1 = await xacts(admin, db.name);
      const stmts = await statements(admin, db.name);
      const n = run.completed;
      const per = (v: number) => round(v / n);
      const byRole = (role: string) => stmts.filter((s) => s.role === role);
      const sum = (xs: Statement[]) => xs.reduce((a, s) => a + s.calls, 0);
      const isTx = (q: string) => /^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)\b/i.test(q);
      const appS = byRole(APP_ROLE);
      const engS = byRole(ENGINE_ROLE);
      const calls = (xs: Statement[], re: RegExp) => sum(xs.filter((s) => re.test(s.query)));
      const engineCommits = calls(engS, /^\s*COMMIT\b/i);
      const appBegins = calls(appS, /^\s*BEGIN\b/i);
      const totalCommits = x1.commit - x0.commit;
      const out = {
        side: SIDE,
        applications: n,
        seconds: round(run.seconds),
        perSecond: round(run.perSecond),
        engineCallsPerApplication: Object.fromEntries(
          [...proxy.counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)]),
        ),
        engineCallsTotalPerApplication: per([...proxy.counts.values()].reduce((a, b) => a + b, 0)),
        sqlPerApplication: {
          appStatements: per(sum(appS.filter((s) => !isTx(s.query)))),
          appExplicitTransactions: per(appBegins),
          // every transaction but the engine's and the driver's (its queries run one each)
          appTransactions: per(
            totalCommits - engineCommits - calls(byRole(DRIVER_ROLE), /^(?!\s*(BEGIN|COMMIT))/i),
          ),
          engineStatements: per(sum(engS.filter((s) => !isTx(s.query)))),
          engineCommits: per(engineCommits),
          transactionsCommitted: per(totalCommits),
          rollbacks: per(x1.rollback - x0.rollback),
        },
        cpuMsPerApplication: {
          engine: round((cpu.engine * 1000) / n),
          app: round((cpu.app * 1000) / n),
          postgresForApp: round(((pgCpu[APP_ROLE] ?? 0) * 1000) / n),
          postgresForEngine: round(((pgCpu[ENGINE_ROLE] ?? 0) * 1000) / n),
          postgresForDriver: round(((pgCpu[DRIVER_ROLE] ?? 0) * 1000) / n),
          driver: round((cpu.driver * 1000) / n),
        },
        appStatements: appS
          .filter((s) => !isTx(s.query))
          .sort((a, b) => b.calls - a.calls)
          .slice(0, TOP)
          .map((s) => ({
            perApp: per(s.calls),
            msPerApp: round(s.ms / n),
            rowsPerCall: round(s.rows / Math.max(1, s.calls)),
            query: s.query.replace(/\s+/g, ' ').slice(0, 220),
          })),
        engineStatements: engS
          .sort((a, b) => b.ms - a.ms)
          .slice(0, TOP)
          .map((s) => ({
            perApp: per(s.calls),
            msPerApp: round(s.ms / n),
            query: s.query.replace(/\s+/g, ' ').slice(0, 220),
          })),
      };
      if (process.env.BENCH_OUT)
        fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify(out, null, 1));
      say(JSON.stringify(out, null, 1));
    } finally {
      await side.stop();
    }
  } finally {
    await proxy?.stop().catch(() => undefined);
    await outside?.stop().catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    await db.drop();
    await admin.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
