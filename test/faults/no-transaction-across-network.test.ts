import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '../../src/db/migrate.js';
import { createPool, inTransaction, type Pool } from '../../src/db/pool.js';
import { enqueueMessage, OutboxDispatcher } from '../../src/engine/messages.js';
import { createEngineRest } from '../../src/engine/rest.js';
import { createLogger } from '../../src/logger.js';
import { SmsGatewayChannel } from '../../src/notify/channels.js';
import { enqueueNotice, NoticeDispatcher } from '../../src/notify/outbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 14: "the outbox dispatcher held a transaction on the only connection while waiting for
 * the engine". A service that accepts the connection and never answers is the worst case: while
 * the app waits for it, none of its sessions may sit in a transaction and the row it works on
 * must not be locked.
 */
let db: TestDatabase;
let pool: Pool;
let hanging: http.Server;
let hangingUrl: string;
const requests: string[] = [];
const held: http.ServerResponse[] = [];
const APP = `az-housing-ntx-${process.pid}`;

beforeAll(async () => {
  db = await createTestDatabase('az_housing_ntx');
  pool = createPool({ connectionString: db.url, max: 4, applicationName: APP });
  await migrate(pool, createLogger('silent'));
  hanging = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    held.push(res); // never answered
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  hanging.closeAllConnections();
  await new Promise((r) => hanging.close(r));
  await pool.end();
  await db.drop();
});

/** The app's sessions that are inside a transaction right now. */
async function sessionsInTransaction(): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name = $1 AND state IN ('idle in transaction', 'idle in transaction (aborted)')`,
    [APP],
  );
  return rows[0].n;
}

/** true when the row can be locked at once (nobody holds it). */
async function rowFree(table: string, id: string): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '100ms'`);
    await tx.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE NOWAIT`, [id]);
    return true;
  }).catch(() => false);
}

describe('no database transaction across a network call', () => {
  it('given an SMS gateway that never answers, when a notice is sent, then no session waits in a transaction and the notice row is not locked', async () => {
    const caseId = randomUUID();
    await inTransaction(pool, (tx) =>
      enqueueNotice(tx, {
        idempotencyKey: `ntx-${caseId}`,
        caseType: 'application',
        caseId,
        recipient: { phone: '+994501112233', lang: 'az' },
        template: 'application-registered',
        params: { registrationNumber: 1, registeredAt: '2026-11-30', reviewDueDate: '2026-12-07' },
        channels: ['sms'],
      }),
    );
    const { rows } = await pool.query(
      `SELECT id::text AS id FROM notice_outbox WHERE case_id = $1`,
      [caseId],
    );
    const before = requests.length;
    const dispatcher = new NoticeDispatcher(
      pool,
      [new SmsGatewayChannel({ url: hangingUrl, timeoutMs: 60_000 })],
      createLogger('silent'),
    );
    const sending = dispatcher.dispatch();
    await eventually(async () => requests.length > before, 10_000);

    expect(await sessionsInTransaction()).toBe(0);
    expect(await rowFree('notice_outbox', rows[0].id)).toBe(true);
    // and it is still this dispatcher's: a second dispatcher does not take it meanwhile
    const second = new NoticeDispatcher(
      pool,
      [new SmsGatewayChannel({ url: hangingUrl })],
      createLogger('silent'),
    );
    expect(await second.dispatch()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    for (const res of held.splice(0)) res.destroy(); // the gateway drops the connection
    await sending;
  });

  it('given an engine that never answers, when the engine outbox delivers a message, then no session waits in a transaction and the outbox row is not locked', async () => {
    const key = randomUUID();
    await inTransaction(pool, (tx) =>
      enqueueMessage(tx, {
        name: 'application-submitted',
        correlationKey: key,
        messageId: `ntx-${key}`,
        variables: { applicationId: key },
      }),
    );
    const { rows } = await pool.query(
      `SELECT id::text AS id FROM engine_outbox WHERE message_id = $1`,
      [`ntx-${key}`],
    );
    const before = requests.length;
    const outbox = new OutboxDispatcher(
      pool,
      createEngineRest({ url: `${hangingUrl}/engine-rest`, user: 'u', password: 'p' }),
      createLogger('silent'),
      {
        catalog: {
          'application-submitted': {
            correlationVariable: null,
            starts: ['application-review'],
            catches: [],
          },
        },
        requestTimeoutMs: 60_000,
      },
    );
    const dispatching = outbox.dispatch();
    await eventually(async () => requests.length > before, 10_000);

    expect(await sessionsInTransaction()).toBe(0);
    expect(await rowFree('engine_outbox', rows[0].id)).toBe(true);
    for (const res of held.splice(0)) res.destroy();
    await dispatching.catch(() => undefined);
    // the failed attempt is recorded for a retry, not lost
    const after = await pool.query(`SELECT status, attempts FROM engine_outbox WHERE id = $1`, [
      rows[0].id,
    ]);
    expect(after.rows[0]).toEqual({ status: 'pending', attempts: 1 });
  });
});
