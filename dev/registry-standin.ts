import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express, { type Request, type Response } from 'express';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { normalizeFin } from '../src/domain/fin.js';
import { createLogger } from '../src/logger.js';
import { syntheticDataset } from './synthetic-citizens.js';
import { bearerIs } from './standin-auth.js';
import {
  REGISTRY_ENDPOINTS,
  type MortgageRegistration,
  type RegistryCitizen,
  type RegistryEndpoint,
} from '../src/registry/types.js';

/**
 * LOCAL STAND-IN for the state registries — development and tests only, never production.
 * It serves the synthetic citizens (synthetic-citizens.ts: made-up names and FINs) over the
 * same HTTP contract HttpRegistryClient speaks, counts calls per endpoint and can simulate
 * outages (503) and malformed answers. Every answer carries `x-registry-standin: true`.
 */
export interface RegistryStandin {
  url: string;
  /** Requests received per endpoint (including the failed ones). */
  calls: Record<RegistryEndpoint, number>;
  /** The next n requests to the endpoint answer 503 (an outage). */
  failNext(endpoint: RegistryEndpoint, n?: number): void;
  /** The next n requests to the endpoint answer 200 with a body outside the contract. */
  malformNext(endpoint: RegistryEndpoint, n?: number): void;
  /** The next n requests to the endpoint wait this long before answering (timeouts). */
  delayNext(endpoint: RegistryEndpoint, ms: number, n?: number): void;
  /** Clears counters and pending faults (between tests). */
  reset(): void;
  stop(): Promise<void>;
}

export interface RegistryStandinOptions {
  host?: string;
  /** The registry's data; default: the synthetic citizens as of today in Baku. */
  citizens?: Map<string, RegistryCitizen>;
  /**
   * Bearer token every request must carry (the stack generates one and gives it to the app as
   * REGISTRY_TOKEN): nobody else on the machine can query the synthetic citizens. Unset: open.
   */
  token?: string;
}

const LOOKUPS: { endpoint: RegistryEndpoint; section: keyof RegistryCitizen }[] = [
  { endpoint: 'identity', section: 'identity' },
  { endpoint: 'civil-status', section: 'civilStatus' },
  { endpoint: 'service-records', section: 'serviceRecords' },
  { endpoint: 'degrees', section: 'degrees' },
  { endpoint: 'idp', section: 'idp' },
  { endpoint: 'martyr-family', section: 'martyrFamily' },
  { endpoint: 'hero-family', section: 'heroFamily' },
  { endpoint: 'sport', section: 'sport' },
  { endpoint: 'property', section: 'property' },
];

function zeroCounts(): Record<RegistryEndpoint, number> {
  return Object.fromEntries(REGISTRY_ENDPOINTS.map((e) => [e, 0])) as Record<
    RegistryEndpoint,
    number
  >;
}

export async function startRegistryStandin(
  port = 0,
  opts: RegistryStandinOptions = {},
): Promise<RegistryStandin> {
  const citizens = opts.citizens ?? syntheticDataset(civilDateInBaku(new Date())).citizens;
  const calls = zeroCounts();
  const failures = zeroCounts();
  const malformed = zeroCounts();
  const delays = new Map<RegistryEndpoint, { ms: number; n: number }>();
  // Mortgage e-system (003 §5.5-1): one registration per application, one per person.
  const byApplication = new Map<string, MortgageRegistration>();
  const byFin = new Map<string, string>();

  /** Counts the call and applies a pending fault; true when the fault already answered. */
  const fault = async (endpoint: RegistryEndpoint, res: Response): Promise<boolean> => {
    calls[endpoint] += 1;
    const delay = delays.get(endpoint);
    if (delay && delay.n > 0) {
      delay.n -= 1;
      await new Promise((r) => setTimeout(r, delay.ms));
    }
    if (failures[endpoint] > 0) {
      failures[endpoint] -= 1;
      res.status(503).json({ error: 'registry unavailable (simulated outage)' });
      return true;
    }
    if (malformed[endpoint] > 0) {
      malformed[endpoint] -= 1;
      res.status(200).json({ unexpected: true });
      return true;
    }
    return false;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.setHeader('x-registry-standin', 'true');
    if (opts.token && !bearerIs(req.get('authorization'), opts.token)) {
      res.status(401).json({ error: 'a bearer token is required' });
      return;
    }
    next();
  });
  app.use(express.json({ limit: '64kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'up', standin: true });
  });

  for (const { endpoint, section } of LOOKUPS) {
    app.get(`/${endpoint}/:fin`, async (req: Request<{ fin: string }>, res) => {
      if (await fault(endpoint, res)) return;
      const citizen = citizens.get(normalizeFin(req.params.fin));
      if (!citizen) {
        res.status(404).json({ error: 'not found' });
        return;
      }
      res.json(citizen[section]);
    });
  }

  // Waitlist re-verification (004 §18): residence, mortgage fund, land. A citizen without the
  // section answers an empty record (no permanent residence known, no loans, no plots).
  const WAITLIST_LOOKUPS: {
    endpoint: RegistryEndpoint;
    answer: (fin: string, c: RegistryCitizen) => object;
  }[] = [
    {
      endpoint: 'residence',
      answer: (fin, c) => c.residence ?? { fin, permanent: null, temporary: null },
    },
    { endpoint: 'mortgage-fund', answer: (fin, c) => c.mortgageFund ?? { fin, loans: [] } },
    { endpoint: 'land', answer: (fin, c) => c.land ?? { fin, plots: [] } },
  ];
  for (const { endpoint, answer } of WAITLIST_LOOKUPS) {
    app.get(`/${endpoint}/:fin`, async (req: Request<{ fin: string }>, res) => {
      if (await fault(endpoint, res)) return;
      const fin = normalizeFin(req.params.fin);
      const citizen = citizens.get(fin);
      if (!citizen) {
        res.status(404).json({ error: 'not found' });
        return;
      }
      res.json(answer(fin, citizen));
    });
  }

  app.post('/mortgage-system/registrations', async (req, res) => {
    if (await fault('mortgage-system', res)) return;
    const body = req.body as { applicationId?: unknown; fin?: unknown } | undefined;
    if (typeof body?.applicationId !== 'string' || typeof body.fin !== 'string') {
      res.status(400).json({ error: 'applicationId and fin are required' });
      return;
    }
    const fin = normalizeFin(body.fin);
    const existing = byApplication.get(body.applicationId);
    if (existing) {
      res.status(200).json({ ...existing, created: false });
      return;
    }
    // "if the person is not registered there, they are registered automatically" (003 §5.5-1)
    const known = byFin.get(fin);
    const registration: MortgageRegistration = {
      registrationId: known ?? `STANDIN-MRT-${byFin.size + 1}`,
      applicationId: body.applicationId,
      created: !known,
    };
    byApplication.set(body.applicationId, registration);
    byFin.set(fin, registration.registrationId);
    res.status(registration.created ? 201 : 200).json(registration);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'no such endpoint' });
  });

  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${bound}`,
    calls,
    failNext(endpoint, n = 1) {
      failures[endpoint] += n;
    },
    malformNext(endpoint, n = 1) {
      malformed[endpoint] += n;
    },
    delayNext(endpoint, ms, n = 1) {
      delays.set(endpoint, { ms, n });
    },
    reset() {
      for (const e of REGISTRY_ENDPOINTS) {
        calls[e] = 0;
        failures[e] = 0;
        malformed[e] = 0;
      }
      delays.clear();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// `node dist/src/registry/standin-server.js` runs the stand-in alone (development).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = createLogger();
  const port = Number(process.env.REGISTRY_STANDIN_PORT ?? 4010);
  // in a container it must listen beyond loopback
  startRegistryStandin(port, { host: process.env.REGISTRY_STANDIN_HOST }).then(
    (standin) => {
      log.info({ url: standin.url }, 'registry STAND-IN (synthetic citizens) listening');
      const stop = () => void standin.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      log.fatal({ err: (err as Error).message }, 'registry stand-in did not start');
      process.exitCode = 1;
    },
  );
}
