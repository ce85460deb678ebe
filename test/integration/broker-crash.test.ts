import { seedTestPrincipals } from '../support/auth.js';
import { as } from '../support/auth.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { startBroker, type RunningBroker } from '../../src/engine/runtime.js';
import { createLogger } from '../../src/logger.js';
import { startRegistryStandin } from '../../dev/registry-standin.js';
import { startStack, type Stack } from '../../src/stack.js';
import { completeForm, SIGNED } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, LogCapture } from '../support/stack.js';

// A broker of its own (other ports, its own data folder), so killing it disturbs no other test.
const PORTS = { grpcPort: 27600, restPort: 27610, managementPort: 27620 };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-crash-'));
const cfg = loadConfig();
const log = createLogger('silent');
let broker: RunningBroker | undefined;
let stack: Stack | undefined;
let db: TestDatabase | undefined;
let registry: Awaited<ReturnType<typeof startRegistryStandin>> | undefined;

function start(): Promise<RunningBroker> {
  return startBroker(
    {
      version: cfg.CAMUNDA_VERSION,
      cacheDir: cfg.CAMUNDA_CACHE_DIR,
      dataDir,
      logFile: path.join(dataDir, 'zeebe.log'),
      heap: '512m',
      ...PORTS,
    },
    log,
  );
}

afterAll(async () => {
  await stack?.stop();
  await broker?.stop();
  await registry?.stop();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a broker crash loses no case', () => {
  it('given a case submitted while the broker is down and one waiting in it, when the broker is killed and comes back, then both reach the review inbox', async () => {
    broker = await start();
    db = await createTestDatabase();
    registry = await startRegistryStandin();
    process.env.REGISTRY_URL = registry.url;
    stack = await startStack(
      loadConfig({
        ...process.env,
        DATABASE_URL: db.url,
        ZEEBE_ADDRESS: broker.grpcAddress,
        CAMUNDA_REST_ADDRESS: broker.restAddress,
        PORT: '0',
        WORKER_POLL_MS: '1000',
        INBOX_POLL_MS: '1000',
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
    process.kill(-broker.pid, 'SIGKILL');
    await eventually(async () => {
      try {
        process.kill(broker!.pid, 0);
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

    broker = await start(); // same data folder: the engine's state survives
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
  }, 240_000);
});
