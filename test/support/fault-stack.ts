import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SmsGatewayStandin } from '../../dev/sms-gateway-standin.js';
import { startSmsGatewayStandin } from '../../dev/sms-gateway-standin.js';
import { startRegistryStandin, type RegistryStandin } from '../../dev/registry-standin.js';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { startStack, type Stack } from '../../src/stack.js';
import { seedTestPrincipals } from './auth.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { Load, startSmtpStandin, type SmtpStandin } from './load.js';
import { startTestEngine, type TestEngine } from './test-engine.js';

/**
 * The fixture of the fault tests: a fresh database, engines started apart from the app (so a
 * test can SIGKILL and restart them on the same port and database), the app connected to the
 * first one (as to an external engine), and stand-ins for every outside system a test can take
 * down: registries, the SMS gateway, an SMTP server. Short retry timings, chosen by
 * configuration, keep a run of hundreds of cases fast.
 */
export interface FaultStack {
  db: TestDatabase;
  engines: TestEngine[];
  stack: Stack;
  logs: LogCapture;
  registry: RegistryStandin;
  sms: SmsGatewayStandin;
  smtp: SmtpStandin;
  /** A second app on the same database and another engine (the two-node test). */
  startApp(engine: TestEngine, env?: Record<string, string>): Promise<Stack>;
  load(n: number, finPrefix: string, stack?: Stack): Load;
  stop(): Promise<void>;
}

export const FAULT_ENV: Record<string, string> = {
  WORKER_LONG_POLL_MS: '1000',
  WORKER_RETRY_BACKOFF_MS: '200',
  WORKER_JOB_TIMEOUT_MS: '10000',
  NOTICE_DISPATCH_INTERVAL_MS: '300',
  NOTICE_RETRY_BASE_MS: '300',
  NOTICE_MAX_ATTEMPTS: '30',
  SHUTDOWN_STEP_MS: '10000',
  OUTBOX_LEASE_MS: '20000',
  DATABASE_POOL_MAX: '10',
};

export async function startFaultStack(
  opts: {
    engines?: number;
    env?: Record<string, string>;
    /** A database of the test's own (e.g. a PostgreSQL server it restarts); default: a fresh one on the shared server. */
    database?: TestDatabase;
  } = {},
): Promise<FaultStack> {
  const db = opts.database ?? (await createTestDatabase('az_housing_faults'));
  // the app's tables first: the engine's task listener writes review_task
  const probe = createPool({ connectionString: db.url, max: 1 });
  await migrate(probe, createLogger('silent'));
  await probe.end();
  const engines: TestEngine[] = [];
  // a crashed engine's jobs come back after 10 s instead of Operaton's 5 min
  // engines on one database share the service account: each start resets its password
  const password = randomBytes(18).toString('base64url');
  for (let i = 0; i < (opts.engines ?? 1); i++)
    engines.push(await startTestEngine(db.url, { jobLockTimeMs: 10_000, password }));
  const registry = await startRegistryStandin();
  process.env.REGISTRY_URL = registry.url;
  const sms = await startSmsGatewayStandin();
  const smtp = await startSmtpStandin();
  const logs = new LogCapture();
  const stacks: Stack[] = [];
  const dataDir = path.join(projectRoot, 'var', 'test-runs', db.name);
  fs.mkdirSync(dataDir, { recursive: true });

  const startApp = async (engine: TestEngine, env: Record<string, string> = {}) => {
    const s = await startStack(
      loadConfig({
        ...process.env,
        ...FAULT_ENV,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        ENGINE_REST_URL: engine.url,
        ENGINE_USER: engine.user,
        ENGINE_PASSWORD: engine.password,
        PORT: '0',
        LOG_LEVEL: 'info',
        REGISTRY_URL: registry.url,
        SMS_GATEWAY_URL: sms.url,
        SMTP_URL: smtp.url,
        ...opts.env,
        ...env,
      }),
      createLogger('info', logs),
    );
    stacks.push(s);
    return s;
  };
  const stack = await startApp(engines[0]!);
  await seedTestPrincipals(stack.db.pool);
  return {
    db,
    engines,
    stack,
    logs,
    registry,
    sms,
    smtp,
    startApp,
    load: (n, finPrefix, s = stack) =>
      new Load(
        {
          apiUrl: s.apiUrl,
          engine: s.engine.rest,
          query: (sql, params) => s.db.pool.query(sql, params as unknown[]),
        },
        n,
        finPrefix,
      ),
    async stop() {
      for (const s of stacks.reverse()) await s.stop().catch(() => undefined);
      for (const e of engines) await e.stop().catch(() => undefined);
      await registry.stop();
      await sms.stop();
      await smtp.close();
      await db.drop();
    },
  };
}
