import { as } from '../support/auth.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApiDocument } from '../../src/api/openapi.js';
import { problemHandler } from '../../src/api/problem.js';
import { waitlistRouter } from '../../src/api/waitlist.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { auditTrail } from '../../src/cases/audit.js';
import { listEntries, positionOf } from '../../src/cases/waitlist-queue.js';
import type { Pool } from '../../src/db/pool.js';
import { civilDateInBaku } from '../../src/domain/calendar.js';
import { compareQueueOrder, type QueueEntry } from '../../src/domain/queue-order.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// The whole stack on a fresh database; the waitlist router is mounted on a small app of its
// own over the stack's pool (until src/api/app.ts mounts it).
let t: TestStack;
let pool: Pool;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  t = await startTestStack();
  pool = t.stack.db.pool;
  const app = express();
  app.use(express.json());
  app.use(authenticate({ pool }));
  app.use(waitlistRouter({ pool }));
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await insertFixtures();
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await t?.stop();
});

async function api(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    // a clerk of every body these tests use (scoping itself is tested in authorization.test.ts)
    headers: { 'content-type': 'application/json', ...as('registrar-all'), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

/** uuid n as a valid version-4 id, so that the id tie-break is predictable */
const uid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

async function listId(body: string, kind: string): Promise<string> {
  const { rows } = await pool.query(`SELECT id FROM waitlist WHERE body_code = $1 AND kind = $2`, [
    body,
    kind,
  ]);
  return rows[0].id;
}

interface Fixture {
  id: string;
  list: [string, string];
  registrationDate: string;
  needDegree?: number;
  seniorityDate?: string | null;
  publicBenefit?: number;
  status?: 'active' | 'held' | 'removed' | 'housed';
}

let finNo = 0;
async function insertEntry(f: Fixture): Promise<void> {
  finNo += 1;
  await pool.query(
    `INSERT INTO waitlist_entry (id, waitlist_id, registered_fin, registration_date, need_degree,
                                 seniority_date, decision_number, status, public_benefit)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      f.id,
      await listId(...f.list),
      `7Q${String(finNo).padStart(5, '0')}`,
      f.registrationDate,
      f.needDegree ?? 0,
      f.seniorityDate ?? null,
      `Q-${finNo}`,
      f.status ?? 'active',
      f.publicBenefit ?? 0,
    ],
  );
}

const NASIMI_GENERAL: [string, string] = ['baku-nasimi', 'general'];
// Expected order of the Nasimi general list: 56.1 date first; same date (5 Jan 2010): need,
// then seniority (earlier first, none last), then public-benefit activity (higher first), then id.
const E = {
  first: uid(0x101), // 1 Dec 2009
  needThree: uid(0x102), // 5 Jan 2010, need 3
  seniority1990: uid(0x103), // 5 Jan 2010, need 1, seniority 1990
  seniority1995: uid(0x104), // 5 Jan 2010, need 1, seniority 1995
  noSeniorityA: uid(0x105), // 5 Jan 2010, need 1, none (lower id), no public-benefit activity
  noSeniorityB: uid(0x106), // 5 Jan 2010, need 1, none (higher id), public-benefit activity 2
  held: uid(0x107), // 3 Mar 2011, held: keeps its place
  last: uid(0x108), // 7 Jul 2012
  removed: uid(0x109), // 1 Jan 2009, removed: not counted
  housed: uid(0x10a), // 1 Jun 2009, housed: not counted
  firstTurn: uid(0x201), // Nasimi first-turn list, 2000
  sumgait: uid(0x301), // another body, 2000
};
const EXPECTED_ORDER = [
  E.first,
  E.needThree,
  E.seniority1990,
  E.seniority1995,
  E.noSeniorityB,
  E.noSeniorityA,
  E.held,
  E.last,
];

async function insertFixtures(): Promise<void> {
  // inserted in an order unrelated to the queue
  const fixtures: Fixture[] = [
    {
      id: E.noSeniorityB,
      list: NASIMI_GENERAL,
      registrationDate: '2010-01-05',
      needDegree: 1,
      publicBenefit: 2,
    },
    { id: E.last, list: NASIMI_GENERAL, registrationDate: '2012-07-07', needDegree: 2 },
    {
      id: E.seniority1995,
      list: NASIMI_GENERAL,
      registrationDate: '2010-01-05',
      needDegree: 1,
      seniorityDate: '1995-06-01',
    },
    { id: E.removed, list: NASIMI_GENERAL, registrationDate: '2009-01-01', status: 'removed' },
    { id: E.held, list: NASIMI_GENERAL, registrationDate: '2011-03-03', status: 'held' },
    { id: E.noSeniorityA, list: NASIMI_GENERAL, registrationDate: '2010-01-05', needDegree: 1 },
    {
      id: E.needThree,
      list: NASIMI_GENERAL,
      registrationDate: '2010-01-05',
      needDegree: 3,
      seniorityDate: '2001-01-01',
    },
    { id: E.housed, list: NASIMI_GENERAL, registrationDate: '2009-06-01', status: 'housed' },
    {
      id: E.seniority1990,
      list: NASIMI_GENERAL,
      registrationDate: '2010-01-05',
      needDegree: 1,
      seniorityDate: '1990-06-01',
    },
    { id: E.first, list: NASIMI_GENERAL, registrationDate: '2009-12-01' },
    { id: E.firstTurn, list: ['baku-nasimi', 'first-turn'], registrationDate: '2000-01-01' },
    { id: E.sumgait, list: ['sumgait', 'general'], registrationDate: '2000-01-01' },
  ];
  for (const f of fixtures) await insertEntry(f);
}

describe('position in the waitlist (56.1, 004 §9, §22)', () => {
  it('004 §22: given entries of one list, then each has its place by date, then need, then seniority, then public-benefit activity, then id', async () => {
    const general = await listId(...NASIMI_GENERAL);
    for (const [i, id] of EXPECTED_ORDER.entries()) {
      const res = await api(`/api/v1/waitlist/baku-nasimi/entries/${id}/position`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entryId: id,
        status: id === E.held ? 'held' : 'active',
        list: { id: general, body: 'baku-nasimi', kind: 'general' },
        position: i + 1,
        ahead: i,
        total: EXPECTED_ORDER.length,
      });
    }
  });

  it('given removed and housed entries registered earlier, then they are not counted and have no place', async () => {
    const res = await api(`/api/v1/waitlist/baku-nasimi/entries/${E.removed}/position`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ status: 'removed', position: null, ahead: null, total: 8 }),
    );
    expect((await positionOf(pool, E.housed))?.position).toBeNull();
  });

  it('given entries in another list of the body and in another body, then each counts only in its own list', async () => {
    const firstTurn = await api(`/api/v1/waitlist/baku-nasimi/entries/${E.firstTurn}/position`);
    expect(firstTurn.body).toEqual(
      expect.objectContaining({
        position: 1,
        total: 1,
        list: expect.objectContaining({ kind: 'first-turn' }),
      }),
    );
    const sumgait = await api(`/api/v1/waitlist/sumgait/entries/${E.sumgait}/position`);
    expect(sumgait.body).toEqual(expect.objectContaining({ position: 1, total: 1 }));
  });

  it('given the list in pages, then it is in queue order with positions, and a page past the end is empty', async () => {
    const p1 = await api(`/api/v1/waitlist/baku-nasimi/lists/general/entries?limit=3`);
    expect(p1.status).toBe(200);
    expect(p1.body).toEqual(
      expect.objectContaining({
        list: expect.objectContaining({ body: 'baku-nasimi', kind: 'general' }),
        total: 8,
        offset: 0,
        limit: 3,
      }),
    );
    expect(p1.body.entries.map((e: { id: string }) => e.id)).toEqual(EXPECTED_ORDER.slice(0, 3));
    expect(p1.body.entries.map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);
    expect(p1.body.entries[1]).toEqual({
      id: E.needThree,
      position: 2,
      registrationDate: '2010-01-05',
      needDegree: 3,
      seniorityDate: '2001-01-01',
      publicBenefit: 0,
      status: 'active',
      decisionNumber: expect.any(String),
      offerBarredUntil: null,
    });
    expect(JSON.stringify(p1.body)).not.toMatch(/7Q\d{5}/); // no FIN in a list

    const p2 = await api(`/api/v1/waitlist/baku-nasimi/lists/general/entries?offset=3&limit=50`);
    expect(p2.body.entries.map((e: { id: string }) => e.id)).toEqual(EXPECTED_ORDER.slice(3));
    expect(p2.body.entries.map((e: { position: number }) => e.position)).toEqual([4, 5, 6, 7, 8]);

    const past = await api(`/api/v1/waitlist/baku-nasimi/lists/general/entries?offset=8`);
    expect(past.body).toEqual(expect.objectContaining({ total: 8, offset: 8, entries: [] }));

    const empty = await api(`/api/v1/waitlist/sumgait/lists/out-of-turn/entries`);
    expect(empty.body).toEqual(expect.objectContaining({ total: 0, entries: [] }));
  });

  it('given many entries with ties, then the database order is the pure rule of src/domain/queue-order.ts, page after page', async () => {
    const list: [string, string] = ['sumgait', 'first-turn'];
    const entries: (QueueEntry & { status: 'active' | 'held' | 'removed' })[] = [];
    for (let i = 0; i < 240; i++) {
      const e = {
        id: crypto.randomUUID(),
        registrationDate: `2015-0${1 + (i % 3)}-1${i % 2}`,
        needDegree: (i * 7) % 4,
        seniorityDate: i % 5 === 0 ? null : `19${80 + (i % 11)}-0${1 + (i % 2)}-01`,
        status:
          i % 17 === 0
            ? ('removed' as const)
            : i % 13 === 0
              ? ('held' as const)
              : ('active' as const),
      };
      entries.push(e);
      await insertEntry({ ...e, list });
    }
    const expected = entries
      .filter((e) => e.status !== 'removed')
      .sort(compareQueueOrder)
      .map((e) => e.id);
    const id = await listId(...list);
    const listed: string[] = [];
    for (let offset = 0; offset < expected.length + 10; offset += 25) {
      const page = await listEntries(pool, id, { offset, limit: 25 });
      expect(page.total).toBe(expected.length);
      listed.push(...page.entries.map((e) => e.id));
    }
    expect(listed).toEqual(expected);
    for (const i of [0, 1, 57, 120, expected.length - 1]) {
      expect(await positionOf(pool, expected[i]!)).toEqual(
        expect.objectContaining({ position: i + 1, ahead: i, total: expected.length }),
      );
    }
  });

  it('given entries removed, moved, reinstated and deleted, then the places follow at once (derived, never stored)', async () => {
    const list: [string, string] = ['sumgait', 'general'];
    const ids = [uid(0x401), uid(0x402), uid(0x403), uid(0x404)];
    for (const [i, id] of ids.entries())
      await insertEntry({ id, list, registrationDate: `2020-02-0${i + 1}` });
    const place = async (id: string) => (await positionOf(pool, id))?.position;
    // E.sumgait (2000) is first in this list
    expect(await Promise.all(ids.map(place))).toEqual([2, 3, 4, 5]);

    await pool.query(`UPDATE waitlist_entry SET status = 'removed' WHERE id = $1`, [ids[0]]);
    expect(await Promise.all(ids.map(place))).toEqual([undefined, 2, 3, 4].map((p) => p ?? null));

    // one statement changing several rows: a date moved, a removal undone
    await pool.query(
      `UPDATE waitlist_entry SET
         registration_date = CASE WHEN id = $2 THEN date '2020-02-09' ELSE registration_date END,
         status = CASE WHEN id = $1 THEN 'active' ELSE status END
       WHERE id IN ($1, $2)`,
      [ids[0], ids[1]],
    );
    expect(await Promise.all(ids.map(place))).toEqual([2, 5, 3, 4]);

    await pool.query(`DELETE FROM waitlist_entry WHERE id = ANY($1)`, [[ids[2], ids[3]]]);
    expect(await Promise.all(ids.slice(0, 2).map(place))).toEqual([2, 3]);
    const { rows } = await pool.query(
      `SELECT (SELECT coalesce(sum(entries), 0) FROM waitlist_day_count)::int AS counted,
              (SELECT count(*) FROM waitlist_entry WHERE status IN ('active', 'held'))::int AS entries`,
    );
    expect(rows[0].counted).toBe(rows[0].entries);
    // a recount from the entries (for loads that bypass the triggers) finds the same counts
    const counts = `SELECT waitlist_id, registration_date::text, entries FROM waitlist_day_count
                     WHERE entries > 0 ORDER BY 1, 2`;
    const kept = (await pool.query(counts)).rows;
    await pool.query(`SELECT waitlist_day_count_rebuild()`);
    expect((await pool.query(counts)).rows).toEqual(kept);
  });

  it('given malformed path parts or paging, then 400 names each field', async () => {
    const bad = await api(`/api/v1/waitlist/Baku%20Nasimi/entries/not-a-uuid/position`);
    expect(bad.status).toBe(400);
    expect(fields(bad.body).sort()).toEqual(['body', 'id']);
    const kind = await api(`/api/v1/waitlist/baku-nasimi/lists/priority/entries`);
    expect(kind.status).toBe(400);
    expect(fields(kind.body)).toEqual(['kind']);
    const paging = await api(
      `/api/v1/waitlist/baku-nasimi/lists/general/entries?offset=-1&limit=501`,
    );
    expect(paging.status).toBe(400);
    expect(fields(paging.body).sort()).toEqual(['limit', 'offset']);
    const zero = await api(`/api/v1/waitlist/baku-nasimi/lists/general/entries?limit=0&sort=x`);
    expect(fields(zero.body)).toEqual(expect.arrayContaining(['limit']));
    expect(zero.status).toBe(400);
  });

  it('given an unknown entry, an entry of another body, an unknown body or a list the body does not keep, then 404 names it', async () => {
    const unknown = await api(`/api/v1/waitlist/baku-nasimi/entries/${uid(0xdead)}/position`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([
      { field: 'id', message: expect.stringContaining(uid(0xdead)) },
    ]);
    expect(unknown.body.detail).toContain(uid(0xdead));

    const otherBody = await api(`/api/v1/waitlist/baku-nasimi/entries/${E.sumgait}/position`);
    expect(otherBody.status).toBe(404);
    expect(fields(otherBody.body)).toEqual(['id']);
    expect(otherBody.body.detail).toContain(E.sumgait);

    const noBody = await api(`/api/v1/waitlist/lankaran/entries/${E.first}/position`);
    expect(noBody.status).toBe(404);
    expect(fields(noBody.body)).toEqual(['body']);

    const noList = await api(`/api/v1/waitlist/mida/lists/general/entries`);
    expect(noList.status).toBe(404);
    expect(fields(noList.body)).toEqual(['kind']);
  });

  it('given the OpenAPI document, then it describes the waitlist paths', () => {
    const doc = openApiDocument() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/waitlist/{body}/entries/{id}/position',
        '/api/v1/waitlist/{body}/lists/{kind}/entries',
        '/api/v1/waitlist/{body}/entries/{id}/offer-refusals',
      ]),
    );
  });
});

describe('refusing an offered dwelling (004 §37)', () => {
  const refusals = (id: string) => `/api/v1/waitlist/baku-nasimi/entries/${id}/offer-refusals`;
  const barOf = async (id: string) =>
    (
      await pool.query(`SELECT offer_barred_until::text AS bar FROM waitlist_entry WHERE id = $1`, [
        id,
      ])
    ).rows[0].bar;

  it('given a refusal without good reason, then no offer until a year later (to the end of that day), stored and audited', async () => {
    const res = await api(refusals(E.needThree), {
      body: { refusedOn: '2026-03-02', goodReason: false, note: 'mərtəbə uyğun deyil' },
      headers: as('nasimi-reviewer-1'),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entryId: E.needThree,
      refusedOn: '2026-03-02',
      goodReason: false,
      offerBarredUntil: '2027-03-02',
      offerBarredUntilEndsAt: '2027-03-02T23:59:59.999+04:00',
      previousOfferBarredUntil: null,
      legalGround: '004 §37',
    });
    expect(await barOf(E.needThree)).toBe('2027-03-02');
    const trail = await auditTrail(pool, 'waitlist-entry', E.needThree);
    expect(trail).toEqual([
      expect.objectContaining({
        actor: 'nasimi-reviewer-1',
        action: 'offer-refused',
        legalGround: '004 §37',
        reason: 'mərtəbə uyğun deyil',
        before: { offerBarredUntil: null },
        after: { refusedOn: '2026-03-02', goodReason: false, offerBarredUntil: '2027-03-02' },
      }),
    ]);
    // the place in the queue is kept; the list shows the bar
    expect((await positionOf(pool, E.needThree))?.position).toBe(2);
    const page = await api(`/api/v1/waitlist/baku-nasimi/lists/general/entries?offset=1&limit=1`);
    expect(page.body.entries[0]).toEqual(
      expect.objectContaining({ id: E.needThree, offerBarredUntil: '2027-03-02' }),
    );
  });

  it('given a later refusal with a good reason, then the bar stays as it was and the refusal is audited', async () => {
    const res = await api(refusals(E.needThree), {
      body: { refusedOn: '2026-06-01', goodReason: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        offerBarredUntil: '2027-03-02',
        previousOfferBarredUntil: '2027-03-02',
      }),
    );
    expect(await barOf(E.needThree)).toBe('2027-03-02');
    const trail = await auditTrail(pool, 'waitlist-entry', E.needThree);
    expect(trail.at(-1)).toEqual(
      expect.objectContaining({ actor: 'registrar-all', action: 'offer-refused-with-good-reason' }),
    );
  });

  it('given a refusal with a good reason on an entry never barred, then nothing is barred but it is audited', async () => {
    const res = await api(refusals(E.first), {
      body: { refusedOn: '2026-04-01', goodReason: true },
    });
    expect(res.status).toBe(200);
    expect(res.body.offerBarredUntil).toBeNull();
    expect(await barOf(E.first)).toBeNull();
    expect((await auditTrail(pool, 'waitlist-entry', E.first)).map((a) => a.action)).toEqual([
      'offer-refused-with-good-reason',
    ]);
  });

  it('given a refusal whose year ends on a day off, then the bar runs to the next working day (§8)', async () => {
    // 10 May 2027 is a day off (Victory over Fascism Day moved from Sunday 9 May)
    const res = await api(refusals(E.held), {
      body: { refusedOn: '2026-05-10', goodReason: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.offerBarredUntil).toBe('2027-05-11');
  });

  async function unchanged(id: string, call: () => Promise<{ status: number; body: any }>) {
    const before = await pool.query(`SELECT * FROM waitlist_entry WHERE id = $1`, [id]);
    const audits = (await auditTrail(pool, 'waitlist-entry', id)).length;
    const res = await call();
    expect((await pool.query(`SELECT * FROM waitlist_entry WHERE id = $1`, [id])).rows).toEqual(
      before.rows,
    );
    expect((await auditTrail(pool, 'waitlist-entry', id)).length).toBe(audits);
    return res;
  }

  it('given invalid input, then 400 names every field and nothing changes', async () => {
    const res = await unchanged(E.last, () =>
      api(refusals(E.last), { body: { refusedOn: '2026-02-30', goodReason: 'no', extra: 1 } }),
    );
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(expect.arrayContaining(['refusedOn', 'goodReason']));
    const missing = await unchanged(E.last, () => api(refusals(E.last), { body: {} }));
    expect(fields(missing.body).sort()).toEqual(['goodReason', 'refusedOn']);
    const anonymous = await unchanged(E.last, () =>
      api(refusals(E.last), {
        body: { refusedOn: '2026-03-02', goodReason: false },
        headers: { authorization: 'Bearer not-a-session' },
      }),
    );
    expect(anonymous.status).toBe(401);
    const otherBody = await unchanged(E.last, () =>
      api(refusals(E.last), {
        body: { refusedOn: '2026-03-02', goodReason: false },
        headers: as('reviewer-1'),
      }),
    );
    expect(otherBody.status).toBe(403);
  });

  it('given a refusal date in the future, then 400 names refusedOn and nothing changes', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000);
    const res = await unchanged(E.last, () =>
      api(refusals(E.last), {
        body: { refusedOn: civilDateInBaku(tomorrow), goodReason: false },
      }),
    );
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['refusedOn']);
  });

  it('given a refusal dated before the entry was registered, then 400 names refusedOn and nothing changes', async () => {
    // E.last was registered on 7 Jul 2012
    const res = await unchanged(E.last, () =>
      api(refusals(E.last), { body: { refusedOn: '2012-07-06', goodReason: false } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'refusedOn', message: expect.stringContaining('2012-07-07') },
    ]);
  });

  it('given a refusal whose year reaches a year without calendar data, then 422 names refusedOn and nothing changes', async () => {
    const res = await unchanged(E.last, () =>
      api(refusals(E.last), { body: { refusedOn: '2023-05-05', goodReason: false } }),
    );
    expect(res.status).toBe(422);
    expect(fields(res.body)).toEqual(['refusedOn']);
  });

  it('given an entry removed from the list, then 409 and nothing changes', async () => {
    const res = await unchanged(E.removed, () =>
      api(refusals(E.removed), { body: { refusedOn: '2026-03-02', goodReason: false } }),
    );
    expect(res.status).toBe(409);
    expect(fields(res.body)).toEqual(['id']);
  });

  it('given an entry of another body, an unknown entry or a malformed id, then 404/400 names the id and nothing changes', async () => {
    const other = await unchanged(E.sumgait, () =>
      api(refusals(E.sumgait), { body: { refusedOn: '2026-03-02', goodReason: false } }),
    );
    expect(other.status).toBe(404);
    expect(other.body.errors).toEqual([
      { field: 'id', message: expect.stringContaining(E.sumgait) },
    ]);
    const unknown = await api(refusals(uid(0xbeef)), {
      body: { refusedOn: '2026-03-02', goodReason: false },
    });
    expect(unknown.status).toBe(404);
    expect(fields(unknown.body)).toEqual(['id']);
    const malformed = await api(refusals('123'), {
      body: { refusedOn: '2026-03-02', goodReason: false },
    });
    expect(malformed.status).toBe(400);
    expect(fields(malformed.body)).toEqual(['id']);
  });
});
