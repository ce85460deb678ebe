import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startRegistryStandin, type RegistryStandin } from '../../dev/registry-standin.js';
import { startSmsGatewayStandin, type SmsGatewayStandin } from '../../dev/sms-gateway-standin.js';
import { createAccount, createServiceClient, createSession } from '../../src/auth/accounts.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import {
  checkAllModels,
  createEngineRest,
  deployModels,
  jdbcFromDatabaseUrl,
  ok,
  startEngine,
  startWorkers,
  toEngineVariables,
  type EngineRest,
  type RunningEngine,
  type WorkerDefinition,
  type WorkerHost,
} from '../../src/engine/index.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot, workflowsDir } from '../../src/paths.js';
import { percentile } from './results.js';
import { ADMIN_URL, withDatabase } from './database.js';

/**
 * What the throughput benchmarks share (bench/e2e-vs-engine.ts, bench/job-latency.ts,
 * bench/scale-out.ts): a database of their own on the machine's PostgreSQL, engines started as
 * separate processes on ports of the benchmarks' range, the app as `npm start` runs it (a child
 * process, `node dist/src/main.js`, connected to an engine), the outside systems' stand-ins, and
 * two drivers of the application-review process — through the app (portal API, workers, reviewer
 * API) and straight on the engine (no-op workers, the user task completed over REST).
 */

export const say = (text: string) => process.stdout.write(`${text}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ports 28000–28099 belong to these benchmarks (engines 280x0+i, apps 280x5+i, stand-ins 280x8-9). */
export const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 28000);
const ENGINE_CACHE_DIR =
  process.env.ENGINE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'az-housing', 'engine');

/** What a signal (Ctrl-C, a test's time limit) must still undo: engines, apps, the database. */
const undo: (() => Promise<void>)[] = [];
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  const run = () => (p ??= fn());
  undo.push(run);
  return run;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    say(`${sig}: stopping`);
    void (async () => {
      for (const u of undo.reverse()) await u().catch(() => undefined);
      process.exit(130);
    })();
  });

export const PORTAL_TOKEN = `bench-portal-${randomBytes(12).toString('hex')}`;
export const REVIEWER_TOKEN = `bench-reviewer-${randomBytes(12).toString('hex')}`;

export interface BenchDatabase {
  name: string;
  url: string;
  pool: Pool;
  postgresVersion: string;
  /**
   * Seconds between the benchmark's own VACUUM (ANALYZE) of this database, or null when the
   * server's autovacuum is on (see startVacuumer).
   */
  vacuumEverySeconds: number | null;
  drop(): Promise<void>;
}

/**
 * When the server runs without autovacuum (the machines' PostgreSQL here is configured so), the
 * engine's runtime tables (executions, external tasks, variables, jobs) fill with dead rows within
 * a minute of load and their planner statistics go stale: every fetch-and-lock then walks more
 * dead rows, and throughput falls from round to round. A production server vacuums; the benchmark
 * stands in for it with a plain VACUUM (ANALYZE) of its database every BENCH_VACUUM_S (10) seconds,
 * on a connection of its own (it takes no lock that blocks reads or writes).
 */
async function startVacuumer(
  url: string,
): Promise<{ every: number | null; stop(): Promise<void> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const on = (await c.query<{ v: string }>(`SELECT current_setting('autovacuum') AS v`)).rows[0]!.v;
  const every = Number(process.env.BENCH_VACUUM_S ?? 10);
  if (on === 'on' || every <= 0) {
    await c.end();
    return { every: null, stop: async () => undefined };
  }
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      stopped ? undefined : c.query('VACUUM (ANALYZE)').catch(() => undefined),
    );
  }, every * 1000);
  timer.unref();
  return {
    every,
    stop: once(async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await c.end().catch(() => undefined);
    }),
  };
}

/** A fresh database with the app's migrations, a portal client and a reviewer of every body. */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  let postgresVersion = 'unknown';
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    postgresVersion = (
      await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
    ).rows[0]!.v;
  } finally {
    await admin.end();
  }
  const url = withDatabase(ADMIN_URL, name);
  const pool = createPool({ connectionString: url, max: 4 });
  await migrate(pool, createLogger('silent'));
  const bodies = (await pool.query<{ code: string }>('SELECT code FROM registering_body')).rows.map(
    (r) => r.code,
  );
  await createAccount(pool, {
    id: 'bench-reviewer',
    displayName: 'bench-reviewer',
    roles: ['reviewer'],
    bodies,
  });
  await createSession(pool, 'bench-reviewer', 24, REVIEWER_TOKEN);
  await createServiceClient(pool, 'portal', ['portal'], PORTAL_TOKEN);
  const vacuumer = await startVacuumer(url);
  return {
    name,
    url,
    pool,
    postgresVersion: `PostgreSQL ${postgresVersion}`,
    vacuumEverySeconds: vacuumer.every,
    drop: once(async () => {
      await vacuumer.stop();
      await pool.end().catch(() => undefined);
      if (process.env.KEEP === '1') {
        say(`kept database ${name}`);
        return;
      }
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    }),
  };
}

export interface BenchEngine {
  url: string;
  port: number;
  pid: number;
  rest: EngineRest;
  logFile: string;
  stop(): Promise<void>;
}

export const ENGINE_USER = 'benchengine';
const ENGINE_PASSWORD = randomBytes(18).toString('base64url');
/** Engines' and apps' data and logs: BENCH_DATA_DIR, or a new temporary folder. */
export const benchDataDir: string = (() => {
  const dir = process.env.BENCH_DATA_DIR;
  if (!dir) return fs.mkdtempSync(path.join(os.tmpdir(), 'az-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
})();

/** Engine node i (0, 1) on the database; same service account on every node. */
export async function startBenchEngine(db: BenchDatabase, i = 0): Promise<BenchEngine> {
  const jdbc = jdbcFromDatabaseUrl(db.url);
  const dataDir = path.join(benchDataDir, `engine-${i}`);
  const logFile = path.join(dataDir, 'engine.log');
  const running: RunningEngine = await startEngine(
    {
      cacheDir: ENGINE_CACHE_DIR,
      dataDir,
      logFile,
      jdbcUrl: jdbc.jdbcUrl,
      jdbcUser: jdbc.user,
      jdbcPassword: jdbc.password,
      port: PORT_BASE + 10 + i,
      bind: '127.0.0.1',
      user: ENGINE_USER,
      password: ENGINE_PASSWORD,
      heap: process.env.ENGINE_HEAP ?? '512m',
      readyTimeoutMs: 240_000,
      // e.g. '-XX:StartFlightRecording=filename=/tmp/engine.jfr,settings=profile' to profile the engine
      jvmOptions: process.env.BENCH_ENGINE_JVM_OPTIONS?.split(' ').filter(Boolean),
    },
    createLogger('warn'),
  );
  return {
    url: running.url,
    port: running.port,
    pid: running.pid,
    rest: createEngineRest({ url: running.url, user: ENGINE_USER, password: ENGINE_PASSWORD }),
    logFile,
    stop: once(() => running.stop()),
  };
}

/** The project's models, deployed as the app deploys them (an unchanged model: no new version). */
export async function deployProjectModels(db: BenchDatabase, engine: BenchEngine): Promise<void> {
  await deployModels(
    { rest: engine.rest, pool: db.pool, log: createLogger('silent') },
    await checkAllModels(workflowsDir),
  );
}

export interface OutsideSystems {
  registry: RegistryStandin;
  registryToken: string;
  sms: SmsGatewayStandin;
  smsToken: string;
  stop(): Promise<void>;
}

export async function startOutsideSystems(): Promise<OutsideSystems> {
  const registryToken = randomBytes(18).toString('base64url');
  const smsToken = randomBytes(18).toString('base64url');
  const registry = await startRegistryStandin(PORT_BASE + 8, { token: registryToken });
  const sms = await startSmsGatewayStandin(PORT_BASE + 9, { token: smsToken });
  return {
    registry,
    registryToken,
    sms,
    smsToken,
    async stop() {
      await registry.stop();
      await sms.stop();
    },
  };
}

/** The app as `npm start` runs it, connected to one engine node (production's two-node layout: an app per node). */
export interface BenchApp {
  apiUrl: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The app's environment (as `npm start` reads it) for app i on this engine. */
export function appEnv(
  db: BenchDatabase,
  engine: BenchEngine,
  outside: OutsideSystems,
  i: number,
  env: Record<string, string> = {},
): { env: Record<string, string>; logFile: string; dataDir: string } {
  const dataDir = path.join(benchDataDir, `app-${i}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'app.log');
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    ...process.env,
    // e.g. APP_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the app
    NODE_OPTIONS: process.env.APP_NODE_OPTIONS ?? '',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    ENGINE_REST_URL: engine.url,
    ENGINE_USER,
    ENGINE_PASSWORD,
    PORT: String(PORT_BASE + 5 + i),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.APP_LOG_LEVEL ?? 'warn',
    REGISTRY_URL: outside.registry.url,
    REGISTRY_TOKEN: outside.registryToken,
    SMS_GATEWAY_URL: outside.sms.url,
    SMS_GATEWAY_TOKEN: outside.smsToken,
    PORTAL_CLIENT_TOKEN: PORTAL_TOKEN,
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    NOTICE_DISPATCH_INTERVAL_MS: '500',
    ...env,
  }))
    if (v !== undefined) merged[k] = v;
  return { env: merged, logFile, dataDir };
}

export async function startBenchApp(
  db: BenchDatabase,
  engine: BenchEngine,
  outside: OutsideSystems,
  i: number,
  env: Record<string, string> = {},
): Promise<BenchApp> {
  const main = path.join(projectRoot, 'dist', 'src', 'main.js');
  const { env: merged, logFile } = appEnv(db, engine, outside, i, env);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [main], {
    cwd: projectRoot,
    env: merged,
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const apiUrl = `http://127.0.0.1:${PORT_BASE + 5 + i}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited before it was ready; see ${logFile}`);
    try {
      const r = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app was not ready within 120 s; see ${logFile}`);
    }
    await sleep(250);
  }
  return {
    apiUrl,
    pid: child.pid!,
    child,
    stop: once(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(t);
      fs.closeSync(out);
    }),
  };
}

// ---- the two drivers of application-review ----

export interface RunResult {
  /** applications that reached the end of the process */
  completed: number;
  /** first submission to last process end */
  seconds: number;
  perSecond: number;
  /** submission to process end, per application (ms) */
  endToEndMs: number[];
  /** application (business key) ids of this run */
  ids: string[];
  /** every application of the run that ended, the drain included (RunOptions.drainMs) */
  endedIds: string[];
  /** applications submitted that had not ended when the run (and its drain) was over */
  unfinished: string[];
}

export interface RunOptions {
  n: number;
  /** applications in flight at once (a new one is submitted when one ends) */
  inFlight: number;
  /** give up after this long (the benchmark stays bounded) */
  timeoutMs: number;
  /**
   * After the measured window: submit no more, keep the reviewer deciding and wait up to this
   * long until every submitted application has ended, so that what is counted afterwards is
   * whole (default 0: stop at once, applications in flight stay where they are).
   */
  drainMs?: number;
}

/** End times of the application-review instances of these business keys (engine history). */
export async function endedAt(pool: Pool, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; end: Date }>(
    `SELECT business_key_ AS id, end_time_ AS end FROM operaton.act_hi_procinst
      WHERE proc_def_key_ = 'application-review' AND end_time_ IS NOT NULL
        AND business_key_ = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.end.getTime()]));
}

/**
 * Keeps `inFlight` applications going until n have ended: `submit` starts one (returns its id and
 * the moment it was submitted), `decide` is the reviewer's loop (runs until stopped). Completion
 * is read from the engine's history every 100 ms.
 */
async function closedLoop(
  pool: Pool,
  opts: RunOptions,
  submit: () => Promise<{ id: string; at: number }>,
  reviewer: (stopped: () => boolean) => Promise<void>,
): Promise<RunResult> {
  const started = new Map<string, number>();
  const ended = new Map<string, number>();
  let submitted = 0;
  let stop = false;
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutMs;
  const reviewing = reviewer(() => stop);
  const submitters: Promise<void>[] = [];
  const submitOne = async () => {
    submitted++;
    for (let attempt = 0; ; attempt++) {
      try {
        const s = await submit();
        started.set(s.id, s.at);
        return;
      } catch (err) {
        if (attempt >= 5 || Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
  };
  const fill = () => {
    while (submitted < opts.n && submitted - ended.size < opts.inFlight)
      submitters.push(submitOne());
  };
  let measured = new Map<string, number>();
  try {
    fill();
    while (ended.size < opts.n && Date.now() < deadline) {
      await sleep(100);
      const open = [...started.keys()].filter((id) => !ended.has(id));
      for (const [id, at] of await endedAt(pool, open)) ended.set(id, at);
      fill();
    }
    measured = new Map(ended);
    if (opts.drainMs) {
      await Promise.allSettled(submitters);
      const until = Date.now() + opts.drainMs;
      for (;;) {
        const open = [...started.keys()].filter((id) => !ended.has(id));
        if (open.length === 0 || Date.now() > until) break;
        await sleep(100);
        for (const [id, at] of await endedAt(pool, open)) ended.set(id, at);
      }
    }
  } finally {
    stop = true;
    await Promise.allSettled(submitters);
    await reviewing.catch(() => undefined);
  }
  // the figures are the measured window's; the drain only makes the run whole for counting
  const first = Math.min(...started.values());
  const last = Math.max(...measured.values());
  // nothing ended in the window: no rate, rather than a negative infinity
  const seconds = measured.size ? (last - first) / 1000 : NaN;
  const endToEndMs = [...measured].map(([id, at]) => at - started.get(id)!);
  return {
    completed: measured.size,
    seconds,
    perSecond: measured.size / seconds,
    endToEndMs,
    ids: [...started.keys()],
    endedIds: [...ended.keys()],
    unfinished: [...started.keys()].filter((id) => !ended.has(id)),
  };
}

/** A JSON answer as the drivers read it. */
type Answer = { id?: string; tasks?: { taskId: string }[] } & Record<string, unknown>;

async function http(
  url: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Answer }> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: Answer = {};
  try {
    parsed = JSON.parse(text) as Answer;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

/** A complete application form (single applicant, category 9, own funds, SMS opted in). */
function form(i: number): Record<string, unknown> {
  return {
    maritalStatus: 'single',
    category: 9,
    registrationAddress: 'Bakı ş., Nəsimi r., Sınaq küç. 1, m. 2',
    mobilePhone: { operatorCode: '50', number: String(5_000_000 + (i % 4_000_000)) },
    email: `bench${i}@example.az`,
    smsOptIn: true,
    rooms: 2,
    paymentIntent: 'own_funds',
    lang: 'az',
  };
}

const GRANT = {
  outcome: 'grant',
  legalGround: 'grant-cabinet',
  reason: 'Kateqoriya təsdiqləndi, sənədlər tamdır.',
};

let finCounter = 0;
/** Applications made by this process so far: each gets its own phone number and e-mail. */
let formCounter = 0;
/** 7 characters [0-9A-Z], never a synthetic registry citizen (those start with SY). */
function nextFin(prefix: string): string {
  const n = finCounter++;
  return `${prefix}${n
    .toString(36)
    .toUpperCase()
    .padStart(7 - prefix.length, '0')}`;
}

/**
 * The whole path through the app: the portal drafts and submits (HTTP), the app's workers do
 * every check against the registry stand-in, a scripted reviewer reads the inbox and grants
 * through the reviewer API (DECIDERS decisions at a time), the approval notices go to the outbox.
 * `apps` are the APIs to spread the portal's and the reviewer's calls over (one per app process).
 */
export async function runThroughApp(
  pool: Pool,
  apps: { apiUrl: string }[],
  opts: RunOptions & { finPrefix: string; deciders?: number },
): Promise<RunResult> {
  let rr = 0;
  const pick = () => apps[rr++ % apps.length]!.apiUrl;
  const ours = new Set<string>();
  const submit = async () => {
    const k = formCounter++;
    const api = pick();
    const d = await http(`${api}/api/v1/applications`, PORTAL_TOKEN, {
      applicantFin: nextFin(opts.finPrefix),
      form: form(k),
    });
    if (d.status !== 201) throw new Error(`draft: ${d.status} ${JSON.stringify(d.body)}`);
    const at = Date.now();
    const s = await http(`${api}/api/v1/applications/${d.body.id}/submit`, PORTAL_TOKEN, {
      consentToRegistryQueries: true,
      confirmsDataTrue: true,
    });
    if (s.status !== 200) throw new Error(`submit: ${s.status} ${JSON.stringify(s.body)}`);
    ours.add(d.body.id!);
    return { id: d.body.id!, at };
  };
  const handled = new Set<string>();
  const reviewer = async (stopped: () => boolean) => {
    while (!stopped()) {
      const inbox = await http(
        `${pick()}/api/v1/review-tasks?limit=200&sort=created&order=asc`,
        REVIEWER_TOKEN,
      ).catch(() => undefined);
      // this run's applications only: a task of another run (or of the raw side) is not ours
      const tasks = (inbox?.status === 200 ? (inbox.body.tasks ?? []) : [])
        .filter((t) => ours.has((t as { caseId?: string }).caseId ?? ''))
        .map((t) => t.taskId)
        .filter((t) => !handled.has(t));
      await inParallel(tasks, opts.deciders ?? 4, async (taskId) => {
        if (stopped()) return;
        const r = await http(
          `${pick()}/api/v1/review-tasks/${taskId}/decision`,
          REVIEWER_TOKEN,
          GRANT,
        ).catch(() => undefined);
        if (r && (r.status === 200 || r.status === 409)) handled.add(taskId);
      });
      if (tasks.length === 0) await sleep(100);
    }
  };
  return closedLoop(pool, opts, submit, reviewer);
}

/** The variables the app's workers give the process, as constants (the no-op side). */
function noopResult(topic: string, vars: Record<string, unknown>): Record<string, unknown> {
  if (topic !== 'start-review') return {};
  const due = new Date(Date.now() + 7 * 86_400_000);
  return {
    caseId: vars.applicationId,
    caseType: 'application',
    reviewDeadlineCitation: '003 §5.5',
    reviewDueAt: due.toISOString(),
    reviewFollowUpAt: new Date(due.getTime() - 86_400_000).toISOString(),
    reviewDueDate: due.toISOString().slice(0, 10),
    reviewBody: 'mida-reviewers',
    paymentIntent: 'own_funds',
    reviewExtended: false,
    discrepancyRound: 0,
  };
}

/** No-op workers for every topic of application-review, with the app's worker host and settings. */
export function startNoopWorkers(
  engine: BenchEngine,
  pool: Pool,
  settings: { maxTasks: number; longPollMs: number; lockMs: number },
): WorkerHost {
  const topics = [
    'start-review',
    'check-identity',
    'check-civil-status',
    'check-category-evidence',
    'check-once-only-right',
    'check-property',
    'grant-cabinet',
    'send-notice',
    'extend-review',
    'record-refusal',
    'hand-over-to-mortgage-system',
    'escalate-overdue-review',
  ];
  const defs: WorkerDefinition[] = topics.map((taskType) => ({
    taskType,
    fetchVariables: taskType === 'start-review' ? ['applicationId'] : [],
    handle: async (job) => noopResult(taskType, job.variables),
  }));
  return startWorkers(
    engine.rest,
    defs,
    { pool, log: createLogger('warn'), now: () => new Date() },
    {
      lockDurationMs: settings.lockMs,
      retryBackoffBaseMs: 200,
      maxTasks: settings.maxTasks,
      asyncResponseTimeoutMs: settings.longPollMs,
    },
  );
}

/**
 * The same model straight on the engine: started as the outbox starts it (by key, business key =
 * the case id), no-op workers (running separately, startNoopWorkers), the user task completed
 * over the engine's REST API with the same decision variable the app sets.
 */
export async function runOnEngine(
  pool: Pool,
  engine: BenchEngine,
  opts: RunOptions & { deciders?: number },
): Promise<RunResult> {
  let registrationNumber = 9_000_000 + Math.floor(Math.random() * 100_000);
  const ours = new Set<string>();
  const submit = async () => {
    const id = randomUUID();
    const at = Date.now();
    const started = ok(
      await engine.rest.POST('/process-definition/key/{key}/start', {
        params: { path: { key: 'application-review' } },
        body: {
          businessKey: id,
          variables: toEngineVariables({
            applicationId: id,
            registrationNumber: registrationNumber++,
          }),
        },
      }),
    );
    ours.add(started.id!);
    return { id, at };
  };
  const decision = toEngineVariables({
    decision: { ...GRANT, legalGroundCitation: '003 §5.5', decidedBy: 'bench-reviewer' },
  });
  const handled = new Set<string>();
  const reviewer = async (stopped: () => boolean) => {
    while (!stopped()) {
      const tasks = (
        ok(
          await engine.rest.GET('/task', {
            params: {
              query: {
                processDefinitionKey: 'application-review',
                taskDefinitionKey: 'review-application',
                sortBy: 'created',
                sortOrder: 'asc',
                maxResults: 200,
              } as never,
            },
          }),
        ) as { id?: string; processInstanceId?: string }[]
      )
        // this run's instances only (never an application of the end-to-end side)
        .filter((t) => ours.has(t.processInstanceId ?? ''))
        .map((t) => t.id!)
        .filter((t) => !handled.has(t));
      await inParallel(tasks, opts.deciders ?? 4, async (id) => {
        if (stopped()) return;
        const r = await engine.rest.POST('/task/{id}/complete', {
          params: { path: { id } },
          body: { variables: decision, withVariablesInReturn: false },
        });
        if (r.response.ok || r.response.status === 404) handled.add(id);
      });
      if (tasks.length === 0) await sleep(100);
    }
  };
  return closedLoop(pool, opts, submit, reviewer);
}

/**
 * Ends the application-review instances of a run that had not ended when it stopped, so that
 * they do not run on into the next run (the other side's workers would pick up their jobs and the
 * figures of one side would carry the other's leftovers).
 */
export async function cancelUnfinished(
  engine: BenchEngine,
  businessKeys: string[],
): Promise<number> {
  let cancelled = 0;
  await inParallel(businessKeys, 4, async (businessKey) => {
    const instances = ok(
      await engine.rest.GET('/process-instance', {
        params: { query: { businessKey, processDefinitionKey: 'application-review' } },
      }),
    );
    for (const pi of instances) {
      const r = await engine.rest.DELETE('/process-instance/{id}', {
        params: { path: { id: pi.id! }, query: { skipIoMappings: true } },
      });
      if (r.response.ok) cancelled++;
    }
  });
  return cancelled;
}

export async function inParallel<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export function summary(r: RunResult): { perSecond: number; p50: number; p99: number } {
  return {
    perSecond: r.perSecond,
    p50: percentile(r.endToEndMs, 50),
    p99: percentile(r.endToEndMs, 99),
  };
}

/** Resident set size of a process and its children (MiB), from /proc. */
export function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine was busy (all cores, every process), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    const [user, nice, system, , , irq, softirq, steal] = cpu.map(Number);
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds all PostgreSQL backends of this database used (pg_stat_activity pids, now). */
export async function postgresBackendPids(pool: Pool, db: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1',
    [db],
  );
  return rows.map((r) => r.pid);
}

export interface SideEffectCount {
  what: string;
  /** how many there must be (one per application, or one per key) */
  expected: number;
  found: number;
  /** keys seen more than once */
  duplicates: number;
}

/**
 * What the applications of a run left behind, each of which must exist exactly once: a
 * registration number per application, one decision, one approval notice per channel, the SMS at
 * the gateway once, each worker's audit entry once, each external task completed once in the
 * engine, each activity of the grant path once per instance.
 */
export async function sideEffects(
  pool: Pool,
  ids: string[],
  sms: SmsGatewayStandin,
): Promise<SideEffectCount[]> {
  const n = ids.length;
  const one = async (what: string, expected: number, sql: string): Promise<SideEffectCount> => {
    const r = (
      await pool.query<{ found: number; duplicates: number }>(sql, [ids]).catch((err: Error) => {
        throw new Error(`${what}: ${err.message}`);
      })
    ).rows[0]!;
    return { what, expected, found: r.found, duplicates: r.duplicates };
  };
  const grouped = (from: string, key: string) =>
    `SELECT coalesce(sum(c), 0)::int AS found, count(*) FILTER (WHERE c > 1)::int AS duplicates
       FROM (SELECT count(*) AS c FROM ${from} GROUP BY ${key}) g`;
  const out = [
    await one(
      'registration numbers (distinct, one per application)',
      n,
      `SELECT count(DISTINCT registration_number)::int AS found,
              (count(registration_number) - count(DISTINCT registration_number))::int AS duplicates
         FROM application WHERE id = ANY($1::uuid[])`,
    ),
    await one(
      'decisions (one per application)',
      n,
      grouped('decision WHERE application_id = ANY($1::uuid[])', 'application_id'),
    ),
    await one(
      'approval notices in the outbox (one per application and channel: cabinet, SMS, e-mail)',
      3 * n,
      grouped(
        `notice_outbox WHERE case_id = ANY($1::uuid[]) AND template = 'application-approved'`,
        'case_id, channel',
      ),
    ),
    await one(
      'engine messages sent by the app (draft started, submitted, task completion)',
      3 * n,
      grouped(
        `engine_outbox WHERE correlation_key::text = ANY($1::text[])
            OR task_id::text IN (SELECT task_id::text FROM review_task WHERE case_id::text = ANY($1::text[]))`,
        'message_id',
      ),
    ),
    await one(
      'worker audit entries (start-review … grant-cabinet, one per application and action)',
      NaN,
      grouped(
        `audit_event WHERE case_id::text = ANY($1::text[]) AND actor LIKE 'system:%'`,
        'case_id, actor, action',
      ),
    ),
    await one(
      'external tasks completed in the engine (once each)',
      8 * n,
      grouped(
        `operaton.act_hi_ext_task_log l JOIN operaton.act_hi_procinst p ON p.id_ = l.proc_inst_id_
          WHERE p.business_key_ = ANY($1::text[]) AND l.state_ = 2`,
        'l.ext_task_id_',
      ),
    ),
    await one(
      'tasks of application-review in the history (service and user tasks, once per instance)',
      9 * n,
      grouped(
        `operaton.act_hi_actinst a JOIN operaton.act_hi_procinst p ON p.id_ = a.proc_inst_id_
          WHERE p.business_key_ = ANY($1::text[]) AND p.proc_def_key_ = 'application-review'
            AND a.act_type_ IN ('serviceTask', 'userTask')`,
        'a.proc_inst_id_, a.act_id_',
      ),
    ),
  ];
  const phones = new Set(
    (
      await pool.query<{ address: string }>(
        `SELECT address FROM notice_outbox WHERE case_id = ANY($1::uuid[]) AND channel = 'sms'
            AND template = 'application-approved'`,
        [ids],
      )
    ).rows.map((r) => r.address),
  );
  const ours = sms.messages.filter((m) => phones.has(m.to));
  const keys = new Map<string, number>();
  for (const m of ours) keys.set(`${m.to}\n${m.text}`, (keys.get(`${m.to}\n${m.text}`) ?? 0) + 1);
  out.push({
    what: 'approval SMS received by the gateway stand-in (once per application)',
    expected: n,
    found: ours.filter((m) => m.text.length > 0).length,
    duplicates: [...keys.values()].filter((c) => c > 1).length,
  });
  return out;
}

/** The database's own counters (pg_stat_database, pg_stat_user_tables by schema), for deltas. */
export interface DbCounters {
  commits: number;
  /** rows inserted + updated + deleted, by schema */
  rowsWritten: Record<string, number>;
}

export async function dbCounters(pool: Pool, db: string): Promise<DbCounters> {
  // the statistics collector reports with a delay: take what it has now
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const commits = Number(
    (
      await pool.query<{ n: string }>(
        'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1',
        [db],
      )
    ).rows[0]?.n ?? NaN,
  );
  const rows = (
    await pool.query<{ schema: string; n: string }>(
      `SELECT schemaname AS schema, sum(n_tup_ins + n_tup_upd + n_tup_del) AS n
         FROM pg_stat_user_tables GROUP BY schemaname`,
    )
  ).rows;
  return { commits, rowsWritten: Object.fromEntries(rows.map((r) => [r.schema, Number(r.n)])) };
}
