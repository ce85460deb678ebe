import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { PORTAL_TOKEN } from '../support/auth.js';
import { eventually } from '../support/eventually.js';
import { pidAlive, pidFromFile, startAppProcess, type AppProcess } from '../support/app-process.js';

/**
 * Shutdown is bounded whatever is down (issue 14: "Ctrl-C ignored after the engine crashed").
 * The app runs as `npm start` does, as a child process with its own embedded PostgreSQL (not the
 * shared test server) and its own engine, so the test can kill either of them.
 */
const SHUTDOWN_TIMEOUT_MS = 30_000;
/** What the test allows: the app's own limit plus the time to tear down what it started. */
const EXIT_WITHIN_MS = SHUTDOWN_TIMEOUT_MS + 10_000;

let app: AppProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (app?.alive()) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
  // whatever the app left behind would be a failure above; stop it so the run stays clean
  for (const f of ['engine/engine.pid', 'postgres/postmaster.pid']) {
    const pid = dataDir ? pidFromFile(path.join(dataDir, f)) : undefined;
    if (pid && pidAlive(pid)) process.kill(f.startsWith('engine') ? -pid : pid, 'SIGKILL');
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  app = undefined;
  dataDir = undefined;
});

async function start(): Promise<{ app: AppProcess; enginePid: number; dbPid: number }> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-shutdown-'));
  app = await startAppProcess({
    DATABASE_URL: undefined, // its own embedded PostgreSQL, which the test may kill
    REGISTRY_URL: undefined, // and its own registry stand-in
    DATA_DIR: dataDir,
    PORT: '0',
    ENGINE_PORT: '0',
    PORTAL_CLIENT_TOKEN: PORTAL_TOKEN,
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    SHUTDOWN_STEP_MS: '8000',
    WORKER_LONG_POLL_MS: '2000',
    LOG_LEVEL: 'info',
  });
  const enginePid = pidFromFile(path.join(dataDir, 'engine', 'engine.pid'));
  const dbPid = pidFromFile(path.join(dataDir, 'postgres', 'postmaster.pid'));
  expect(enginePid).toBeDefined();
  expect(dbPid).toBeDefined();
  return { app, enginePid: enginePid!, dbPid: dbPid! };
}

const portal = (app: AppProcess, p: string, body?: unknown) =>
  fetch(`${app.apiUrl}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PORTAL_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });

async function gone(pid: number): Promise<boolean> {
  await eventually(async () => !pidAlive(pid), 10_000);
  return true;
}

describe('bounded shutdown', () => {
  it('given the engine crashed (SIGKILL), when the app gets SIGTERM, then it exits by itself within the shutdown limit and leaves no database server behind', async () => {
    const { app, enginePid, dbPid } = await start();
    process.kill(-enginePid, 'SIGKILL');
    await gone(enginePid);
    // the API still answers while the engine is down: /readyz names it, a draft is still made
    const ready = await fetch(`${app.apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toMatchObject({
      database: 'up',
      engine: 'down',
    });
    const draft = await portal(app, '/api/v1/applications', {
      applicantFin: '4EM8BED',
      form: { category: 8 },
    });
    expect(draft.status).toBe(201);

    const sent = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    const tookMs = exit.at - sent;
    process.stdout.write(`shutdown with the engine crashed: exit ${exit.code} in ${tookMs} ms\n`);
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(exit.signal).toBeNull();
    expect(await gone(dbPid)).toBe(true);
  }, 360_000);

  it('given the database is down (postmaster killed), when the app gets SIGINT, then the API answered 503 meanwhile and the app exits within the shutdown limit, stopping the engine', async () => {
    const { app, enginePid, dbPid } = await start();
    process.kill(dbPid, 'SIGKILL');
    await gone(dbPid);
    // reads and writes answer at once with a clear 503 problem, they never hang
    for (const res of [
      await portal(app, '/api/v1/applications/00000000-0000-4000-8000-000000000000'),
      await portal(app, '/api/v1/applications', { applicantFin: '4EM8BED', form: {} }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ status: 503, title: 'Database unavailable' });
    }
    const ready = await fetch(`${app.apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toBe(
      'down',
    );

    const sent = Date.now();
    app.child.kill('SIGINT');
    const exit = await app.exited;
    const tookMs = exit.at - sent;
    process.stdout.write(`shutdown with the database down: exit ${exit.code} in ${tookMs} ms\n`);
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(exit.signal).toBeNull();
    expect(await gone(enginePid)).toBe(true);
  }, 360_000);
});
