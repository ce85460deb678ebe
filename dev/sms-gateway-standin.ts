import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { bearerIs } from './standin-auth.js';

/**
 * LOCAL STAND-IN for an SMS gateway — for tests and local runs only, it sends nothing. It speaks
 * the contract SmsGatewayChannel expects: POST /messages {to, text} with an Idempotency-Key
 * header → 201 {id}; the same key again → 200 with the first id (the gateway deduplicates);
 * 400 without a key, 422 for a malformed number; GET /messages lists what it holds.
 * failNext(n) answers the next n POSTs with 503, to exercise retries.
 */
export interface StandinSms {
  id: string;
  to: string;
  text: string;
  idempotencyKey: string;
  receivedAt: string;
}

export interface SmsGatewayStandin {
  url: string;
  /** Messages accepted, one per idempotency key (live array). */
  messages: StandinSms[];
  /** Every POST seen, with the key and the status answered (live array). */
  requests: { idempotencyKey: string | undefined; status: number }[];
  failNext(n: number): void;
  stop(): Promise<void>;
}

const PHONE = /^\+?[0-9]{9,15}$/;

/**
 * `token`: the bearer token every request must carry (the stack generates one and gives it to
 * the SMS channel): nobody else on the machine can send through it or list what it holds.
 */
export async function startSmsGatewayStandin(
  port = 0,
  opts: { token?: string } = {},
): Promise<SmsGatewayStandin> {
  const messages: StandinSms[] = [];
  const requests: SmsGatewayStandin['requests'] = [];
  const byKey = new Map<string, StandinSms>();
  let failing = 0;

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    if (opts.token && !bearerIs(req.get('authorization'), opts.token)) {
      res.status(401).json({ error: 'a bearer token is required' });
      return;
    }
    next();
  });
  app.use(express.json({ limit: '64kb' }));

  app.post('/messages', (req, res) => {
    const key = req.get('idempotency-key') || undefined;
    const answer = (status: number, body: unknown) => {
      requests.push({ idempotencyKey: key, status });
      res.status(status).json(body);
    };
    if (failing > 0) {
      failing--;
      return answer(503, { error: 'gateway temporarily unavailable (stand-in)' });
    }
    if (!key) return answer(400, { error: 'Idempotency-Key header is required' });
    const seen = byKey.get(key);
    if (seen) return answer(200, { id: seen.id, duplicate: true });
    const { to, text } = (req.body ?? {}) as { to?: unknown; text?: unknown };
    if (typeof to !== 'string' || !PHONE.test(to)) {
      return answer(422, { error: 'to: not a phone number' });
    }
    if (typeof text !== 'string' || text === '' || text.length > 1000) {
      return answer(422, { error: 'text: 1 to 1000 characters' });
    }
    const sms: StandinSms = {
      id: `standin-${randomUUID()}`,
      to,
      text,
      idempotencyKey: key,
      receivedAt: new Date().toISOString(),
    };
    byKey.set(key, sms);
    messages.push(sms);
    return answer(201, { id: sms.id });
  });

  app.get('/messages', (_req, res) => {
    res.json(messages);
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    messages,
    requests,
    failNext(n: number) {
      failing = n;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
