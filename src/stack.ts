import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Camunda8 } from '@camunda8/sdk';
import type { Logger } from 'pino';
import { createApp } from './api/app.js';
import type { AppConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { closeCamunda, createCamunda } from './engine/client.js';
import {
  deployModels,
  filesNotSupersededByUploads,
  type DeployedProcess,
} from './engine/deployment.js';
import { ensureHistoryExporter } from './engine/zeebe-removed.js';
import { ENGINE_HISTORY_PATH } from './api/engine-history.js';
import { checkAllModels } from './engine/model-lint.js';
import { OutboxDispatcher } from './engine/outbox.js';
import { TaskInbox } from './engine/task-inbox.js';
import {
  fetchTopology,
  startBroker,
  topologyReady,
  type RunningBroker,
} from './engine/zeebe-removed.js';
import { loadWorkers, startWorkers, type WorkerHost } from './engine/worker-host.js';
import { createNoticeChannels } from './notify/channels.js';
import { NoticeDispatcher } from './notify/outbox.js';
import { startSmsGatewayStandin } from './notify/sms-gateway-standin.js';
import { startRegistryStandin } from './registry/standin-server.js';
import { workflowsDir } from './paths.js';
import { bootstrapAccess } from './auth/bootstrap.js';
import { oidcVerifier } from './auth/oidc.js';

export interface StackOptions {
  /** Tests only: start the broker with a controllable clock. */
  controlledClock?: boolean;
  workersDir?: string;
}

export interface Stack {
  apiUrl: string;
  grpcAddress: string;
  restAddress: string;
  engineVersion: string;
  db: Database;
  camunda: Camunda8;
  deployed: DeployedProcess[];
  broker?: RunningBroker;
  /** Bearer token the history intake accepts (the one given to the broker's exporter). */
  historyToken?: string;
  outbox: OutboxDispatcher;
  inbox: TaskInbox;
  notices: NoticeDispatcher;
  workers: WorkerHost;
  stop(): Promise<void>;
}

/**
 * Starts everything in order — engine (unless external), database and migrations, model check
 * and deployment, workers, API — and stops it in reverse, draining work in hand first.
 */
export async function startStack(
  cfg: AppConfig,
  log: Logger,
  opts: StackOptions = {},
): Promise<Stack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'error while stopping');
      }
    }
    cleanups.length = 0;
  };

  let dbStarting: Promise<Database> | undefined;
  try {
    // The database starts (and migrates) while the broker boots: neither needs the other.
    dbStarting = openDatabase(cfg, log);
    dbStarting.then((d) => cleanups.unshift(() => d.close())).catch(() => undefined);
    let grpcAddress: string;
    let restAddress: string;
    let engineVersion: string;
    let broker: RunningBroker | undefined;
    let historyToken = cfg.ENGINE_HISTORY_TOKEN;
    if (cfg.ZEEBE_ADDRESS) {
      if (!cfg.CAMUNDA_REST_ADDRESS)
        throw new Error('ZEEBE_ADDRESS is set: set CAMUNDA_REST_ADDRESS too');
      grpcAddress = cfg.ZEEBE_ADDRESS.replace(/^grpcs?:\/\//, '');
      restAddress = cfg.CAMUNDA_REST_ADDRESS.replace(/\/$/, '');
      const topology = (await fetchTopology(restAddress, 10_000)) as { gatewayVersion?: string };
      engineVersion = topology.gatewayVersion ?? cfg.CAMUNDA_VERSION;
      log.info({ grpcAddress, restAddress, engineVersion }, 'using the existing Camunda cluster');
    } else {
      // Check the models before the slow part, so a broken model fails the start at once.
      await checkAllModels(workflowsDir, cfg.CAMUNDA_VERSION);
      // The broker's history exporter posts to this app's intake (operator console); the
      // address must be known before the app listens, so not with PORT=0.
      let historyExporter: { jarPath: string; url: string; token: string } | undefined;
      if (cfg.PORT === 0) {
        log.warn('PORT=0: the broker starts without the history exporter');
      } else {
        historyToken ??= randomBytes(24).toString('base64url');
        const host = cfg.HOST === '0.0.0.0' || cfg.HOST === '::' ? '127.0.0.1' : cfg.HOST;
        historyExporter = {
          jarPath: (await ensureHistoryExporter(cfg.HISTORY_EXPORTER_CACHE_DIR, log)).jarPath,
          url: `http://${host.includes(':') ? `[${host}]` : host}:${cfg.PORT}${ENGINE_HISTORY_PATH}`,
          token: historyToken,
        };
      }
      broker = await startBroker(
        {
          version: cfg.CAMUNDA_VERSION,
          cacheDir: cfg.CAMUNDA_CACHE_DIR,
          dataDir: path.join(cfg.DATA_DIR, 'zeebe'),
          logFile: path.join(cfg.DATA_DIR, 'logs', 'zeebe.log'),
          grpcPort: cfg.ZEEBE_GRPC_PORT,
          restPort: cfg.ZEEBE_REST_PORT,
          managementPort: cfg.ZEEBE_MANAGEMENT_PORT,
          heap: cfg.ZEEBE_HEAP,
          controlledClock: opts.controlledClock,
          historyExporter,
        },
        log,
      );
      cleanups.push(() => broker!.stop());
      grpcAddress = broker.grpcAddress;
      restAddress = broker.restAddress;
      engineVersion = broker.version;
    }

    const db = await dbStarting;

    // Systems outside our control: without their addresses, the local stand-ins serve
    // synthetic data, so `npm start` works on a bare machine. Never in production.
    if (!cfg.REGISTRY_URL && process.env.NODE_ENV === 'production') {
      throw new Error(
        'REGISTRY_URL must be set in production: the local registry stand-in serves synthetic data only',
      );
    }
    if (!cfg.REGISTRY_URL) {
      const standin = await startRegistryStandin();
      process.env.REGISTRY_URL = standin.url; // the registry workers read it on first use
      cleanups.push(() => standin.stop());
      log.warn(
        { url: standin.url },
        'REGISTRY_URL not set: using the local registry STAND-IN (synthetic citizens)',
      );
    }
    let smsGatewayUrl = cfg.SMS_GATEWAY_URL;
    // In production an unset gateway means SMS notices wait in the outbox until it is set.
    if (!smsGatewayUrl && process.env.NODE_ENV !== 'production') {
      const sms = await startSmsGatewayStandin();
      smsGatewayUrl = sms.url;
      cleanups.push(() => sms.stop());
      log.warn({ url: sms.url }, 'SMS_GATEWAY_URL not set: using the local SMS gateway STAND-IN');
    }

    const notices = new NoticeDispatcher(
      db.pool,
      createNoticeChannels({ ...cfg, SMS_GATEWAY_URL: smsGatewayUrl }),
      log,
      {
        maxAttempts: cfg.NOTICE_MAX_ATTEMPTS,
        retryBaseMs: cfg.NOTICE_RETRY_BASE_MS,
        intervalMs: cfg.NOTICE_DISPATCH_INTERVAL_MS,
      },
    );
    notices.start();
    cleanups.push(() => notices.stop());

    const camunda = createCamunda({ grpcAddress, restAddress });
    const zeebe = camunda.getZeebeGrpcApiClient();
    cleanups.push(() => closeCamunda(camunda));

    const models = await checkAllModels(workflowsDir, engineVersion);
    const deployed = await deployModels(
      zeebe,
      db.pool,
      await filesNotSupersededByUploads(db.pool, models, log),
      log,
    );

    const workerDefs = await loadWorkers(opts.workersDir);
    const workers = await startWorkers(
      zeebe,
      workerDefs,
      { pool: db.pool, log, now: () => new Date() },
      {
        jobTimeoutMs: cfg.WORKER_JOB_TIMEOUT_MS,
        retryBackoffBaseMs: cfg.WORKER_RETRY_BACKOFF_MS,
        pollIntervalMs: cfg.WORKER_POLL_MS,
      },
    );
    cleanups.push(() => workers.stop());

    const inbox = new TaskInbox(zeebe, db.pool, log, cfg.USER_TASK_LEASE_MS, cfg.INBOX_POLL_MS);
    await inbox.start();
    cleanups.push(async () => inbox.stop());

    const outbox = new OutboxDispatcher(db.pool, zeebe, log);
    outbox.start();
    cleanups.push(() => outbox.stop());

    await bootstrapAccess(db.pool, log, {
      dataDir: cfg.DATA_DIR,
      adminPassword: cfg.ADMIN_PASSWORD,
      portalClientToken: cfg.PORTAL_CLIENT_TOKEN,
    });
    if (cfg.OIDC_ISSUER && !cfg.OIDC_AUDIENCE)
      throw new Error('OIDC_ISSUER is set: set OIDC_AUDIENCE too');
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
      brokerReady: async () => topologyReady((await fetchTopology(restAddress)) as never),
      onEngineMessagesQueued: () => outbox.kick(),
      engine: {
        updateJobRetries: (jobKey, retries) => zeebe.updateJobRetries({ jobKey, retries }),
        resolveIncident: (incidentKey) => zeebe.resolveIncident({ incidentKey }),
      },
      historyToken,
      modelEngine: { zeebe, engineVersion },
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
    const apiUrl = `http://${cfg.HOST}:${port}`;

    return {
      apiUrl,
      grpcAddress,
      restAddress,
      engineVersion,
      db,
      camunda,
      deployed,
      broker,
      historyToken,
      outbox,
      inbox,
      notices,
      workers,
      stop: stopAll,
    };
  } catch (err) {
    await dbStarting?.catch(() => undefined); // so its close is registered before we stop
    await stopAll();
    throw err;
  }
}
