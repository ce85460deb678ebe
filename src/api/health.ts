import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../db/pool.js';
import { registry } from './openapi.js';
import { assertRequestShape } from './validate.js';

export interface ReadinessProbes {
  pool: Pool;
  /** true when the engine's REST API answers the service account */
  engineReady(): Promise<boolean>;
}

const Readiness = registry.register(
  'Readiness',
  z.object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.object({ database: z.enum(['up', 'down']), engine: z.enum(['up', 'down']) }),
  }),
);
registry.registerPath({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'alive' } },
});
registry.registerPath({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: database reachable and the process engine answering',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: Readiness } } },
    503: { description: 'not ready', content: { 'application/json': { schema: Readiness } } },
  },
});

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error('timeout')), ms))),
    ]);
  } finally {
    clearTimeout(t);
  }
}

export function healthRouter(probes: ReadinessProbes): Router {
  const r = Router();
  r.get('/healthz', (req, res) => {
    assertRequestShape(req);
    res.json({ status: 'alive' });
  });
  r.get('/readyz', async (req, res) => {
    assertRequestShape(req);
    const [db, engine] = await Promise.all([
      within(probes.pool.query('SELECT 1'), 2000).then(
        () => true,
        () => false,
      ),
      within(probes.engineReady(), 2000).catch(() => false),
    ]);
    const ready = db && engine;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      checks: { database: db ? 'up' : 'down', engine: engine ? 'up' : 'down' },
    });
  });
  return r;
}
