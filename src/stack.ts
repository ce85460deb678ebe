import type { Server } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { createApp } from './api/app.js';
import { newToken } from './auth/accounts.js';
import { httpReachable, tcpReachable, type OutsideSystemProbe } from './api/health.js';
import { bootstrapAccess } from './auth/bootstrap.js';
import { oidcVerifier } from './auth/oidc.js';
import type { AppConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import {
  checkAllModels,
  createEngineHistory,
  createEngineRest,
  createEngineTasks,
  deployModels,
  engineVersion,
  engineWebUrl,
  ensureEngineBuild,
  filesNotSupersededByUploads,
  jdbcFromDatabaseUrl,
  loadWorkers,
  localEnginePassword,
  OutboxDispatcher,
  startEngine,
  startWorkers,
  type DeployedProcess,
  type EngineRest,
  type RunningEngine,
  type WorkerHost,
} from './engine/index.js';
import { createNoticeChannels } from './notify/channels.js';
import { NoticeDispatcher } from './notify/outbox.js';
import { workflowsDir } from './paths.js';

export interface StackOptions {
  workersDir?: string;
  /**
   * The most one step of stop() may take (default SHUTDOWN_STEP_MS): a step that hangs
   * because what it talks to is down (a crashed engine, a stopped database) is left behind so
   * that the steps after it still run and the whole stop stays bounded.
   */
  stopStepMs?: number;
}

/** The engine the app works with: started here, or an existing one (ENGINE_REST_URL). */
export interface EngineConnection {
  /** …/engine-rest */
  url: string;
  /** The engine's web address (Cockpit, Tasklist, Admin). */
  webUrl: string;
  user: string;
  password: string;
  version: string;
  rest: EngineRest;
  /** The local engine process, when this stack started it. */
  process?: RunningEngine;
}

export interface Stack {
  apiUrl: string;
  db: Database;
  engine: EngineConnection;
  deployed: DeployedProcess[];
  outbox: OutboxDispatcher;
  notices: NoticeDispatcher;
  workers: WorkerHost;
  stop(): Promise<void>;
}

/** Things to undo on stop, in reverse order of starting. */
type Cleanups = (() => Promise<void>)[];

/** Resolves with the step's own outcome, or rejects after ms (the step is left running). */
async function bounded(step: () => Promise<void>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      step(),
      new Promise<never>((_, rej) => {
        t = setTimeout(() => rej(new Error(`did not finish within ${ms} ms`)), ms);
        t.unref();
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}

/**
 * Starts everything in order — database and migrations, model check, engine (unless external),
 * model deployment, stand-ins (development only), notices, workers, engine outbox, API — and
 * stops it in reverse, draining work in hand first. Each step is one function below.
 */
export async function startStack(
  cfg: AppConfig,
  log: Logger,
  opts: StackOptions = {},
): Promise<Stack> {
  const cleanups: Cleanups = [];
  const stepMs = opts.stopStepMs ?? cfg.SHUTDOWN_STEP_MS;
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await bounded(c, stepMs);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'error while stopping');
      }
    }
  };
  try {
    const db = await openDatabase(cfg, log);
    cleanups.push(() => db.close());
    // A broken model fails the start at once, before the slow part.
    const models = await checkAllModels(workflowsDir);
    const engine = await connectEngine(cfg, db, log, cleanups);
    const deployed = await deployModels(
      { rest: engine.rest, pool: db.pool, log },
      await filesNotSupersededByUploads(db.pool, models, log),
    );
    const sms = await startStandins(cfg, log, cleanups);
    const notices = startNotices(cfg, db, log, sms, cleanups);
    const workers = await startWorkerHost(cfg, db, engine, log, opts, cleanups);
    const outbox = new OutboxDispatcher(db.pool, engine.rest, log, {
      leaseMs: cfg.OUTBOX_LEASE_MS,
    });
    outbox.start();
    cleanups.push(() => outbox.stop());
    await bootstrapAccess(db.pool, log, {
      dataDir: cfg.DATA_DIR,
      adminPassword: cfg.ADMIN_PASSWORD,
      portalClientToken: cfg.PORTAL_CLIENT_TOKEN,
    });
    const apiUrl = await startApi(cfg, db, engine, outbox, log, cleanups, sms.url);
    return { apiUrl, db, engine, deployed, outbox, notices, workers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function connectEngine(
  cfg: AppConfig,
  db: Database,
  log: Logger,
  cleanups: Cleanups,
): Promise<EngineConnection> {
  const user = cfg.ENGINE_USER;
  let url: string;
  let password: string;
  let running: RunningEngine | undefined;
  if (cfg.ENGINE_REST_URL) {
    if (!cfg.ENGINE_PASSWORD) throw new Error('ENGINE_REST_URL is set: set ENGINE_PASSWORD too');
    url = cfg.ENGINE_REST_URL.replace(/\/+$/, '');
    password = cfg.ENGINE_PASSWORD;
  } else {
    password = localEnginePassword(cfg.DATA_DIR, cfg.ENGINE_PASSWORD);
    // The engine shares the app's database (its tables in schema `operaton`), so its task
    // listener can write the reviewers' inbox in the engine's own transaction.
    const jdbc = db.server
      ? { jdbcUrl: db.server.jdbcUrl, user: db.server.user, password: db.server.password }
      : jdbcFromDatabaseUrl(cfg.DATABASE_URL!);
    await ensureEngineBuild(cfg.ENGINE_CACHE_DIR, log);
    running = await startEngine(
      {
        cacheDir: cfg.ENGINE_CACHE_DIR,
        dataDir: path.join(cfg.DATA_DIR, 'engine'),
        logFile: path.join(cfg.DATA_DIR, 'logs', 'engine.log'),
        jdbcUrl: jdbc.jdbcUrl,
        jdbcUser: jdbc.user,
        jdbcPassword: jdbc.password,
        port: cfg.ENGINE_PORT,
        bind: cfg.ENGINE_BIND,
        user,
        password,
        heap: cfg.ENGINE_HEAP,
        jobLockTimeMs: cfg.ENGINE_JOB_LOCK_MS,
      },
      log,
    );
    cleanups.push(() => running!.stop());
    url = running.url;
  }
  const rest = createEngineRest({ url, user, password });
  const version = await engineVersion(rest);
  log.info({ url, version, local: !!running }, 'engine connected');
  return {
    url,
    webUrl: cfg.ENGINE_WEB_URL ?? engineWebUrl(url),
    user,
    password,
    version,
    rest,
    process: running,
  };
}

/**
 * Systems outside our control: without their addresses, local stand-ins (dev/) serve synthetic
 * data so that `npm start` works on a bare machine. Never in production. Each stand-in asks
 * for a bearer token generated at this start. Returns the SMS gateway's address and token
 * (unset in production: SMS notices wait in the outbox until it is set).
 */
async function startStandins(cfg: AppConfig, log: Logger, cleanups: Cleanups): Promise<SmsGateway> {
  const production = process.env.NODE_ENV === 'production';
  if (!cfg.REGISTRY_URL && production) {
    throw new Error(
      'REGISTRY_URL must be set in production: the local registry stand-in serves synthetic data only',
    );
  }
  if (!cfg.REGISTRY_URL) {
    const { startRegistryStandin } = await import('../dev/registry-standin.js');
    // A token of this run: nobody else on the machine can query the stand-in (issue 14 §9).
    const token = newToken();
    const standin = await startRegistryStandin(0, { token });
    process.env.REGISTRY_URL = standin.url; // the registry workers read it on first use
    process.env.REGISTRY_TOKEN = token;
    cleanups.push(() => standin.stop());
    log.warn(
      { url: standin.url },
      'REGISTRY_URL not set: using the local registry STAND-IN (synthetic citizens)',
    );
  }
  if (cfg.SMS_GATEWAY_URL || production)
    return { url: cfg.SMS_GATEWAY_URL, token: cfg.SMS_GATEWAY_TOKEN };
  const { startSmsGatewayStandin } = await import('../dev/sms-gateway-standin.js');
  const token = newToken();
  const sms = await startSmsGatewayStandin(0, { token });
  cleanups.push(() => sms.stop());
  log.warn({ url: sms.url }, 'SMS_GATEWAY_URL not set: using the local SMS gateway STAND-IN');
  return { url: sms.url, token };
}

/** The SMS gateway the notices use: configured, the stand-in, or none (SMS notices wait). */
interface SmsGateway {
  url: string | undefined;
  token: string | undefined;
}

function startNotices(
  cfg: AppConfig,
  db: Database,
  log: Logger,
  sms: SmsGateway,
  cleanups: Cleanups,
): NoticeDispatcher {
  const notices = new NoticeDispatcher(
    db.pool,
    createNoticeChannels({ ...cfg, SMS_GATEWAY_URL: sms.url, SMS_GATEWAY_TOKEN: sms.token }),
    log,
    {
      maxAttempts: cfg.NOTICE_MAX_ATTEMPTS,
      retryBaseMs: cfg.NOTICE_RETRY_BASE_MS,
      intervalMs: cfg.NOTICE_DISPATCH_INTERVAL_MS,
      leaseMs: cfg.OUTBOX_LEASE_MS,
    },
  );
  notices.start();
  cleanups.push(() => notices.stop());
  return notices;
}

async function startWorkerHost(
  cfg: AppConfig,
  db: Database,
  engine: EngineConnection,
  log: Logger,
  opts: StackOptions,
  cleanups: Cleanups,
): Promise<WorkerHost> {
  const workers = startWorkers(
    engine.rest,
    await loadWorkers(opts.workersDir),
    { pool: db.pool, log, now: () => new Date() },
    {
      lockDurationMs: cfg.WORKER_JOB_TIMEOUT_MS,
      retryBackoffBaseMs: cfg.WORKER_RETRY_BACKOFF_MS,
      asyncResponseTimeoutMs: cfg.WORKER_LONG_POLL_MS,
      maxTasks: cfg.WORKER_MAX_TASKS,
      pollIntervalMs: cfg.WORKER_POLL_INTERVAL_MS,
    },
  );
  cleanups.push(() => workers.stop());
  return workers;
}

async function startApi(
  cfg: AppConfig,
  db: Database,
  engine: EngineConnection,
  outbox: OutboxDispatcher,
  log: Logger,
  cleanups: Cleanups,
  smsGatewayUrl: string | undefined,
): Promise<string> {
  if (cfg.OIDC_ISSUER && !cfg.OIDC_AUDIENCE)
    throw new Error('OIDC_ISSUER is set: set OIDC_AUDIENCE too');
  const history = createEngineHistory(engine.rest, { webUrl: engine.webUrl });
  const app = createApp({
    pool: db.pool,
    log,
    auth: {
      sessionHours: cfg.SESSION_HOURS,
      oidc: cfg.OIDC_ISSUER
        ? oidcVerifier({
            issuer: cfg.OIDC_ISSUER,
            audience: cfg.OIDC_AUDIENCE!,
            jwksUrl: cfg.OIDC_JWKS_URL,
            rolesClaim: cfg.OIDC_ROLES_CLAIM,
            bodiesClaim: cfg.OIDC_BODIES_CLAIM,
          })
        : undefined,
    },
    engineReady: async () => (await engineVersion(engine.rest)) !== '',
    outsideSystems: outsideSystems(cfg, smsGatewayUrl),
    onEngineMessagesQueued: () => outbox.kick(),
    tasks: createEngineTasks(engine.rest),
    history,
    modelEngine: { rest: engine.rest, history, engineVersion: engine.version },
    http: {
      trustProxy: cfg.TRUST_PROXY,
      hstsMaxAgeS: cfg.HSTS_MAX_AGE,
      corsOrigins: cfg.CORS_ORIGINS,
      publicPerMinute: cfg.RATE_LIMIT_PUBLIC_PER_MINUTE,
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(cfg.PORT, cfg.HOST, () => resolve(s));
    s.once('error', reject);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.PORT;
  return `http://${cfg.HOST}:${port}`;
}

/**
 * The outside systems /readyz names when they are down (stand-ins included). The registry
 * address is read at call time: the stand-in sets it when it starts.
 */
function outsideSystems(cfg: AppConfig, smsGatewayUrl: string | undefined): OutsideSystemProbe[] {
  const registryUrl = cfg.REGISTRY_URL ?? process.env.REGISTRY_URL;
  return [
    {
      name: 'registry',
      probe: registryUrl ? httpReachable(`${registryUrl.replace(/\/+$/, '')}/healthz`) : undefined,
    },
    { name: 'smsGateway', probe: smsGatewayUrl ? httpReachable(smsGatewayUrl) : undefined },
    {
      name: 'smtp',
      probe: cfg.SMTP_URL
        ? tcpReachable(cfg.SMTP_URL, cfg.SMTP_URL.startsWith('smtps:') ? 465 : 25)
        : undefined,
    },
  ];
}
