import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { machineInfo, round, writeResult, type BenchResult } from './support/results.js';
import { writeChart } from './support/chart.js';
import {
  benchDataDir,
  cpuSeconds,
  createBenchDatabase,
  dbCounters,
  deployProjectModels,
  postgresBackendPids,
  cancelUnfinished,
  runOnEngine,
  runThroughApp,
  say,
  startBenchApp,
  startBenchEngine,
  startNoopWorkers,
  startOutsideSystems,
  summary,
  type BenchDatabase,
  type BenchEngine,
  type OutsideSystems,
  type RunResult,
} from './support/throughput.js';

/**
 * Benchmark 1 of issue 13: applications per second through the whole application-review path
 * (portal submission over HTTP, every check worker against the registry stand-in, a scripted
 * reviewer granting through the reviewer API, the approval notices into the outbox and out to the
 * SMS gateway stand-in) against the same model with no-op workers (same topics, same worker host
 * and fetch settings, each completing at once) and the user task completed over the engine's REST
 * API — same engine, same database, alternating rounds of equal N.
 *
 * Sizes (env): BENCH_N applications per side and round (default 300), BENCH_ROUNDS (2),
 * BENCH_IN_FLIGHT applications in flight at once (40), BENCH_WARMUP per side before measuring (20),
 * BENCH_TIMEOUT_S per run (45: the full run stays within 5 minutes; a run cut off counts what ended). Worker settings as the app reads them: WORKER_MAX_TASKS,
 * WORKER_LONG_POLL_MS, WORKER_JOB_TIMEOUT_MS.
 *
 * Profiling the engine (no result file): BENCH_SIDES=raw, BENCH_PGSS_OUT=<file> (SQL statements
 * per application from pg_stat_statements), BENCH_ENGINE_JVM_OPTIONS (e.g. a flight recording).
 *
 * Run: npm run bench:e2e
 */
const N = Number(process.env.BENCH_N ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 45) * 1000;
// the app's own reading of WORKER_* (defaults included), so both sides always match
const APP_CONFIG = loadConfig(process.env);
const WORKER = {
  maxTasks: APP_CONFIG.WORKER_MAX_TASKS,
  longPollMs: APP_CONFIG.WORKER_LONG_POLL_MS,
  lockMs: APP_CONFIG.WORKER_JOB_TIMEOUT_MS,
};
const RESULT_NAME = process.env.BENCH_RESULT_NAME ?? 'e2e-vs-engine';
/** BENCH_SIDES=raw measures the raw engine side only (engine profiling; no result file written). */
const RAW_ONLY = process.env.BENCH_SIDES === 'raw';
/**
 * BENCH_PGSS_OUT=file: after each raw run, the SQL statements of this database by total time, per
 * application, from pg_stat_statements (needs a server with it preloaded, e.g. via PG_ADMIN_URL).
 */
const PGSS_OUT = process.env.BENCH_PGSS_OUT;

async function writeTopStatements(db: BenchDatabase, applications: number): Promise<void> {
  const { rows } = await db.pool.query<{
    calls: string;
    ms: number;
    rows: string;
    query: string;
  }>(
    `SELECT s.calls, s.total_exec_time AS ms, s.rows, s.query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = $1 ORDER BY s.total_exec_time DESC LIMIT 40`,
    [db.name],
  );
  const all = await db.pool.query<{ calls: string; ms: number }>(
    `SELECT sum(s.calls)::bigint AS calls, sum(s.total_exec_time) AS ms
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
    [db.name],
  );
  const lines = [
    `applications ${applications}; all statements: ${round(Number(all.rows[0]!.calls) / applications)} calls, ${round(all.rows[0]!.ms / applications)} ms exec per application`,
    ...rows.map(
      (r) =>
        `${round(Number(r.calls) / applications)} calls/app\t${round(r.ms / applications)} ms/app\t${round(Number(r.rows) / applications)} rows/app\t${r.query.replace(/\s+/g, ' ').slice(0, 3000)}`,
    ),
  ];
  fs.appendFileSync(PGSS_OUT!, `${lines.join('\n')}\n\n`);
}

interface CpuSample {
  engine: number;
  app: number;
  driver: number;
  postgres: number;
  /** database transactions committed and rows written (by schema) */
  commits: number;
  operatonRows: number;
  publicRows: number;
}

async function cpu(db: BenchDatabase, engine: BenchEngine, appPid?: number): Promise<CpuSample> {
  const pgPids = await postgresBackendPids(db.pool, db.name);
  const u = process.cpuUsage();
  const c = await dbCounters(db.pool, db.name);
  return {
    commits: c.commits,
    operatonRows: c.rowsWritten.operaton ?? 0,
    publicRows: c.rowsWritten.public ?? 0,
    engine: cpuSeconds(engine.pid),
    app: appPid ? cpuSeconds(appPid) : 0,
    driver: (u.user + u.system) / 1e6,
    postgres: pgPids
      .map(cpuSeconds)
      .filter(Number.isFinite)
      .reduce((a, b) => a + b, 0),
  };
}

const diff = (a: CpuSample, b: CpuSample): CpuSample => ({
  engine: b.engine - a.engine,
  app: b.app - a.app,
  driver: b.driver - a.driver,
  postgres: Math.max(0, b.postgres - a.postgres),
  commits: b.commits - a.commits,
  operatonRows: b.operatonRows - a.operatonRows,
  publicRows: b.publicRows - a.publicRows,
});

async function rawSide(
  db: BenchDatabase,
  engine: BenchEngine,
  n: number,
): Promise<{ run: RunResult; cpu: CpuSample }> {
  const workers = startNoopWorkers(engine, db.pool, WORKER);
  try {
    // this database's statements only: other runs may share the server
    if (PGSS_OUT)
      await db.pool.query(
        `SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = $1), 0)`,
        [db.name],
      );
    const before = await cpu(db, engine);
    const run = await runOnEngine(db.pool, engine, {
      n,
      inFlight: IN_FLIGHT,
      timeoutMs: TIMEOUT_MS,
    });
    const used = diff(before, await cpu(db, engine));
    say(
      `raw: ${run.completed} applications; per application: engine ${round((used.engine * 1000) / run.completed)} ms, postgres ${round((used.postgres * 1000) / run.completed)} ms CPU, ${round(used.commits / run.completed)} commits, ${round(used.operatonRows / run.completed)} engine rows`,
    );
    if (PGSS_OUT) await writeTopStatements(db, run.completed);
    await cancelUnfinished(engine, run.unfinished);
    return { run, cpu: used };
  } finally {
    await workers.stop(5000);
  }
}

async function appSide(
  db: BenchDatabase,
  engine: BenchEngine,
  outside: OutsideSystems,
  n: number,
  prefix: string,
): Promise<{ run: RunResult; cpu: CpuSample }> {
  const app = await startBenchApp(db, engine, outside, 0);
  try {
    const before = await cpu(db, engine, app.pid);
    const run = await runThroughApp(db.pool, [app], {
      n,
      inFlight: IN_FLIGHT,
      timeoutMs: TIMEOUT_MS,
      finPrefix: prefix,
    });
    const used = diff(before, await cpu(db, engine, app.pid));
    await cancelUnfinished(engine, run.unfinished);
    return { run, cpu: used };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const db = await createBenchDatabase('az_housing_bench_e2e');
  let engine: BenchEngine | undefined;
  let outside: OutsideSystems | undefined;
  try {
    engine = await startBenchEngine(db, 0);
    await deployProjectModels(db, engine);
    outside = await startOutsideSystems();
    say(`engine ${engine.url}; data ${benchDataDir}`);
    if (RAW_ONLY) {
      if (WARMUP > 0) await rawSide(db, engine, WARMUP);
      for (let r = 0; r < ROUNDS; r++)
        say(`round ${r + 1} raw engine: ${fmt((await rawSide(db, engine, N)).run)}`);
      return;
    }
    if (WARMUP > 0) {
      await rawSide(db, engine, WARMUP);
      await appSide(db, engine, outside, WARMUP, 'BW');
      say(`warmed up with ${WARMUP} applications per side`);
    }
    const raw: { run: RunResult; cpu: CpuSample }[] = [];
    const e2e: { run: RunResult; cpu: CpuSample }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(await rawSide(db, engine, N));
      say(`round ${r + 1} raw engine: ${fmt(raw.at(-1)!.run)}`);
      e2e.push(await appSide(db, engine, outside, N, `B${r}`));
      say(`round ${r + 1} end-to-end: ${fmt(e2e.at(-1)!.run)}`);
    }
    const all = (xs: { run: RunResult }[]): RunResult => ({
      completed: xs.reduce((a, x) => a + x.run.completed, 0),
      seconds: xs.reduce((a, x) => a + x.run.seconds, 0),
      perSecond:
        xs.reduce((a, x) => a + x.run.completed, 0) / xs.reduce((a, x) => a + x.run.seconds, 0),
      endToEndMs: xs.flatMap((x) => x.run.endToEndMs),
      ids: xs.flatMap((x) => x.run.ids),
      endedIds: xs.flatMap((x) => x.run.endedIds),
      unfinished: xs.flatMap((x) => x.run.unfinished),
    });
    const rawAll = summary(all(raw));
    const e2eAll = summary(all(e2e));
    const ratio = e2eAll.perSecond / rawAll.perSecond;
    const cpuPerApp = (xs: { run: RunResult; cpu: CpuSample }[], k: keyof CpuSample) =>
      (xs.reduce((a, x) => a + x.cpu[k], 0) * 1000) / xs.reduce((a, x) => a + x.run.completed, 0);
    const perApp = (xs: { run: RunResult; cpu: CpuSample }[], k: keyof CpuSample) =>
      xs.reduce((a, x) => a + x.cpu[k], 0) / xs.reduce((a, x) => a + x.run.completed, 0);
    const lost = N * ROUNDS * 2 - all(raw).completed - all(e2e).completed;
    const cpuRows = (['engine', 'app', 'postgres', 'driver'] as const).map((k) => [
      k === 'driver' ? 'benchmark driver (+ no-op workers on the raw side)' : k,
      round(cpuPerApp(raw, k)),
      round(cpuPerApp(e2e, k)),
    ]);
    const bound = boundBy(e2e);
    const chart = writeChart(RESULT_NAME, {
      title: 'Application review: whole path vs raw engine',
      unit: 'applications/s',
      labels: ['raw engine (no-op workers)', 'end-to-end (app)'],
      series: [{ name: 'applications/s', values: [rawAll.perSecond, e2eAll.perSecond] }],
      target: { value: 20, label: 'target 20/s' },
    });
    const result: BenchResult = {
      name: RESULT_NAME,
      title: 'End-to-end vs raw engine',
      command: 'npm run bench:e2e',
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machine: machineInfo(db.postgresVersion),
      settings: {
        applicationsPerSideAndRound: N,
        rounds: ROUNDS,
        inFlight: IN_FLIGHT,
        warmupPerSide: WARMUP,
        workerMaxTasks: WORKER.maxTasks,
        workerLongPollMs: WORKER.longPollMs,
        workerLockMs: WORKER.lockMs,
        path: 'grant (submission, start-review, 5 checks, review, grant-cabinet, approval notice)',
        order: 'raw, app, raw, app, … (alternating)',
        vacuum: db.vacuumEverySeconds
          ? `the benchmark's VACUUM (ANALYZE) every ${db.vacuumEverySeconds} s (the server's autovacuum is off)`
          : "the server's autovacuum",
      },
      tables: [
        {
          caption: 'Applications per second and time per application (submission to process end)',
          columns: ['side', 'applications', 'applications/s', 'p50 ms', 'p99 ms'],
          rows: [
            [
              'raw engine (no-op workers, REST task completion)',
              all(raw).completed,
              round(rawAll.perSecond),
              round(rawAll.p50),
              round(rawAll.p99),
            ],
            [
              'end-to-end (portal, workers, reviewer API, notices)',
              all(e2e).completed,
              round(e2eAll.perSecond),
              round(e2eAll.p50),
              round(e2eAll.p99),
            ],
            ['ratio end-to-end / raw', '', round(ratio), '', ''],
          ],
        },
        {
          caption: 'Per round',
          columns: ['round', 'raw applications/s', 'end-to-end applications/s'],
          rows: raw.map((x, i) => [i + 1, round(x.run.perSecond), round(e2e[i]!.run.perSecond)]),
        },
        {
          caption:
            'CPU milliseconds per application, by process (from /proc; PostgreSQL: the backends of this database)',
          columns: ['process', 'raw engine', 'end-to-end'],
          rows: cpuRows,
        },
        {
          caption:
            'Database work per application (pg_stat_database, pg_stat_user_tables of this database)',
          columns: ['counter', 'raw engine', 'end-to-end'],
          rows: (
            [
              ['transactions committed', 'commits'],
              ['rows written in the engine schema (operaton)', 'operatonRows'],
              ['rows written in the app schema (public)', 'publicRows'],
            ] as const
          ).map(([label, k]) => [label, round(perApp(raw, k)), round(perApp(e2e, k))]),
        },
      ],
      targets: [
        {
          target: 'ratio ≥ 0.8',
          figure: round(ratio).toString(),
          met: ratio >= 0.8,
          evidence: ratio >= 0.8 ? undefined : bound,
        },
        {
          target: '≥ 20 applications/s end-to-end',
          figure: `${round(e2eAll.perSecond)} applications/s`,
          met: e2eAll.perSecond >= 20,
          evidence: e2eAll.perSecond >= 20 ? undefined : bound,
        },
      ],
      notes: [
        'Each application goes the grant path; time per application is from the submission (POST …/submit, or the engine start on the raw side) to the end of its application-review instance in the engine history. A new application is submitted whenever one ends, keeping a fixed number in flight, so p50 ≈ in flight / throughput (Little).',
        'The app runs as `npm start` runs it (node dist/src/main.js, its own process) against an engine started apart (ENGINE_REST_URL), on a database of the benchmark on the machine PostgreSQL. The raw side uses the same worker host (src/engine/workers.ts) with the same settings, in the benchmark process, while the app is stopped (same topics).',
        bound,
        ...(lost > 0 ? [`${lost} applications did not end within the time limit of a run.`] : []),
      ],
      charts: [chart],
    };
    const file = writeResult(result);
    say(`result: ${file}`);
    say(JSON.stringify(result.tables, null, 1));
  } finally {
    await outside?.stop().catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    await db.drop();
  }
}

/** What the CPU split says bounds the end-to-end side (2 cores shared by every process). */
function boundBy(e2e: { run: RunResult; cpu: CpuSample }[]): string {
  const secs = e2e.reduce((a, x) => a + x.run.seconds, 0);
  const tot = (k: keyof CpuSample) => e2e.reduce((a, x) => a + x.cpu[k], 0);
  const share = (k: keyof CpuSample) => `${k} ${round(tot(k) / secs)} cores`;
  const busy = (tot('engine') + tot('app') + tot('postgres') + tot('driver')) / secs;
  return `End-to-end CPU in use: ${share('engine')}, ${share('app')}, ${share('postgres')}, ${share('driver')} — ${round(busy)} of 2 cores in all; when that is near 2 the machine's CPU bounds throughput, the largest share naming the process to profile (node --cpu-prof for the app, the engine log and pg_stat_statements for the rest).`;
}

function fmt(r: RunResult): string {
  const s = summary(r);
  return `${r.completed} in ${round(r.seconds)} s = ${round(s.perSecond)}/s, p50 ${round(s.p50)} ms, p99 ${round(s.p99)} ms`;
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
