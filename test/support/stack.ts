import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { EngineRest } from '../../src/engine/rest.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { startStack, type Stack } from '../../src/stack.js';
import { startRegistryStandin, type RegistryStandin } from '../../dev/registry-standin.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { as, PORTAL, seedTestPrincipals } from './auth.js';

export { LogCapture };
export { eventually } from './eventually.js';

export interface TestStack {
  stack: Stack;
  /** the local stand-in for the state registries (synthetic citizens) */
  registry: RegistryStandin;
  /** the bearer token the registry stand-in asks for */
  registryToken: string;
  db: TestDatabase;
  logs: LogCapture;
  /** The test file's own engine (typed REST client with the service account). */
  engine: EngineRest;
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

/**
 * The whole app (engine, workers, API, outbox) on a fresh database: each test file gets its own
 * engine on a free port, sharing the file's database as in production.
 */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const logs = new LogCapture();
  // Closed to anyone without the run's token, as the stack's own stand-in (issue 14 §9).
  const registryToken = randomBytes(24).toString('base64url');
  const registry = await startRegistryStandin(0, { token: registryToken });
  // The registry workers read it from the environment (their clients are made on first use).
  process.env.REGISTRY_URL = registry.url;
  process.env.REGISTRY_TOKEN = registryToken;
  // Kept after the run (engine log, logs/) for a failed test to be read; cleared at the next run.
  const dataDir = path.join(projectRoot, 'var', 'test-runs', db.name);
  fs.mkdirSync(dataDir, { recursive: true });
  const cfg = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    ENGINE_REST_URL: undefined,
    ENGINE_PORT: '0',
    PORT: '0',
    LOG_LEVEL: 'info',
    WORKER_RETRY_BACKOFF_MS: '200',
    WORKER_LONG_POLL_MS: '2000',
    // Tests send far more than a portal would in a minute; the limit itself is tested with its
    // own setting (http-security.test.ts).
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
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
    registryToken,
    db,
    logs,
    engine: stack.engine.rest,
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
