import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Pool } from '../db/pool.js';
import type { EngineTasks } from '../engine/tasks.js';
import { calendarRouter } from './calendar.js';
import { healthRouter, type OutsideSystemProbe } from './health.js';
import { openApiDocument } from './openapi.js';
import { portalRouter } from './portal.js';
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
import { operatorDashboardRouter } from './operator-dashboard.js';
import { operatorRouter } from './operator.js';
import type { EngineHistory } from '../engine/history.js';
import { analystRouter, type ModelEngine } from './analyst.js';

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
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
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
  app.use(
    healthRouter({
      pool: deps.pool,
      engineReady: deps.engineReady,
      outside: deps.outsideSystems,
    }),
  );
  // Registry systems prove themselves with their own token (REGISTRY_EVENTS_TOKEN).
  app.use(
    registryEventsRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }),
  );
  // Everything below knows its caller (req.principal); each router states who may use it.
  app.use(authenticate({ pool: deps.pool, oidc: deps.auth.oidc }));
  app.use(sessionRouter({ pool: deps.pool, sessionHours: deps.auth.sessionHours }));
  app.use(accountsRouter({ pool: deps.pool }));
  app.use(portalRouter({ pool: deps.pool, onEngineMessagesQueued: deps.onEngineMessagesQueued }));
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
  app.use(operatorRouter({ pool: deps.pool, history: deps.history }));
  app.use(analystRouter({ pool: deps.pool, log: deps.log, engine: deps.modelEngine }));
  app.use(webRouter());
  app.use((req, _res, next) =>
    next(new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`)),
  );
  app.use(problemHandler);
  return app;
}
