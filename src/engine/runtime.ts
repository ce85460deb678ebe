import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { projectRoot } from '../paths.js';
import { findJdk } from './jdk.js';

/**
 * The process engine's runtime: builds the engine application (engine/, Operaton on Spring Boot)
 * with Maven into a cache keyed by the hash of its sources, starts it as a child process group,
 * waits until its REST API answers, and stops it (SIGTERM, then SIGKILL).
 */

const run = promisify(execFile);

/** The engine application's Maven project. */
export const ENGINE_SOURCE_DIR = path.join(projectRoot, 'engine');
export const ENGINE_MAIN_CLASS = 'az.housing.engine.EngineApplication';

// ---------------------------------------------------------------------------------------------
// Build

/** Every file of the engine project except Maven's output (target/), sorted, POSIX-relative. */
function engineSourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (d === dir && e.name === 'target') continue;
        walk(p);
      } else if (e.isFile()) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** First 16 hex digits of the sha256 over the engine's sources (paths and contents). */
export function engineSourceHash(dir = ENGINE_SOURCE_DIR): string {
  const h = createHash('sha256');
  for (const f of engineSourceFiles(dir)) {
    h.update(path.relative(dir, f).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export interface EngineBuild {
  /** `<cacheDir>/<hash>`: app.jar and lib/*.jar. */
  dir: string;
  hash: string;
  /** True when this call built it; false when the cache had it (or a concurrent build won). */
  built: boolean;
}

function isCompleteBuild(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'app.jar')) && fs.existsSync(path.join(dir, 'lib'));
}

/**
 * Builds the engine application with Maven into `<cacheDir>/<hash of engine/>/` (app.jar + lib/),
 * once per change of its sources; the cache lives outside git (home directory) so clones and CI
 * on the machine share it. The build runs in a private copy of the sources; its result is moved
 * into place with one directory rename, so a concurrent start sees the whole build or none, and
 * two processes building at once cannot corrupt it (the second rename loses and is discarded).
 * An online build that fails (no network) is retried offline from the local Maven repository.
 */
export async function ensureEngineBuild(
  cacheDir: string,
  log: Logger,
  sourceDir = ENGINE_SOURCE_DIR,
): Promise<EngineBuild> {
  const hash = engineSourceHash(sourceDir);
  const dir = path.join(cacheDir, hash);
  if (isCompleteBuild(dir)) return { dir, hash, built: false };

  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheDir, '.build-'));
  try {
    const src = path.join(work, 'src');
    for (const f of engineSourceFiles(sourceDir)) {
      const to = path.join(src, path.relative(sourceDir, f));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(f, to);
    }
    const jdk = findJdk();
    const env = { ...process.env, JAVA_HOME: jdk.home };
    const started = Date.now();
    log.info({ dir }, 'building the process engine (once per change of engine/)');
    const mvn = (extra: string[]) =>
      run(
        'mvn',
        [
          '-B',
          '-q',
          '-Dstyle.color=never',
          ...extra,
          'package',
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          '-DskipTests',
        ],
        { cwd: src, env, maxBuffer: 32 << 20 },
      );
    try {
      await mvn([]);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') {
        throw new Error(
          'Apache Maven (`mvn`) is needed to build the process engine; install it (apt-get install maven).',
        );
      }
      log.warn('online build of the process engine failed; trying offline');
      try {
        await mvn(['-o']);
      } catch (err2) {
        const e2 = err2 as { stdout?: string; stderr?: string; message: string };
        throw new Error(
          `mvn could not build the process engine: ${`${e2.stdout ?? ''}${e2.stderr ?? ''}`.slice(-3000) || e2.message}`,
        );
      }
    }
    const jar = path.join(src, 'target', 'app.jar');
    const lib = path.join(src, 'target', 'lib');
    if (!fs.existsSync(jar) || !fs.existsSync(lib)) {
      throw new Error(`mvn reported success but ${jar} or ${lib} is missing`);
    }
    const stage = path.join(work, 'out');
    fs.mkdirSync(stage);
    fs.renameSync(jar, path.join(stage, 'app.jar'));
    fs.renameSync(lib, path.join(stage, 'lib'));
    try {
      fs.renameSync(stage, dir); // atomic; fails when the target exists and is not empty
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && isCompleteBuild(dir)) {
        log.info({ dir }, 'a concurrent build of the process engine finished first; using it');
        return { dir, hash, built: false };
      }
      throw err;
    }
    log.info({ dir, seconds: Math.round((Date.now() - started) / 1000) }, 'process engine built');
    return { dir, hash, built: true };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Database URL

export interface JdbcConnection {
  jdbcUrl: string;
  user?: string;
  password?: string;
}

/** Query parameters of a libpq URL that mean the same in pgjdbc. */
const PASSED_PARAMETERS = new Set([
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'application_name',
]);

/**
 * The JDBC form of a libpq connection URL (`postgresql://user:password@host:port/db?sslmode=…`):
 * `jdbc:postgresql://host:port/db`, with user and password apart (they go into separate
 * environment variables, so they never appear in a URL that may be logged). Pure.
 */
export function jdbcFromDatabaseUrl(databaseUrl: string): JdbcConnection {
  let u: URL;
  try {
    u = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a URL');
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, not ${u.protocol}//`);
  }
  if (!u.hostname)
    throw new Error('DATABASE_URL has no host (Unix sockets are not supported by JDBC)');
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!db) throw new Error('DATABASE_URL names no database');
  const query = new URLSearchParams();
  for (const [k, v] of u.searchParams) {
    if (k === 'host')
      throw new Error(
        'DATABASE_URL: a host query parameter (Unix socket) is not supported by JDBC',
      );
    if (PASSED_PARAMETERS.has(k)) query.append(k, v);
  }
  const port = u.port || '5432';
  const qs = query.toString();
  const conn: JdbcConnection = {
    // u.hostname keeps the brackets of an IPv6 address, as JDBC wants them
    jdbcUrl: `jdbc:postgresql://${u.hostname}:${port}/${encodeURIComponent(db)}${qs ? `?${qs}` : ''}`,
  };
  if (u.username) conn.user = decodeURIComponent(u.username);
  if (u.password) conn.password = decodeURIComponent(u.password);
  return conn;
}

// ---------------------------------------------------------------------------------------------
// Process

export interface EngineOptions {
  /** Build cache (see ensureEngineBuild); built on demand. */
  cacheDir: string;
  /** Pid file, port file and the JVM's temporary files. */
  dataDir: string;
  logFile: string;
  jdbcUrl: string;
  jdbcUser?: string;
  jdbcPassword?: string;
  /** HTTP port; 0 picks a free one (reported in RunningEngine.port). */
  port: number;
  /** Address to listen on; 127.0.0.1 unless the engine must be reachable from elsewhere. */
  bind: string;
  /** The service account (engine admin); its password is reset to this at every start. */
  user: string;
  /** At least 16 characters (the engine refuses to start otherwise). */
  password: string;
  /** JVM max heap, e.g. `512m`. */
  heap: string;
  /** Default `public.review_task`. */
  taskProjectionTable?: string;
  /** Default 120 s. */
  readyTimeoutMs?: number;
  /**
   * How long the job executor holds a job it acquired (Operaton's default: 5 min). A job held by
   * an engine that crashed comes back to the other engines (or the restarted one) after it.
   */
  jobLockTimeMs?: number;
  /** More JVM options after the defaults, e.g. a flight recording when profiling a benchmark. */
  jvmOptions?: string[];
}

export interface RunningEngine {
  /** REST base, e.g. `http://127.0.0.1:41234/engine-rest`. */
  url: string;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

/** Stops a process group: SIGTERM (clean shutdown), then SIGKILL after the grace period. */
export async function stopProcessGroup(pid: number, graceMs = 30_000): Promise<void> {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, graceMs))) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitForExit(pid, 5000);
  }
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * An engine left behind by a killed parent (SIGKILL gives us no chance to stop it) still holds
 * its port and the pid file; stop it (only if it really is our engine) before starting a new one.
 */
async function stopOrphan(pidFile: string, log: Logger): Promise<void> {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* not Linux, or gone */
    }
    if (cmdline.includes(ENGINE_MAIN_CLASS)) {
      log.warn({ pid }, 'stopping a process engine left behind by an earlier run');
      await stopProcessGroup(pid);
    }
  }
  fs.rmSync(pidFile, { force: true });
}

/** The address a client on this machine uses for an engine listening on `bind`. */
function clientHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '' || bind === '::') return '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function versionStatus(url: string, auth: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/version`, {
      headers: { authorization: auth },
      signal: AbortSignal.timeout(2000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

function readPortFile(file: string): number | undefined {
  try {
    const port = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the engine (building it first if the cache lacks the current sources) in its own
 * process group, sized for a 2-core machine, and waits until `GET /engine-rest/version` answers
 * 200 to the service account. Logs (stdout and stderr of the JVM) go to `logFile`.
 */
export async function startEngine(opts: EngineOptions, log: Logger): Promise<RunningEngine> {
  if (!/^[A-Za-z0-9]{1,64}$/.test(opts.user)) {
    // the engine accepts only letters and digits in user ids (its resource id rule)
    throw new Error('the engine user must be 1-64 letters or digits');
  }
  if (opts.password.length < 16) {
    throw new Error('the engine password must be at least 16 characters long');
  }
  const host = clientHost(opts.bind);
  const pidFile = path.join(opts.dataDir, 'engine.pid');
  const portFile = path.join(opts.dataDir, 'engine.port');
  const tmpDir = path.join(opts.dataDir, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  await stopOrphan(pidFile, log);
  fs.rmSync(portFile, { force: true });

  const auth = basicAuth(opts.user, opts.password);
  if (opts.port !== 0 && (await versionStatus(`http://${host}:${opts.port}/engine-rest`, auth))) {
    throw new Error(
      `Port ${opts.port} already answers: another engine is running there. Stop it, or choose another ENGINE_PORT.`,
    );
  }

  const jdk = findJdk();
  const build = await ensureEngineBuild(opts.cacheDir, log);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    JAVA_HOME: jdk.home,
    ENGINE_JDBC_URL: opts.jdbcUrl,
    ENGINE_PORT: String(opts.port),
    ENGINE_BIND: opts.bind,
    ENGINE_USER: opts.user,
    ENGINE_PASSWORD: opts.password,
    ENGINE_PORT_FILE: portFile,
    ENGINE_TASK_PROJECTION_TABLE: opts.taskProjectionTable ?? 'public.review_task',
  };
  if (opts.jdbcUser) env.ENGINE_JDBC_USER = opts.jdbcUser;
  if (opts.jdbcPassword) env.ENGINE_JDBC_PASSWORD = opts.jdbcPassword;
  const args = [
    `-Xmx${opts.heap}`,
    '-Xss512k',
    // one small heap on 2 cores: the serial collector keeps the footprint low
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    // C1 only: start-up on a busy 2-core machine ~15 s instead of ~35 s (measured); the engine's
    // work is mostly waiting on PostgreSQL, so the lost C2 peak speed hardly shows
    '-XX:TieredStopAtLevel=1',
    // timer dates and cron cycles (e.g. the yearly re-verification) are read in the JVM's zone
    '-Duser.timezone=UTC',
    '-Dfile.encoding=UTF-8',
    `-Djava.io.tmpdir=${tmpDir}`,
    ...(opts.jobLockTimeMs
      ? [`-Doperaton.bpm.job-execution.lock-time-in-millis=${opts.jobLockTimeMs}`]
      : []),
    ...(opts.jvmOptions ?? []),
    '-cp',
    `${path.join(build.dir, 'app.jar')}${path.delimiter}${path.join(build.dir, 'lib', '*')}`,
    ENGINE_MAIN_CLASS,
  ];

  const logFd = fs.openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(path.join(jdk.home, 'bin', 'java'), args, {
      cwd: opts.dataDir,
      env,
      detached: true, // own process group, so stop() reaches the JVM and anything it starts
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    fs.closeSync(logFd);
  }
  const pid = child.pid;
  if (!pid) throw new Error('could not start the process engine');
  fs.writeFileSync(pidFile, `${pid}\n`);
  let exited: number | null = null;
  child.on('exit', (code, signal) => {
    exited = code ?? (signal ? 128 : -1);
  });
  child.unref();

  const started = Date.now();
  const timeout = opts.readyTimeoutMs ?? 120_000;
  log.info(
    { java: jdk.version, pid, build: build.hash, logFile: opts.logFile },
    'starting the process engine',
  );
  let port: number | undefined;
  for (;;) {
    if (exited !== null) {
      fs.rmSync(pidFile, { force: true });
      throw new Error(
        `The process engine exited with code ${exited} while starting. Last log lines:\n${tail(opts.logFile)}`,
      );
    }
    port ??= readPortFile(portFile);
    if (port !== undefined) {
      const status = await versionStatus(`http://${host}:${port}/engine-rest`, auth);
      if (status === 200) break;
      if (status === 401) {
        // the service account is written before Tomcat starts, so this is not a start-up race
        await stopProcessGroup(pid);
        fs.rmSync(pidFile, { force: true });
        throw new Error('The process engine refused the service account (401) after starting.');
      }
    }
    if (Date.now() - started > timeout) {
      await stopProcessGroup(pid);
      fs.rmSync(pidFile, { force: true });
      throw new Error(
        `The process engine was not ready within ${timeout / 1000}s. Last log lines:\n${tail(opts.logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const url = `http://${host}:${port}/engine-rest`;
  log.info({ url, seconds: (Date.now() - started) / 1000 }, 'process engine ready');

  let stopping: Promise<void> | undefined;
  return {
    url,
    pid,
    port,
    stop() {
      stopping ??= (async () => {
        await stopProcessGroup(pid);
        fs.rmSync(pidFile, { force: true });
        fs.rmSync(portFile, { force: true });
        log.info({ pid }, 'process engine stopped');
      })();
      return stopping;
    },
  };
}

/**
 * The service account's password for a local engine: the configured one, or one generated at the
 * first start and kept in DATA_DIR/engine-password (mode 600) — never a default.
 */
export function localEnginePassword(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'engine-password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
