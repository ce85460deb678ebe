import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { inTransaction } from '../../src/db/pool.js';
import { enqueueMessage } from '../../src/engine/messages.js';
import { ok } from '../../src/engine/rest.js';
import type { JobContext, WorkerDefinition } from '../../src/engine/worker.js';
import { loadWorkers, startWorkers, type WorkerHost } from '../../src/engine/workers.js';
import { createLogger } from '../../src/logger.js';
import { FAULT_ENV, startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, settled, sleep, type Load } from '../support/load.js';
import { RegistryEventLoad } from '../support/registry-event-load.js';

/**
 * Issue 14, fault 5: duplicate, early and late messages while hundreds of applications are in
 * flight on every path. Every decision and every resubmission is sent twice at once; the
 * resubmissions come as soon as the case shows its discrepancy. For every resubmission path the
 * step before the wait (the discrepancy notice) is held until the resubmission has reached the
 * engine and been refused as not awaited — early, forced, not by timing luck; it must still be
 * correlated exactly once when the process arrives. Each resubmission is delivered to the engine
 * a second time (a redelivery, its own message id); after the cases ended, each gets its
 * resubmission once more (late). Meanwhile registry events open seizure cases on the waitlist:
 * each event is delivered twice at once, its case decided (twice at once), and after the case
 * ended the event, a new event about the same person and the engine message that started the
 * case come again. Nothing changes twice, nothing is lost, each dropped message is logged once.
 */
const N = Number(process.env.FAULT_LOAD_N ?? 200);
/** Registry-event stories beside the applications: one per five applications, at least 20. */
const R = Math.max(20, Math.round(N / 5));
const RESUBMITTED = 'application-resubmitted';
const GROUND = 'waitlist-ground-established';
const REGISTRY_TOKEN = `fault-registry-${randomBytes(12).toString('hex')}`;

let f: FaultStack;
let load: Load;
let workers: WorkerHost | undefined;

/**
 * Early resubmissions, forced: the application id → what the dispatcher had recorded when the
 * held discrepancy notice was let go (the engine had refused the resubmission at least once:
 * no instance waited for it yet).
 */
const early = new Map<string, { attempts: number; lastError: string }>();
const heldOnce = new Set<string>();

/**
 * Holds the discrepancy notice (the step before wait-for-resubmission) of a resubmission path
 * until that case's resubmission has been sent to the engine and refused as not awaited.
 */
async function holdUntilResubmittedEarly(job: JobContext<{ applicationId?: string }>) {
  const id = job.variables.applicationId;
  if (job.elementId !== 'notify-discrepancy' || !id || heldOnce.has(id)) return;
  if (load?.cases.find((c) => c.id === id)?.path !== 'resubmit') return;
  heldOnce.add(id);
  const until = Date.now() + 240_000;
  while (Date.now() < until) {
    const { rows } = await f.stack.db.pool.query(
      `SELECT status, attempts, last_error AS "lastError" FROM engine_outbox
        WHERE message_name = $1 AND message_id LIKE $2`,
      [RESUBMITTED, `${RESUBMITTED}:${id}:%`],
    );
    const row = rows[0] as { status: string; attempts: number; lastError: string } | undefined;
    if (row && row.status !== 'pending') return; // taken without waiting: not early
    if (row && row.attempts >= 1) {
      early.set(id, { attempts: row.attempts, lastError: row.lastError });
      return;
    }
    await sleep(200);
  }
}

beforeAll(async () => {
  process.env.REGISTRY_EVENTS_TOKEN = REGISTRY_TOKEN;
  f = await startFaultStack();
  // the app's workers, with the discrepancy notice wrapped in the hold above
  await f.stack.workers.stop();
  const defs = (await loadWorkers()).map((d): WorkerDefinition => {
    if (d.taskType !== 'send-notice') return d;
    return {
      ...d,
      async handle(job, deps) {
        await holdUntilResubmittedEarly(job as JobContext<{ applicationId?: string }>);
        return d.handle(job, deps);
      },
    };
  });
  workers = startWorkers(
    f.stack.engine.rest,
    defs,
    { pool: f.stack.db.pool, log: createLogger('info', f.logs), now: () => new Date() },
    {
      lockDurationMs: Number(FAULT_ENV.WORKER_JOB_TIMEOUT_MS),
      retryBackoffBaseMs: Number(FAULT_ENV.WORKER_RETRY_BACKOFF_MS),
      asyncResponseTimeoutMs: Number(FAULT_ENV.WORKER_LONG_POLL_MS),
      // the held notices take a slot each: room for all of them besides the usual 8
      maxTasks: 8 + Math.ceil(N / 5),
    },
  );
}, 300_000);
afterAll(async () => {
  load?.stop();
  await workers?.stop();
  await f?.stop();
  delete process.env.REGISTRY_EVENTS_TOKEN;
});

/** The 'engine message dropped' log lines of one outbox row. */
function dropLogs(outboxId: string): number {
  return f.logs.lines
    .map((l) => JSON.parse(l) as { msg?: string; outboxId?: string })
    .filter((r) => r.msg === 'engine message dropped' && r.outboxId === outboxId).length;
}

describe('duplicate, early and late messages under load', () => {
  it(`given ${N} applications in flight on every path, when each decision and resubmission is sent twice, resubmissions come as soon as the case shows its discrepancy, are redelivered, and arrive again after the case ended, then nothing changes twice, nothing is lost and each dropped message is logged once`, async () => {
    const pool = f.stack.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    load = f.load(N, 'DM');
    load.duplicateRequests = true;
    const submitting = load.submitAll();
    const driving = load.drive();
    const registry = new RegistryEventLoad(
      { apiUrl: f.stack.apiUrl, pool, engine: f.stack.engine.rest, token: REGISTRY_TOKEN },
      R,
      'DR',
    );
    const registering = registry.run();

    // redeliveries: each resubmission, once the engine took it, is delivered again under its
    // own message id (as a second source would); no instance waits for it any more
    const redelivered = new Set<string>();
    const redeliver = (async () => {
      while (redelivered.size < load.cases.filter((c) => c.path === 'resubmit').length) {
        const { rows } = await query(
          `SELECT correlation_key AS id FROM engine_outbox
            WHERE message_name = $1 AND status = 'published' AND NOT (correlation_key = ANY($2::text[]))`,
          [RESUBMITTED, [...redelivered]],
        );
        for (const { id } of rows as { id: string }[]) {
          await inTransaction(pool, async (tx) => {
            const m = {
              name: RESUBMITTED,
              correlationKey: id,
              messageId: `redelivery:${id}`,
              variables: {},
              ttlMs: 3000,
            };
            await enqueueMessage(tx, m);
            await enqueueMessage(tx, m); // the same message id twice: stored once
          });
          redelivered.add(id);
        }
        f.stack.outbox.kick();
        await sleep(500);
      }
    })();

    await submitting;
    const done = await settled(load, query, 600_000);
    await redeliver;
    await registering;
    load.stop();
    await driving;

    // the engine message that started each seizure case, delivered again after the case ended
    const seizureCases = registry.cases.filter((c) => c.caseId).map((c) => c.caseId!);
    await inTransaction(pool, async (tx) => {
      for (const caseId of seizureCases)
        await enqueueMessage(tx, {
          name: GROUND,
          correlationKey: caseId,
          messageId: `${GROUND}:redelivery:${caseId}`,
          variables: {},
        });
    });
    f.stack.outbox.kick();

    // late: the resubmission once more, for every case that had a discrepancy round, after it ended
    const hadRound = load.cases.filter((c) => c.path === 'resubmit' || c.path === 'lapse');
    await inTransaction(pool, async (tx) => {
      for (const c of hadRound)
        await enqueueMessage(tx, {
          name: RESUBMITTED,
          correlationKey: c.id!,
          messageId: `late:${c.id}`,
          variables: {},
        });
    });
    f.stack.outbox.kick();
    const late = await eventually(
      async () => {
        const { rows } = await query(
          `SELECT id::text AS id, status, drop_reason AS reason FROM engine_outbox WHERE message_id LIKE 'late:%'`,
        );
        return rows.length === hadRound.length &&
          rows.every((r: { status: string }) => r.status !== 'pending')
          ? (rows as { id: string; status: string; reason: string }[])
          : undefined;
      },
      120_000,
      500,
    );
    const redeliveries = await eventually(
      async () => {
        const { rows } = await query(
          `SELECT id::text AS id, status, drop_reason AS reason FROM engine_outbox WHERE message_id LIKE 'redelivery:%'`,
        );
        return rows.every((r: { status: string }) => r.status !== 'pending')
          ? (rows as { id: string; status: string; reason: string }[])
          : undefined;
      },
      60_000,
      500,
    );
    const { rows: earlyCount } = await query(
      `SELECT count(*)::int AS n FROM engine_outbox
        WHERE message_name = $1 AND message_id NOT LIKE 'redelivery:%' AND message_id NOT LIKE 'late:%'
          AND status = 'published' AND attempts > 1`,
      [RESUBMITTED],
    );
    const result = await outcomeOf(
      'duplicate, early and late messages',
      load,
      query,
      f.sms,
      f.smtp,
    );
    // the second round of a resubmitted case: one, however often it was sent
    const { rows: rounds } = await query(
      `SELECT count(*)::int AS n FROM discrepancy_round
        WHERE application_id = ANY($1::uuid[]) AND resubmitted_at IS NOT NULL`,
      [load.cases.filter((c) => c.path === 'resubmit').map((c) => c.id)],
    );
    const resubmitCases = load.cases.filter((c) => c.path === 'resubmit').length;
    printTally({
      ...result.tally,
      duplicated: result.tally.duplicated + load.doubleAccepted,
      detail: `decisions and resubmissions each sent twice, ${load.doubleAccepted} pairs taken twice; ${early.size} resubmissions forced early (held before the wait, refused by the engine, then correlated), ${earlyCount[0].n} delivered after a retry; ${redeliveries.length} redeliveries and ${late.length} late messages dropped; ${result.tally.detail}`,
    });
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    expect(load.doubleAccepted).toBe(0);
    expect(rounds[0].n).toBe(resubmitCases);
    // every resubmission the portal queued reached its process, early or not (an early one waits
    // in the outbox with backoff; engine-messages.test.ts forces that case one message at a time)
    const { rows: portalResubmissions } = await query(
      `SELECT status, count(*)::int AS n FROM engine_outbox
        WHERE message_name = $1 AND message_id LIKE $2 GROUP BY status`,
      [RESUBMITTED, `${RESUBMITTED}:%`],
    );
    expect(portalResubmissions).toEqual([{ status: 'published', n: resubmitCases }]);
    expect(redeliveries).toHaveLength(resubmitCases);
    for (const r of redeliveries) {
      expect(r).toMatchObject({
        status: 'dropped',
        reason: expect.stringMatching(/deadline passed|late/),
      });
      expect(dropLogs(r.id)).toBe(1);
    }
    for (const r of late) {
      expect(r).toMatchObject({ status: 'dropped', reason: expect.stringMatching(/^late/) });
      expect(dropLogs(r.id)).toBe(1);
    }

    // early, forced: every resubmission path's resubmission reached the engine before its process
    // waited, and was correlated exactly once when it arrived
    expect(early.size).toBe(resubmitCases);
    expect(early.size).toBeGreaterThanOrEqual(Math.min(20, resubmitCases));
    for (const [id, e] of early) {
      expect(e.lastError).toMatch(/no instance waits for application-resubmitted yet/);
      const { rows } = await query(
        `SELECT status, attempts FROM engine_outbox WHERE message_name = $1 AND message_id LIKE $2`,
        [RESUBMITTED, `${RESUBMITTED}:${id}:%`],
      );
      expect(rows).toEqual([{ status: 'published', attempts: expect.any(Number) }]);
      expect(rows[0].attempts).toBeGreaterThan(e.attempts);
    }
    const recorded = ok(
      await f.stack.engine.rest.GET('/history/activity-instance/count', {
        params: { query: { activityId: 'record-resubmission-task' } },
      }),
    );
    expect(recorded.count).toBe(resubmitCases);

    // registry events: one case per event however often delivered, none from a late one
    const registryTally = await registryOutcome(registry.cases);
    printTally(registryTally.tally);
    expect(registryTally.problems).toEqual([]);
    expect(registryTally.tally).toMatchObject({ completed: R, lost: 0, duplicated: 0 });
  }, 900_000);
});

/** What the registry events came to, from the database, the engine and the log. */
async function registryOutcome(cases: RegistryEventLoad['cases']) {
  const pool = f.stack.db.pool;
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const caseIds = cases.filter((c) => c.caseId).map((c) => c.caseId!);
  // the redelivered start messages: taken (the instance exists in history), nothing started
  const redelivered = await eventually(
    async () => {
      const { rows } = await pool.query(
        `SELECT id::text AS id, status FROM engine_outbox WHERE message_name = $1 AND message_id LIKE '%:redelivery:%'`,
        [GROUND],
      );
      return rows.length === caseIds.length && rows.every((r) => r.status !== 'pending')
        ? (rows as { id: string; status: string }[])
        : undefined;
    },
    120_000,
    500,
  );
  const started = f.logs.lines
    .map((l) => JSON.parse(l) as { msg?: string; outboxId?: string; process?: string })
    .filter((r) => r.msg === 'process started by message' && r.process === 'waitlist-slot-seizure');
  for (const r of redelivered) {
    if (r.status !== 'published') problems.push(`redelivery ${r.id}: ${r.status}`);
    if (started.some((s) => s.outboxId === r.id)) {
      duplicated++;
      problems.push(`redelivery ${r.id} started an instance`);
    }
  }
  for (const c of cases) {
    const where = `registry case ${c.index}`;
    if (c.problem || !c.caseId || !c.ended) {
      lost++;
      problems.push(`${where}: ${c.problem ?? 'not ended'}`);
      continue;
    }
    if (JSON.stringify(c.firstPair) !== '[200,201]' || !c.sameResult)
      problems.push(`${where}: event twice answered ${JSON.stringify(c.firstPair)}`);
    if (JSON.stringify(c.decisionPair) !== '[200,409]')
      problems.push(`${where}: decision twice answered ${JSON.stringify(c.decisionPair)}`);
    if (c.lateRepeat?.status !== 200 || !c.lateRepeat.sameResult)
      problems.push(`${where}: the event after the end answered ${JSON.stringify(c.lateRepeat)}`);
    if (
      c.lateOther?.status !== 201 ||
      c.lateOther.matchedEntries !== 0 ||
      c.lateOther.casesOpened !== 0
    )
      problems.push(`${where}: a new event after the end answered ${JSON.stringify(c.lateOther)}`);
    const { rows } = await pool.query(
      `SELECT (SELECT count(*)::int FROM waitlist_case WHERE entry_id::text = $1::text) AS cases,
              (SELECT count(*)::int FROM decision WHERE case_id::text = $2::text) AS decisions,
              (SELECT count(*)::int FROM audit_event WHERE case_id::text = $2::text AND action = 'seizure-case-opened') AS opened,
              (SELECT count(*)::int FROM notice_outbox WHERE case_id::text = $2::text AND template = 'waitlist-removal-decided') AS notices,
              (SELECT count(*)::int FROM notice_outbox WHERE case_id::text = $2::text AND template = 'waitlist-removal-decided' AND status = 'sent') AS sent,
              (SELECT count(*)::int FROM engine_outbox WHERE message_name = $3 AND correlation_key = $2::text AND status = 'published') AS messages,
              (SELECT status FROM waitlist_entry WHERE id::text = $1::text) AS entry`,
      [c.entryId, c.caseId, GROUND],
    );
    const got = rows[0] as Record<string, number | string>;
    const want = {
      cases: 1,
      decisions: 1,
      opened: 1,
      notices: 1,
      sent: 1,
      messages: 2,
      entry: 'removed',
    };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(`${where}: ${JSON.stringify(got)}`);
      for (const k of ['cases', 'decisions', 'opened', 'notices'] as const)
        if ((got[k] as number) > 1) duplicated++;
      if ((got.sent as number) < 1) lost++;
    }
    const { rows: original } = await pool.query(
      `SELECT id::text AS id FROM engine_outbox WHERE message_id = $1`,
      [`${GROUND}:${c.caseId}`],
    );
    const starts = started.filter((s) => s.outboxId === original[0]?.id).length;
    if (starts !== 1) problems.push(`${where}: started ${starts} times by its message`);
  }
  const instances = ok(
    await f.stack.engine.rest.GET('/history/process-instance/count', {
      params: { query: { processDefinitionKey: 'waitlist-slot-seizure' } },
    }),
  );
  if (instances.count !== caseIds.length) {
    problems.push(`${instances.count} seizure instances for ${caseIds.length} cases`);
    duplicated += Math.max(0, (instances.count ?? 0) - caseIds.length);
  }
  const { rows: events } = await pool.query(
    `SELECT (SELECT count(*)::int FROM registry_event WHERE event_id LIKE '%:load:%') AS events,
            (SELECT count(*)::int FROM registry_event_match m JOIN registry_event e USING (event_id)
              WHERE e.event_id LIKE '%:load:%') AS matches`,
  );
  if (events[0].events !== 2 * cases.length || events[0].matches !== cases.length)
    problems.push(`registry events stored ${JSON.stringify(events[0])}`);
  const ended = cases.filter((c) => c.ended).length;
  return {
    problems,
    tally: {
      fault: 'registry events twice, and again after the case ended',
      inFlight: cases.length,
      completed: ended,
      lost,
      duplicated,
      detail: `each event sent twice at once (answers ${countOf(cases.map((c) => JSON.stringify(c.firstPair)))}), each removal decided twice at once (answers ${countOf(cases.map((c) => JSON.stringify(c.decisionPair)))}); after the end: the same event ${countOf(cases.map((c) => String(c.lateRepeat?.status)))}, a new event ${countOf(cases.map((c) => String(c.lateOther?.status)))} matching no entry, ${redelivered.length} start messages redelivered, ${started.length} instances started`,
    },
  };
}

const countOf = (xs: string[]) =>
  JSON.stringify(
    Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length])),
  );
