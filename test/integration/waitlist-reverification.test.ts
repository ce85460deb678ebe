import { civilDateInBaku } from '../../src/domain/calendar.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { as } from '../support/auth.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemHandler } from '../../src/api/problem.js';
import { reverificationRouter } from '../../src/api/reverification.js';
import { inTransaction, type Pool } from '../../src/db/pool.js';
import { openSeizureCase } from '../../src/cases/waitlist-case.js';
import {
  planReverification,
  reverificationYear,
  reverifyBatch,
} from '../../src/cases/reverification.js';
import { HttpRegistryClient } from '../../src/registry/client.js';
import { WAITLIST_PERSONAS, type WaitlistPersona } from '../../dev/synthetic-citizens.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';
import { groundMessages, insertEntry, seizureCases } from '../support/waitlist-entries.js';

// The annual re-verification (004 §18) end to end: the timer start is due on 15 January 05:00 UTC
// (09:00 Baku); the test executes it, the workers check every entry against the registry
// stand-in's waitlist personas, and the progress API shows the run.
const BATCH_SIZE = 3;
let t: TestStack;
let pool: Pool;
let server: Server;
let baseUrl: string;
const entries = new Map<string, string>(); // persona key → entry id
let removedEntry: string;
let unknownEntry: string;
let preOpenedCase: string;

/** The next firing of "0 0 5 15 1 ?" (Quartz cron in UTC) after now. */
function nextFiring(now = new Date()): Date {
  let at = Date.UTC(now.getUTCFullYear(), 0, 15, 5, 0, 0);
  if (at <= now.getTime()) at = Date.UTC(now.getUTCFullYear() + 1, 0, 15, 5, 0, 0);
  return new Date(at);
}
const firing = nextFiring();
/** The Baku day the run started (the seizure grounds are established on it). */
let runDay: string;
// The run is for the year the timer fires in (Baku); the test executes the timer now.
const year = reverificationYear(new Date());

async function api(p: string) {
  const res = await fetch(`${baseUrl}${p}`, { headers: as('operator-1') });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  process.env.REVERIFICATION_BATCH_SIZE = String(BATCH_SIZE);
  t = await startTestStack();
  pool = t.stack.db.pool;
  const app = express();
  app.use(express.json());
  app.use(authenticate({ pool }));
  app.use(reverificationRouter({ pool }));
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (const p of WAITLIST_PERSONAS) {
    const held = p.key === 'waitlist-land-plot'; // a held place (004 §20) is re-verified too
    entries.set(
      p.key,
      await insertEntry(pool, { fin: p.fin, family: p.family, status: held ? 'held' : 'active' }),
    );
  }
  // known to no registry: notes only, never a ground
  unknownEntry = await insertEntry(pool, { fin: 'SYUNKNW' });
  // no longer holding a place: not re-verified
  removedEntry = await insertEntry(pool, { fin: 'SYWDEAD', list: 'first-turn', status: 'removed' });
  // the death already reported by the civil-status registry: the open case is not doubled
  const deceased = entries.get('waitlist-deceased')!;
  preOpenedCase = await inTransaction(
    pool,
    async (tx) =>
      (
        await openSeizureCase(
          tx,
          {
            entryId: deceased,
            ground: 'remove-death',
            source: 'registry',
            establishedOn: '2026-11-20',
            eventId: 'civil-status:earlier',
          },
          'registry:civil-status',
        )
      ).caseId,
  );
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await t?.stop();
  delete process.env.REVERIFICATION_BATCH_SIZE;
});

const expected = (p: WaitlistPersona) => p.expectedGrounds;

describe('annual re-verification of the waitlists (004 §18)', () => {
  it('given no run yet, then the progress API lists none and a year without a run is 404', async () => {
    expect(await api('/api/v1/waitlist/reverifications')).toEqual({
      status: 200,
      body: { runs: [] },
    });
    const res = await api(`/api/v1/waitlist/reverifications/${year}`);
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([{ field: 'year', message: 'no run for this year' }]);
    expect((await api('/api/v1/waitlist/reverifications/20x7')).status).toBe(400);
  });

  it('given the yearly timer due on 15 January 09:00 Baku fires, then the run starts, every batch is processed and the run completes', async () => {
    expect((await pool.query(`SELECT 1 FROM reverification_run`)).rowCount).toBe(0);
    const firedAt = Date.now();
    await fireTimer(
      t.engine,
      { processDefinitionKey: 'waitlist-reverification', activityId: 'every-15-january' },
      firing,
    );
    const run = await eventually(async () => {
      const { rows } = await pool.query(
        `SELECT * FROM reverification_run WHERE year = $1 AND finished_at IS NOT NULL`,
        [year],
      );
      return rows[0];
    }, 90_000);
    const holding = WAITLIST_PERSONAS.length + 1; // the personas and the unknown FIN
    expect(run).toEqual(
      expect.objectContaining({
        batch_size: BATCH_SIZE,
        entries_total: holding,
        batches_total: Math.ceil(holding / BATCH_SIZE),
      }),
    );
    // started by the timer, dated when it fired
    expect(run.started_at.getTime()).toBeGreaterThanOrEqual(firedAt - 1000);
    expect(run.started_at.getTime()).toBeLessThanOrEqual(Date.now());
    runDay = civilDateInBaku(run.started_at);
    const { rows: batches } = await pool.query(
      `SELECT id, started_at, finished_at FROM reverification_batch WHERE year = $1 ORDER BY seq`,
      [year],
    );
    expect(batches).toHaveLength(Math.ceil(holding / BATCH_SIZE));
    expect(batches.every((b: { finished_at: Date | null }) => b.finished_at)).toBe(true);
  }, 150_000);

  it('given the registries, then a seizure case is opened exactly for the entries showing a ground', async () => {
    for (const p of WAITLIST_PERSONAS) {
      const entryId = entries.get(p.key)!;
      const cases = await seizureCases(pool, entryId);
      if (p.key === 'waitlist-deceased') {
        // the death was already on the open case: no second case, no second message
        expect(cases.map((c) => c.id)).toEqual([preOpenedCase]);
        expect(cases[0]!.details.furtherGrounds).toBeUndefined();
        continue;
      }
      if (expected(p).length === 0) {
        expect({ key: p.key, cases }).toEqual({ key: p.key, cases: [] });
        expect(await groundMessages(pool, entryId)).toEqual([]);
        continue;
      }
      const ground = expected(p)[0]!;
      expect({ key: p.key, cases }).toEqual({
        key: p.key,
        cases: [
          expect.objectContaining({
            ground,
            source: 'reverification',
            event_id: `reverification:${year}:${entryId}:${ground}`,
            established_on: runDay,
          }),
        ],
      });
      expect(await groundMessages(pool, entryId)).toEqual([
        expect.objectContaining({ message_id: `waitlist-ground-established:${cases[0]!.id}` }),
      ]);
    }
    expect(await seizureCases(pool, unknownEntry)).toEqual([]);
    expect(await seizureCases(pool, removedEntry)).toEqual([]);

    const { rows: checks } = await pool.query(
      `SELECT entry_id, outcome, grounds, notes FROM reverification_check WHERE year = $1`,
      [year],
    );
    const byEntry = new Map(checks.map((c: { entry_id: string }) => [c.entry_id, c]));
    expect(byEntry.has(removedEntry)).toBe(false);
    expect(byEntry.get(entries.get('waitlist-deceased')!)).toEqual(
      expect.objectContaining({ outcome: 'already-open', grounds: ['remove-death'] }),
    );
    expect(byEntry.get(entries.get('waitlist-temporary-absence')!)).toEqual(
      expect.objectContaining({ outcome: 'no-ground', notes: ['temporary-absence'] }),
    );
    expect(byEntry.get(unknownEntry)).toEqual(
      expect.objectContaining({
        outcome: 'no-ground',
        notes: expect.arrayContaining(['not-in-civil-status-registry']),
      }),
    );
    // the registries were asked: each registered person once per registry
    expect(t.registry.calls.residence).toBeGreaterThanOrEqual(WAITLIST_PERSONAS.length + 1);
  });

  it('given the run, then the progress API shows batches, entries and cases', async () => {
    const opened = WAITLIST_PERSONAS.filter(
      (p) => p.key !== 'waitlist-deceased' && expected(p).length > 0,
    ).length;
    const holding = WAITLIST_PERSONAS.length + 1;
    const batchesTotal = Math.ceil(holding / BATCH_SIZE);
    const list = await api('/api/v1/waitlist/reverifications');
    expect(list.status).toBe(200);
    expect(list.body.runs).toEqual([
      expect.objectContaining({
        year,
        status: 'finished',
        dueBy: `${year}-03-31`,
        batchSize: BATCH_SIZE,
        batches: { done: batchesTotal, total: batchesTotal },
        entries: { total: holding, checked: holding, skipped: 0 },
        casesOpened: opened,
        groundsAddedToOpenCases: 0,
        grounds: {
          'remove-death': 1,
          'remove-moved-away': 1,
          'remove-preferential-mortgage': 1,
          'remove-land-plot': 1,
          'remove-need-ceased': 1,
        },
      }),
    ]);
    const one = await api(`/api/v1/waitlist/reverifications/${year}`);
    expect(one.status).toBe(200);
    expect(one.body.batchList).toHaveLength(batchesTotal);
    expect(one.body.batchList.reduce((s: number, b: { checked: number }) => s + b.checked, 0)).toBe(
      holding,
    );
    expect(one.body.batchList[0]).toEqual(
      expect.objectContaining({ id: `${year}-00001`, seq: 1, entries: BATCH_SIZE }),
    );
  });

  it('given a batch or the plan run again, then nothing new is checked or opened (idempotent)', async () => {
    const before = await pool.query(
      `SELECT (SELECT count(*) FROM waitlist_case)::int AS cases,
              (SELECT count(*) FROM engine_outbox WHERE message_name = 'waitlist-ground-established')::int AS messages,
              (SELECT count(*) FROM reverification_check)::int AS checks`,
    );
    const plan = await planReverification(pool, {
      year,
      batchSize: 99,
      processInstanceKey: null,
      now: new Date(),
    });
    expect(plan.created).toBe(false);
    expect(plan.batchIds[0]).toBe(`${year}-00001`);
    const client = new HttpRegistryClient({ baseUrl: t.registry.url, token: t.registryToken });
    for (const batchId of plan.batchIds) {
      const out = await reverifyBatch(pool, client, { batchId, now: new Date() });
      expect(out).toEqual(expect.objectContaining({ checkedNow: 0, casesOpened: 0 }));
    }
    const after = await pool.query(
      `SELECT (SELECT count(*) FROM waitlist_case)::int AS cases,
              (SELECT count(*) FROM engine_outbox WHERE message_name = 'waitlist-ground-established')::int AS messages,
              (SELECT count(*) FROM reverification_check)::int AS checks`,
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('given the logs, then no FIN reached them', () => {
    for (const p of WAITLIST_PERSONAS) expect(t.logs.text).not.toContain(p.fin);
  });
});
