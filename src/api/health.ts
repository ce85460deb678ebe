import net from 'node:net';
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../db/pool.js';
import { jsonResponse, registry } from './openapi.js';
import { assertRequestShape } from './validate.js';

/** A system outside the app whose outage /readyz reports (registries, SMS gateway, SMTP). */
export interface OutsideSystemProbe {
  /** The key in `checks`, e.g. `registry`, `smsGateway`, `smtp`. */
  name: string;
  /** Absent: the system is not configured (its work waits, e.g. notices in the outbox). */
  probe?: () => Promise<boolean>;
}

export interface ReadinessProbes {
  pool: Pool;
  /** true when the engine's REST API answers the service account */
  engineReady(): Promise<boolean>;
  /** Outside systems and stand-ins; each one down makes the app not ready. */
  outside?: OutsideSystemProbe[];
}

const CheckState = z.enum(['up', 'down', 'not-configured']);
const Readiness = registry.register(
  'Readiness',
  z.object({
    status: z.enum(['ready', 'not-ready']),
    checks: z
      .object({ database: z.enum(['up', 'down']), engine: z.enum(['up', 'down']) })
      .catchall(CheckState)
      .describe('database, engine, and every outside system (registry, smsGateway, smtp)'),
  }),
);
registry.registerPath({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process answers',
  responses: { 200: jsonResponse('alive', z.object({ status: z.literal('alive') })) },
});
registry.registerPath({
  method: 'get',
  path: '/readyz',
  summary:
    'Readiness: database, process engine and the outside systems (registries, SMS gateway, SMTP) reachable; names the part that is down',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: Readiness } } },
    503: { description: 'not ready', content: { 'application/json': { schema: Readiness } } },
  },
});

const PROBE_TIMEOUT_MS = 2000;

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

/** Up when the address answers HTTP at all (any status): the service is there. */
export function httpReachable(url: string): () => Promise<boolean> {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel();
    return true;
  };
}

/** Up when a TCP connection to host:port opens (SMTP: no mail is sent to probe it). */
export function tcpReachable(url: string, defaultPort: number): () => Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || defaultPort);
  return () =>
    new Promise<boolean>((resolve, reject) => {
      const socket = net.connect({ host: u.hostname, port, timeout: PROBE_TIMEOUT_MS });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(new Error('timeout'));
      });
      socket.once('error', reject);
    });
}

export function healthRouter(probes: ReadinessProbes): Router {
  const r = Router();
  r.get('/healthz', (req, res) => {
    assertRequestShape(req);
    res.json({ status: 'alive' });
  });
  r.get('/readyz', async (req, res) => {
    assertRequestShape(req);
    const up = (p: Promise<unknown>) =>
      within(p, PROBE_TIMEOUT_MS).then(
        (v) => v !== false,
        () => false,
      );
    const outside = probes.outside ?? [];
    const [db, engine, ...others] = await Promise.all([
      up(probes.pool.query('SELECT 1')),
      up(probes.engineReady()),
      ...outside.map((o) => (o.probe ? up(o.probe()) : Promise.resolve(undefined))),
    ]);
    const checks: Record<string, 'up' | 'down' | 'not-configured'> = {
      database: db ? 'up' : 'down',
      engine: engine ? 'up' : 'down',
    };
    outside.forEach((o, i) => {
      const v = others[i];
      checks[o.name] = v === undefined ? 'not-configured' : v ? 'up' : 'down';
    });
    // Ready = the app can serve: database and engine. An outside system that is down is named
    // ('degraded') but does not take the API out of a load balancer: notices wait in the outbox
    // and checks retry, so requests still succeed.
    const ready = db && engine;
    const degraded = Object.values(checks).includes('down');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? (degraded ? 'degraded' : 'ready') : 'not-ready', checks });
  });
  return r;
}
