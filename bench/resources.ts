import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createAccount, createServiceClient, createSession } from '../src/auth/accounts.js';
import { projectRoot } from '../src/paths.js';
import { ReviewLoad } from './support/review-load.js';
import { writeChart } from './support/chart.js';
import { machineInfo, round, writeResult, type BenchTable } from './support/results.js';
import { ADMIN_URL, withDatabase, adminQuery } from './support/database.js';

/**
 * Resources benchmark (`npm run bench:resources`, issue 13 item 6). Starts the whole app as
 * `npm start` does (`node dist/src/main.js`, its own process tree) and measures:
 * - start-up time to /readyz 200, cold (an empty engine build cache in a temporary folder, so
 *   Maven builds the engine, and an empty data folder) and warm (the build cached), with the
 *   embedded database and with DATABASE_URL (a fresh database on PG_ADMIN_URL's server);
 * - idle RSS and PSS per process kind after IDLE_S seconds: the engine JVM, the app (node), and
 *   PostgreSQL summed over its processes (embedded: the whole cluster of the app; server: the
 *   backends of the app's database only — the server's own processes are shared with others);
 * - peak RSS and PSS, sampled every 250 ms, while LOAD_N (200) applications go through the
 *   review path (portal submission, checks, a scripted reviewer granting or refusing through
 *   the reviewer API, notices), on the warm DATABASE_URL stack.
 * COLD=0 skips the cold starts. Ports 28150–28151. Writes bench/results/resources.json and
 * docs/benchmarks/resources-*.svg.
 */
const COLD = process.env.COLD !== '0';
const IDLE_S = Number(process.env.IDLE_S ?? 10);
const LOAD_N = Number(process.env.LOAD_N ?? 200);
const LOAD_TIMEOUT_S = Number(process.env.LOAD_TIMEOUT_S ?? 240);
const PORT = 28150;
const ENGINE_PORT = 28151;

const say = (text: string) => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kind = 'engine' | 'app' | 'postgres';
type Memory = Record<Kind, { rss: number; pss: number; processes: number }>;

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** RSS and PSS in MiB of one process (smaps_rollup; RSS from status when that is unreadable). */
function memoryOf(pid: number): { rss: number; pss: number } {
  const rollup = readProc(pid, 'smaps_rollup');
  const kib = (text: string | undefined, key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text ?? '')?.[1] ?? 0);
  const rss = kib(rollup, 'Rss') || kib(readProc(pid, 'status'), 'VmRSS');
  return { rss: rss / 1024, pss: kib(rollup, 'Pss') / 1024 };
}

/** pid → parent pid, for every process. */
function parents(): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const stat = readProc(Number(e), 'stat');
    if (!stat) continue;
    m.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  return m;
}

function descendants(root: number): number[] {
  const ppid = parents();
  const out = [root];
  for (let i = 0; i < out.length; i++)
    for (const [pid, parent] of ppid) if (parent === out[i]) out.push(pid);
  return out;
}

function kindOf(pid: number): Kind {
  const cmd = (readProc(pid, 'cmdline') ?? '').replace(/\0/g, ' ');
  if (/\bjava\b|\/java /.test(cmd)) return 'engine';
  if (/postgres/.test(cmd) && !/node/.test(cmd)) return 'postgres';
  return 'app';
}

/** Memory of the app's process tree by kind, plus `extraPostgres` (the server's backends of its database). */
function measure(root: number, extraPostgres: number[] = []): Memory {
  const m: Memory = {
    engine: { rss: 0, pss: 0, processes: 0 },
    app: { rss: 0, pss: 0, processes: 0 },
    postgres: { rss: 0, pss: 0, processes: 0 },
  };
  const add = (k: Kind, pid: number) => {
    const x = memoryOf(pid);
    if (!x.rss) return;
    m[k].rss += x.rss;
    m[k].pss += x.pss;
    m[k].processes++;
  };
  for (const pid of descendants(root)) add(kindOf(pid), pid);
  for (const pid of extraPostgres) add('postgres', pid);
  return m;
}

const maxOf = (a: Memory, b: Memory): Memory => {
  const k = (x: Kind) => ({
    rss: Math.max(a[x].rss, b[x].rss),
    pss: Math.max(a[x].pss, b[x].pss),
    processes: Math.max(a[x].processes, b[x].processes),
  });
  return { engine: k('engine'), app: k('app'), postgres: k('postgres') };
};

interface Started {
  child: ChildProcess;
  seconds: number;
  dataDir: string;
  apiUrl: string;
}

async function startApp(env: Record<string, string | undefined>): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-bench-resources-'));
  // the embedded server runs as the postgres user when we are root: it must reach the folder
  fs.chmodSync(dataDir, 0o755);
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist', 'src', 'main.js')], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(PORT),
      ENGINE_PORT: String(ENGINE_PORT),
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
      ENGINE_REST_URL: '',
      ...env,
    },
  });
  const apiUrl = `http://127.0.0.1:${PORT}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}) before ready`);
    const ok = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (performance.now() - t0 > 600_000) throw new Error('the app was not ready in 10 minutes');
    await sleep(200);
  }
  return { child, seconds: (performance.now() - t0) / 1000, dataDir, apiUrl };
}

async function stopApp(s: Started): Promise<void> {
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGINT');
    const done = await Promise.race([exited.then(() => true), sleep(90_000).then(() => false)]);
    if (!done) process.kill(-s.child.pid!, 'SIGKILL');
  }
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

async function backendsOf(db: string): Promise<number[]> {
  const { rows } = await adminQuery(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [db],
  );
  return rows.map((r: { pid: number }) => r.pid);
}

interface Run {
  label: string;
  database: 'embedded' | 'DATABASE_URL';
  cold: boolean;
  seconds: number;
  idle: Memory;
  peak?: Memory;
  load?: { n: number; submitted: number; decided: number; seconds: number };
}

async function run(database: Run['database'], cold: boolean, withLoad: boolean): Promise<Run> {
  const label = `${database === 'embedded' ? 'embedded database' : 'DATABASE_URL'}, ${cold ? 'cold' : 'warm'}`;
  const cacheDir = cold
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'az-bench-engine-cache-'))
    : undefined;
  const dbName = `az_housing_bench_res_${Date.now()}_${randomBytes(3).toString('hex')}`;
  if (database === 'DATABASE_URL') await adminQuery(`CREATE DATABASE "${dbName}"`);
  const dbUrl = withDatabase(ADMIN_URL, dbName);
  let s: Started | undefined;
  try {
    say(`${label}: starting`);
    s = await startApp({
      DATABASE_URL: database === 'DATABASE_URL' ? dbUrl : undefined,
      ...(cacheDir ? { ENGINE_CACHE_DIR: cacheDir } : {}),
    });
    say(`${label}: ready in ${s.seconds.toFixed(1)} s`);
    await sleep(IDLE_S * 1000);
    const pgPids = database === 'DATABASE_URL' ? await backendsOf(dbName) : [];
    const idle = measure(s.child.pid!, pgPids);
    const result: Run = { label, database, cold, seconds: s.seconds, idle };
    if (withLoad && database === 'DATABASE_URL') {
      const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
      try {
        const bodies = (await pool.query(`SELECT code FROM registering_body`)).rows.map(
          (r: { code: string }) => r.code,
        );
        await createAccount(pool, {
          id: 'bench-reviewer',
          displayName: 'bench-reviewer',
          roles: ['reviewer'],
          bodies,
        });
        const reviewerToken = (await createSession(pool, 'bench-reviewer', 4)).token;
        const portalToken = (await createServiceClient(pool, 'bench-portal', ['portal'])).token;
        const load = new ReviewLoad({ apiUrl: s.apiUrl, portalToken, reviewerToken }, LOAD_N);
        let peak = idle;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            peak = maxOf(peak, measure(s!.child.pid!, await backendsOf(dbName)));
            await sleep(250);
          }
        })();
        const t0 = performance.now();
        const timeout = setTimeout(() => load.stop(), LOAD_TIMEOUT_S * 1000);
        await Promise.all([load.submitAll(), load.review()]);
        clearTimeout(timeout);
        const seconds = (performance.now() - t0) / 1000;
        sampling = false;
        await sampler;
        say(
          `${label}: load ${load.decided}/${LOAD_N} decided in ${seconds.toFixed(1)} s; answers ${JSON.stringify([...load.answers])}`,
        );
        result.peak = peak;
        result.load = { n: LOAD_N, submitted: load.submitted, decided: load.decided, seconds };
      } finally {
        await pool.end();
      }
    }
    return result;
  } finally {
    if (s) await stopApp(s);
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
    if (database === 'DATABASE_URL')
      await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const runs: Run[] = [];
  if (COLD) runs.push(await run('embedded', true, false));
  runs.push(await run('embedded', false, false));
  if (COLD) runs.push(await run('DATABASE_URL', true, false));
  runs.push(await run('DATABASE_URL', false, true));

  const mem = (m: Memory, k: Kind) => `${round(m[k].rss)} / ${round(m[k].pss)}`;
  const tables: BenchTable[] = [
    {
      caption: 'Start-up to /readyz 200 (empty data folder; cold: empty engine build cache)',
      columns: ['run', 'seconds'],
      rows: runs.map((r) => [r.label, round(r.seconds)]),
    },
    {
      caption: `Idle memory ${IDLE_S} s after ready, RSS / PSS MiB (processes)`,
      columns: ['run', 'engine JVM', 'app (node)', 'PostgreSQL', 'total RSS', 'total PSS'],
      rows: runs.map((r) => [
        r.label,
        `${mem(r.idle, 'engine')} (${r.idle.engine.processes})`,
        `${mem(r.idle, 'app')} (${r.idle.app.processes})`,
        `${mem(r.idle, 'postgres')} (${r.idle.postgres.processes})`,
        round(r.idle.engine.rss + r.idle.app.rss + r.idle.postgres.rss),
        round(r.idle.engine.pss + r.idle.app.pss + r.idle.postgres.pss),
      ]),
    },
  ];
  const loaded = runs.find((r) => r.peak);
  if (loaded?.peak && loaded.load) {
    tables.push({
      caption: `Peak memory while ${loaded.load.n} applications went through the review path (${loaded.label}; ${loaded.load.decided} decided in ${round(loaded.load.seconds)} s), RSS / PSS MiB`,
      columns: ['process', 'idle', 'peak'],
      rows: (['engine', 'app', 'postgres'] as Kind[]).map((k) => [
        k === 'engine'
          ? 'engine JVM'
          : k === 'app'
            ? 'app (node)'
            : 'PostgreSQL (backends of its database)',
        mem(loaded.idle, k),
        mem(loaded.peak!, k),
      ]),
    });
  }
  const charts = [
    writeChart('resources-startup', {
      title: 'Start-up to ready',
      unit: 's',
      labels: runs.map((r) => r.label),
      series: [{ name: 'seconds', values: runs.map((r) => round(r.seconds)) }],
      target: { value: 60, label: 'warm target 60 s' },
    }),
    writeChart('resources-memory', {
      title: 'RSS per process kind (MiB)',
      unit: 'MiB',
      labels: [
        ...runs.map((r) => `${r.label}, idle`),
        ...(loaded?.peak ? [`${loaded.label}, peak under load`] : []),
      ],
      series: (['engine', 'app', 'postgres'] as Kind[]).map((k) => ({
        name: k,
        values: [
          ...runs.map((r) => round(r.idle[k].rss)),
          ...(loaded?.peak ? [round(loaded.peak[k].rss)] : []),
        ],
      })),
    }),
  ];
  const warm = runs.filter((r) => !r.cold);
  const worstWarm = Math.max(...warm.map((r) => r.seconds));
  const version = (await adminQuery(`SHOW server_version`)).rows[0].server_version as string;
  const file = writeResult({
    name: 'resources',
    title: 'Resources',
    command: 'npm run bench:resources',
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    machine: machineInfo(`${version} (DATABASE_URL runs); embedded: the npm package's`),
    settings: { 'idle wait s': IDLE_S, 'applications under load': LOAD_N, 'cold runs': COLD },
    tables,
    targets: [
      {
        target: 'ready ≤ 60 s warm',
        figure: `${round(worstWarm)} s (slowest warm start)`,
        met: worstWarm <= 60,
        ...(worstWarm <= 60
          ? {}
          : {
              evidence: `load average ${os.loadavg()[0]!.toFixed(1)} at the end on ${os.cpus().length} cores: the start (JVM and Spring start, the engine's schema, migrations, deployment) is CPU-bound and shares the cores with whatever else runs`,
            }),
      },
    ],
    notes: [
      'Memory from /proc/<pid>/smaps_rollup of every process of the app’s tree, by kind (java: the engine; postgres: the embedded server; the rest: the app). RSS counts shared pages (PostgreSQL’s shared buffers) once per process; PSS shares them out.',
      'With DATABASE_URL the PostgreSQL figure is the backends connected to the app’s database only (pg_stat_activity); the server’s own processes serve other databases too and are left out.',
      'A cold start builds the engine with Maven into an empty cache folder; its time depends on whether the local Maven repository already holds the dependencies (it did here unless noted).',
    ],
    charts,
  });
  say(`wrote ${file}`);
  for (const t of tables) {
    say(`\n${t.caption}`);
    for (const r of t.rows) say(`  ${r.join(' | ')}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
