import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Pool } from '../db/pool.js';
import type { EngineTasks } from '../engine/tasks.js';
import { calendarRouter } from './calendar.js';
import { healthRouter, type OutsideSystemProbe } from './health.js';
import { openApiDocument } from './openapi.js';
import { requestShape } from './validate.js';
import { portalRouter } from './portal.js';
import { apartmentsRouter } from './apartments.js';
import { reviewerRouter } from './reviewer.js';
import { waitlistCasesRouter } from './waitlist-cases.js';
import { waitlistRouter } from './waitlist.js';
import { transferRouter } from './transfer.js';
import { registryEventsRouter } from './registry-events.js';
import { reverificationRouter } from './reverification.js';
import { HttpProblem, problemHandler } from './problem.js';
import { authenticate } from '../auth/authenticate.js';
import type { OidcVerifier } from '../auth/oidc.js';
import { sessionRouter } from './session.js';
import { accountsRouter } from './accounts.js';
import { webRouter } from './web.js';
import { noticeDeliveriesRouter } from './notice-deliveries.js';
import { operatorDashboardRouter } from './operator-dashboard.js';
import { operatorRouter } from './operator.js';
import type { EngineHistory } from '../engine/history.js';
import { analystRouter, type ModelEngine } from './analyst.js';
import {
  rateLimit,
  SignInLimiter,
  TokenBuckets,
  type Clock,
  type SignInLimits,
} from './rate-limit.js';
import { corsPolicy, securityHeaders } from './security-headers.js';

/** Transport security and limits (README, Configuration); defaults when absent. */
export interface HttpPolicy {
  /** express `trust proxy` (TRUST_PROXY) */
  trustProxy: string;
  /** HSTS max-age on TLS requests (HSTS_MAX_AGE); 0: none */
  hstsMaxAgeS: number;
  /** CORS_ORIGINS; empty: no CORS */
  corsOrigins: string[];
  /** requests a minute per client on the portal and registry-event routes */
  publicPerMinute: number;
  signIn?: SignInLimits;
  /** tests move time instead of waiting */
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  trustProxy: 'loopback',
  hstsMaxAgeS: 31_536_000,
  corsOrigins: [],
  publicPerMinute: 6_000,
};

/** TRUST_PROXY as express takes it: a hop count, true/false, or addresses. */
function trustProxyValue(v: string): unknown {
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v.split(',').map((x) => x.trim());
}

export interface ApiDeps {
  pool: Pool;
  log: Logger;
  engineReady(): Promise<boolean>;
  /** Outside systems /readyz reports on (registries, SMS gateway, SMTP). */
  outsideSystems?: OutsideSystemProbe[];
  /** Called after a commit that queued engine messages, to publish them at once. */
  onEngineMessagesQueued(): void;
  auth: { sessionHours: number; oidc?: OidcVerifier };
  /** The engine's history and incident commands for the operator console (absent: 503). */
  history?: EngineHistory;
  /** Reviewer task commands (claim / release / reassign) through the engine (absent: they answer 503). */
  tasks?: EngineTasks;
  /** The engine the analyst view deploys uploaded models to (absent: uploads answer 503). */
  modelEngine?: ModelEngine;
  http?: Partial<HttpPolicy>;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  const http = { ...DEFAULT_HTTP_POLICY, ...deps.http };
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyValue(http.trustProxy));
  app.use(securityHeaders({ hstsMaxAgeS: http.hstsMaxAgeS }));
  app.use(corsPolicy(http.corsOrigins));
  // Per client on the public routes (issue 14 §10); one set of buckets for both groups.
  const publicBuckets = new TokenBuckets(http.publicPerMinute, http.publicPerMinute, http.clock);
  app.use(
    pinoHttp({
      logger: deps.log,
      // Log the path only: query strings and bodies may carry personal data.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(express.json({ limit: '1mb' }));

  const openapi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // unknown query parameters, bodies of the wrong type or where none is taken: refused here
  app.use(requestShape(openapi));
  app.use(
    healthRouter({
      pool: deps.pool,
      engineReady: deps.engineReady,
      outside: deps.outsideSystems,
    }),
  );
  // Registry systems prove themselves with their own token (REGISTRY_EVENTS_TOKEN).
  app.use('/api/v1/registry-events', rateLimit(publicBuckets, 'registry-events'));
  app.use(
    registryEventsRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }),
  );
  // Everything below knows its caller (req.principal); each router states who may use it.
  app.use(authenticate({ pool: deps.pool, oidc: deps.auth.oidc }));
  app.use(
    sessionRouter({
      pool: deps.pool,
      sessionHours: deps.auth.sessionHours,
      limiter: new SignInLimiter(http.signIn, http.clock),
      sleep: http.sleep,
    }),
  );
  app.use('/api/v1/applications', rateLimit(publicBuckets, 'portal'));
  app.use(accountsRouter({ pool: deps.pool }));
  app.use(portalRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }));
  app.use(
    apartmentsRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }),
  );
  app.use(
    reviewerRouter({
      pool: deps.pool,
      onEngineMessagesQueued: deps.onEngineMessagesQueued,
      tasks: deps.tasks,
    }),
  );
  app.use(waitlistRouter({ pool: deps.pool }));
  app.use(
    waitlistCasesRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }),
  );
  app.use(transferRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }));
  app.use(reverificationRouter({ pool: deps.pool }));
  app.use(calendarRouter({ pool: deps.pool }));
  app.use(operatorDashboardRouter({ pool: deps.pool }));
  app.use(noticeDeliveriesRouter({ pool: deps.pool }));
  app.use(operatorRouter({ pool: deps.pool, history: deps.history }));
  app.use(analystRouter({ pool: deps.pool, log: deps.log, engine: deps.modelEngine }));
  app.use(webRouter());
  app.use((req, _res, next) =>
    next(new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`)),
  );
  app.use(problemHandler);
  return app;
}
