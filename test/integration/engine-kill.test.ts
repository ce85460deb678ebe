import { seedTestPrincipals } from '../support/auth.js';
import { as } from '../support/auth.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { createServer } from 'node:net';
import { jdbcFromDatabaseUrl, startEngine, type RunningEngine } from '../../src/engine/runtime.js';
import { createLogger } from '../../src/logger.js';
import { startRegistryStandin } from '../../dev/registry-standin.js';
import { startStack, type Stack } from '../../src/stack.js';
import { completeForm, SIGNED } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { eventually, LogCapture } from '../support/stack.js';

// An engine of its own, started apart from the app (as an external engine), so the test can
// SIGKILL it and start it again on the same port and database while the app keeps running.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-crash-'));
const cfg = loadConfig();
const log = createLogger('silent');
const ENGINE_USER = 'killtest';
const ENGINE_PASSWORD = 'kill-test-password-0123456789';
let engine: RunningEngine | undefined;
let stack: Stack | undefined;
let db: TestDatabase | undefined;
let registry: Awaited<ReturnType<typeof startRegistryStandin>> | undefined;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function start(databaseUrl: string, port: number): Promise<RunningEngine> {
  const jdbc = jdbcFromDatabaseUrl(databaseUrl);
  return startEngine(
    {
      cacheDir: cfg.ENGINE_CACHE_DIR,
      dataDir,
      logFile: path.join(dataDir, 'engine.log'),
      jdbcUrl: jdbc.jdbcUrl,
      jdbcUser: jdbc.user,
      jdbcPassword: jdbc.password,
      port,
      bind: '127.0.0.1',
      user: ENGINE_USER,
      password: ENGINE_PASSWORD,
      heap: '512m',
    },
    log,
  );
}

afterAll(async () => {
  await stack?.stop();
  await engine?.stop();
  await registry?.stop();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('an engine crash loses no case and sends no notice twice', () => {
  it('given a case submitted while the engine is down and one waiting in it, when the engine is killed and comes back, then both reach the review inbox and the decided one is notified once', async () => {
    db = await createTestDatabase();
    const port = await freePort();
    registry = await startRegistryStandin();
    process.env.REGISTRY_URL = registry.url;
    // the app's migrations first (the engine's task listener writes the app's review_task)
    const probe = createPool({ connectionString: db.url, max: 1 });
    await migrate(probe, log);
    await probe.end();
    engine = await start(db.url, port);
    stack = await startStack(
      loadConfig({
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        ENGINE_REST_URL: engine.url,
        ENGINE_USER,
        ENGINE_PASSWORD,
        PORT: '0',
        WORKER_LONG_POLL_MS: '1000',
        WORKER_RETRY_BACKOFF_MS: '200',
      }),
      createLogger('info', new LogCapture()),
    );
    await seedTestPrincipals(stack.db.pool);
    const api = (p: string, body?: unknown) =>
      fetch(`${stack!.apiUrl}${p}`, {
        method: body ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json', ...as('portal') },
        body: body ? JSON.stringify(body) : undefined,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const submit = async (fin: string) => {
      const draft = await api('/api/v1/applications', { applicantFin: fin, form: completeForm() });
      const res = await api(`/api/v1/applications/${draft.body.id}/submit`, SIGNED);
      expect(res.status).toBe(200);
      return draft.body.id as string;
    };
    const inInbox = (id: string) =>
      eventually(
        async () =>
          (await stack!.db.pool.query(`SELECT 1 FROM review_task WHERE application_id = $1`, [id]))
            .rowCount,
        60_000,
      );

    const before = await submit('6CR0001');
    await inInbox(before);

    // the crash: SIGKILL, no clean shutdown
    process.kill(-engine.pid, 'SIGKILL');
    await eventually(async () => {
      try {
        process.kill(engine!.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    // the portal keeps working: the submission is registered and waits in the outbox
    const during = await submit('6CR0002');
    const pending = await stack.db.pool.query(
      `SELECT count(*)::int AS n FROM engine_outbox WHERE published_at IS NULL`,
    );
    expect(pending.rows[0].n).toBeGreaterThan(0);

    const ready = await fetch(`${stack.apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { engine: string } }).checks.engine).toBe('down');

    engine = await start(db.url, port); // same database: the engine's state survives
    await inInbox(during);
    // the case that was waiting in the engine before the crash is still there and can be decided
    const task = await stack.db.pool.query(
      `SELECT task_id FROM review_task WHERE application_id = $1`,
      [before],
    );
    const decided = await fetch(
      `${stack.apiUrl}/api/v1/review-tasks/${task.rows[0].task_id}/decision`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...as('r1'),
        },
        body: JSON.stringify({
          outcome: 'grant',
          legalGround: 'grant-cabinet',
          reason: 'Sənədlər tamdır, kateqoriya təsdiqlənib.',
        }),
      },
    );
    expect(decided.status).toBe(200);
    await eventually(
      async () => (await api(`/api/v1/applications/${before}`)).body.status === 'approved',
      60_000,
    );
    // one approval notice per channel, however often the engine or the workers retried
    const notices = await eventually(async () => {
      const { rows } = await stack!.db.pool.query(
        `SELECT channel, count(*)::int AS n FROM notice_outbox
          WHERE case_id = $1 AND template = 'application-approved' GROUP BY channel`,
        [before],
      );
      return rows.length ? { rows } : undefined;
    });
    expect(notices.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);
  }, 300_000);
});
