import { loadConfig } from '../../src/config.js';
import { EngineClock } from '../../src/engine/clock.js';
import { createLogger } from '../../src/logger.js';
import { startStack, type Stack } from '../../src/stack.js';
import { startRegistryStandin, type RegistryStandin } from '../../src/registry/standin-server.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { as, PORTAL, seedTestPrincipals } from './auth.js';

export { LogCapture };
export { eventually } from './eventually.js';

export interface TestStack {
  stack: Stack;
  /** the local stand-in for the state registries (synthetic citizens) */
  registry: RegistryStandin;
  db: TestDatabase;
  logs: LogCapture;
  clock: EngineClock;
  /** fetch against the API: path like "/api/v1/..." */
  api(
    path: string,
    init?: {
      method?: string;
      body?: unknown;
      headers?: Record<string, string>;
      /** send no credentials at all */
      anonymous?: boolean;
    },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The whole app (workers, API, outbox) on a fresh database, against the run's broker. */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const logs = new LogCapture();
  const registry = await startRegistryStandin();
  // The registry workers read it from the environment (their clients are made on first use).
  process.env.REGISTRY_URL = registry.url;
  const cfg = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    ZEEBE_ADDRESS: process.env.TEST_ZEEBE_ADDRESS,
    CAMUNDA_REST_ADDRESS: process.env.TEST_CAMUNDA_REST_ADDRESS,
    PORT: '0',
    LOG_LEVEL: 'info',
    WORKER_RETRY_BACKOFF_MS: '200',
    ...env,
  });
  let stack: Stack;
  try {
    stack = await startStack(cfg, createLogger('info', logs));
  } catch (err) {
    await registry.stop();
    await db.drop();
    throw err;
  }
  await seedTestPrincipals(stack.db.pool);
  return {
    stack,
    registry,
    db,
    logs,
    clock: new EngineClock(stack.restAddress),
    async api(path, init = {}) {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        // Unless a test names its caller: the portal on the applications API (its only caller),
        // elsewhere a clerk of every test body. Who may do what is specified separately, route
        // by route, in authorization.test.ts.
        // A test that sends its own authorization or cookie gets exactly that; `anonymous`
        // sends none.
        headers: Object.fromEntries(
          Object.entries({
            'content-type': 'application/json',
            ...(init.anonymous || init.headers?.authorization || init.headers?.cookie
              ? {}
              : path.startsWith('/api/v1/applications')
                ? PORTAL
                : as('registrar-all')),
            ...init.headers,
          }).filter(([, v]) => v !== ''),
        ),
        body:
          init.body === undefined
            ? undefined
            : typeof init.body === 'string'
              ? init.body
              : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await stack.stop();
      await registry.stop();
      await db.drop();
    },
  };
}
