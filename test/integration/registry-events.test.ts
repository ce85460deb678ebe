import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApiDocument } from '../../src/api/openapi.js';
import { problemHandler } from '../../src/api/problem.js';
import { registryEventsRouter } from '../../src/api/registry-events.js';
import { createServiceClient } from '../../src/auth/accounts.js';
import { PORTAL_TOKEN } from '../support/auth.js';
import type { Pool } from '../../src/db/pool.js';
import { civilDateInBaku } from '../../src/domain/calendar.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { groundMessages, insertEntry, seizureCases } from '../support/waitlist-entries.js';

// The router on its own small app over the test stack's database (src/api/app.ts mounts it
// once wired); the stack's outbox publishes the engine messages the events queue.
const TOKEN = 'test-registry-events-token-7f3a9c2e';
let t: TestStack;
let pool: Pool;
let server: Server;
let baseUrl: string;
let kicks = 0;

beforeAll(async () => {
  process.env.REGISTRY_EVENTS_TOKEN = TOKEN;
  t = await startTestStack();
  pool = t.stack.db.pool;
  const app = express();
  app.use(express.json());
  app.use(
    registryEventsRouter({
      pool,
      onEngineMessagesQueued: () => {
        kicks += 1;
        t.stack.outbox.kick();
      },
    }),
  );
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await t?.stop();
  delete process.env.REGISTRY_EVENTS_TOKEN;
});

async function post(body: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${baseUrl}/api/v1/registry-events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const today = civilDateInBaku(new Date());
let seq = 0;
const event = (over: Record<string, unknown> = {}) => ({
  eventId: `civil-status:test:${Date.now()}:${++seq}`,
  source: 'civil-status',
  kind: 'death',
  fin: 'SYE0000',
  occurredOn: '2026-11-02',
  ...over,
});

/** Rows the intake writes; a repeat must leave every count as it was. */
async function intakeFootprint() {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM registry_event)::int AS events,
            (SELECT count(*) FROM registry_event_match)::int AS matches,
            (SELECT count(*) FROM waitlist_case)::int AS cases,
            (SELECT count(*) FROM engine_outbox WHERE message_name = 'waitlist-ground-established')::int AS messages,
            (SELECT count(*) FROM audit_event WHERE actor LIKE 'registry:%')::int AS audit`,
  );
  return rows[0];
}

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  (body.errors ?? []).map((e) => e.field).sort();

describe('registry event intake: the registered person', () => {
  let entryId: string;
  let first: Awaited<ReturnType<typeof post>>;
  const death = event({ eventId: 'civil-status:death:SYE0001', fin: 'SYE0001' });

  beforeAll(async () => {
    entryId = await insertEntry(pool, { fin: 'SYE0001' });
  });

  it('given the death of a registered person, then exactly one seizure case (55.1.7) and one engine message are written', async () => {
    const kicksBefore = kicks;
    first = await post(death);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      eventId: death.eventId,
      matchedEntries: 1,
      casesOpened: [expect.any(String)],
      outcomes: [
        {
          entryId,
          role: 'registered',
          ground: 'remove-death',
          outcome: 'case-opened',
          reason: null,
          caseId: first.body.casesOpened[0],
        },
      ],
    });
    const cases = await seizureCases(pool, entryId);
    expect(cases).toEqual([
      expect.objectContaining({
        id: first.body.casesOpened[0],
        ground: 'remove-death',
        source: 'registry',
        event_id: death.eventId,
        // 55.2 counts from the day the ground is established: the day the event arrived
        established_on: today,
      }),
    ]);
    expect(cases[0]!.details.facts).toEqual(
      expect.objectContaining({
        kind: 'death',
        occurredOn: '2026-11-02',
        registry: 'civil-status',
      }),
    );
    const messages = await groundMessages(pool, entryId);
    expect(messages).toEqual([
      expect.objectContaining({
        message_name: 'waitlist-ground-established',
        message_id: `waitlist-ground-established:${cases[0]!.id}`,
        variables: expect.objectContaining({
          caseId: cases[0]!.id,
          entryId,
          ground: 'remove-death',
          source: 'registry',
          establishedOn: today,
        }),
      }),
    ]);
    const audit = await pool.query(
      `SELECT action, actor FROM audit_event WHERE case_id = $1 ORDER BY id`,
      [cases[0]!.id],
    );
    expect(audit.rows).toEqual([{ action: 'seizure-case-opened', actor: 'registry:civil-status' }]);
    // told after the commit, so the message is published at once
    expect(kicks).toBe(kicksBefore + 1);
    await eventually(async () => {
      const { rows } = await pool.query(
        `SELECT published_at FROM engine_outbox WHERE message_id = $1`,
        [`waitlist-ground-established:${cases[0]!.id}`],
      );
      return rows[0]?.published_at;
    });
  });

  it('given the same event again, then 200 with the first result and no new row anywhere', async () => {
    const before = await intakeFootprint();
    const kicksBefore = kicks;
    const again = await post(death);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await intakeFootprint()).toEqual(before);
    expect(await seizureCases(pool, entryId)).toHaveLength(1);
    expect(kicks).toBe(kicksBefore);
  });

  it('given the same eventId with other content, then 409 names eventId and nothing changes', async () => {
    const before = await intakeFootprint();
    const res = await post({ ...death, occurredOn: '2026-11-03' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(fieldsOf(res.body)).toEqual(['eventId']);
    expect(await intakeFootprint()).toEqual(before);
  });

  it('given another ground for a slot with an open case, then it joins that case; the same ground again is not added twice', async () => {
    const moved = await post(
      event({ source: 'residence', kind: 'moved-away', fin: 'SYE0001', occurredOn: '2026-10-20' }),
    );
    expect(moved.status).toBe(201);
    expect(moved.body.casesOpened).toEqual([]);
    expect(moved.body.outcomes[0]).toEqual(
      expect.objectContaining({ outcome: 'ground-added', caseId: first.body.casesOpened[0] }),
    );
    const deathAgain = await post(event({ fin: 'SYE0001' }));
    expect(deathAgain.body.outcomes[0]).toEqual(
      expect.objectContaining({ outcome: 'ground-already-open', ground: 'remove-death' }),
    );
    const cases = await seizureCases(pool, entryId);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.details.furtherGrounds).toEqual([
      expect.objectContaining({ ground: 'remove-moved-away', source: 'registry' }),
    ]);
    expect(await groundMessages(pool, entryId)).toHaveLength(1);
  });
});

describe('registry event intake: what is not a ground', () => {
  it("given a family member's death, then it is recorded on the entry and no case is opened", async () => {
    const entryId = await insertEntry(pool, {
      fin: 'SYE0002',
      family: [{ fin: 'SYE0003', relation: 'mother' }],
    });
    const res = await post(event({ fin: 'SYE0003' }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        matchedEntries: 1,
        casesOpened: [],
        outcomes: [
          expect.objectContaining({
            entryId,
            role: 'family-member',
            ground: null,
            outcome: 'recorded-only',
            reason: 'family-member-death',
          }),
        ],
      }),
    );
    expect(await seizureCases(pool, entryId)).toEqual([]);
    expect(await groundMessages(pool, entryId)).toEqual([]);
    const audit = await pool.query(
      `SELECT action, reason FROM audit_event WHERE case_type = 'waitlist-entry' AND case_id = $1`,
      [entryId],
    );
    expect(audit.rows).toEqual([
      { action: 'registry-fact-recorded', reason: 'family-member-death' },
    ]);
  });

  it('Housing Code 55.2: given a registry "sentenced" event of any length, then it is recorded only and opens no removal case (004 §19(d) is no case of 55.1)', async () => {
    const entryId = await insertEntry(pool, { fin: 'SYE0004' });
    for (const months of [3, 7, 60]) {
      const res = await post(
        event({ source: 'court', kind: 'sentenced', fin: 'SYE0004', details: { months } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.casesOpened).toEqual([]);
      expect(res.body.outcomes).toEqual([
        expect.objectContaining({
          outcome: 'recorded-only',
          reason: 'not-a-housing-code-55.1-ground',
        }),
      ]);
    }
    expect(await seizureCases(pool, entryId)).toEqual([]);
    expect(await groundMessages(pool, entryId)).toEqual([]);
  });

  it('given a FIN on no list, or only on an entry no longer holding a place, then the event is stored with no match', async () => {
    await insertEntry(pool, { fin: 'SYE0005', status: 'removed' });
    for (const fin of ['SYE0005', 'SYE0006']) {
      const res = await post(event({ fin }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual(expect.objectContaining({ matchedEntries: 0, casesOpened: [] }));
    }
  });

  it.each([
    ['preferential-mortgage-granted', 'mortgage-fund', 'remove-preferential-mortgage'],
    ['land-plot-granted', 'land', 'remove-land-plot'],
    ['property-acquired', 'real-estate', 'remove-need-ceased'],
  ])('given %s, then a case on %s', async (kind, source, ground) => {
    const fin = `SYK${String(++seq).padStart(4, '0')}`;
    const entryId = await insertEntry(pool, { fin, list: 'first-turn' });
    const res = await post(event({ kind, source, fin }));
    expect(res.body.casesOpened).toHaveLength(1);
    expect((await seizureCases(pool, entryId)).map((c) => c.ground)).toEqual([ground]);
  });
});

describe('registry event intake: refused requests store nothing', () => {
  it.each([
    ['an unknown kind', { kind: 'married' }, ['kind']],
    ['a malformed FIN and date', { fin: 'AB', occurredOn: '2026-02-30' }, ['fin', 'occurredOn']],
    ['a date in the future', { occurredOn: '2999-01-01' }, ['occurredOn']],
    ['a kind from the wrong registry', { source: 'court' }, ['source']],
    [
      'a sentence of half a month',
      { source: 'court', kind: 'sentenced', details: { months: 0.5 } },
      ['details.months'],
    ],
    ['an unknown field', { colour: 'red' }, ['colour']],
    ['a missing eventId', { eventId: undefined }, ['eventId']],
  ])('given %s, then 400 names the field', async (_what, over, fields) => {
    const body = event({ fin: 'SYE0001', ...over });
    const before = await intakeFootprint();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Invalid input');
    expect(fieldsOf(res.body)).toEqual(fields);
    expect(await intakeFootprint()).toEqual(before);
  });

  it('given no token or a wrong one, then 401 and nothing is stored', async () => {
    const before = await intakeFootprint();
    const none = await post(event({ fin: 'SYE0001' }), null);
    expect(none.status).toBe(401);
    expect(fieldsOf(none.body)).toEqual(['authorization']);
    const wrong = await post(event({ fin: 'SYE0001' }), `${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(await intakeFootprint()).toEqual(before);
  });

  it('given REGISTRY_EVENTS_TOKEN unset, then 503 "not configured" even with a token', async () => {
    delete process.env.REGISTRY_EVENTS_TOKEN;
    try {
      const res = await post(event({ fin: 'SYE0001' }));
      expect(res.status).toBe(503);
      expect(res.body.title).toBe('Not configured');
    } finally {
      process.env.REGISTRY_EVENTS_TOKEN = TOKEN;
    }
  });

  it('given a registry service client issued by an administrator and no REGISTRY_EVENTS_TOKEN, then its token is accepted and a portal token is not', async () => {
    const { token } = await createServiceClient(pool, 'civil-status-registry', ['registry']);
    delete process.env.REGISTRY_EVENTS_TOKEN;
    try {
      const accepted = await post(event({ fin: 'SYE0002' }), token);
      expect(accepted.status).toBe(201);
      const portal = await post(event({ fin: 'SYE0003' }), PORTAL_TOKEN);
      expect(portal.status).toBe(401);
    } finally {
      process.env.REGISTRY_EVENTS_TOKEN = TOKEN;
      await pool.query(`DELETE FROM service_client WHERE id = 'civil-status-registry'`);
    }
  });

  it('given the OpenAPI document, then the intake is described with its bearer scheme', () => {
    const doc = openApiDocument() as {
      paths: Record<string, { post?: { security?: unknown } }>;
      components: { securitySchemes?: Record<string, unknown> };
    };
    expect(doc.paths['/api/v1/registry-events']?.post?.security).toEqual([{ registryBearer: [] }]);
    expect(doc.components.securitySchemes?.registryBearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
  });

  it('given the logs, then no FIN reached them', () => {
    expect(t.logs.text).not.toContain('SYE0001');
  });
});
