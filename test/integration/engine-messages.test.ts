import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inTransaction, type Pool } from '../../src/db/pool.js';
import {
  enqueueCancelInstance,
  enqueueMessage,
  enqueueTaskCompletion,
  type EngineMessage,
  type MessageCatalog,
  OutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../../src/engine/messages.js';
import { createEngineRest, ok } from '../../src/engine/rest.js';
import { createLogger } from '../../src/logger.js';
import type { TestDatabase } from '../support/database.js';
import {
  bpmn,
  deployModels,
  ended,
  eventually,
  LogCapture,
  migratedTestDatabase,
  startInstance,
  startTestEngine,
  type TestEngine,
} from '../support/test-engine.js';

let db: TestDatabase;
let pool: Pool;
let engine: TestEngine;
const logs = new LogCapture();
const log = createLogger('debug', logs);

const catalog: MessageCatalog = {
  'probe-go': { correlationVariable: 'caseId', starts: [], catches: ['msg-catch#wait-go'] },
  'probe-filed': { correlationVariable: null, starts: ['msg-start'], catches: [] },
  'probe-submitted': {
    correlationVariable: 'caseId',
    starts: ['msg-review'],
    catches: ['msg-draft#wait-submitted'],
  },
};

const flow = (id: string, from: string, to: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const messages = `
  <bpmn:message id="m-go" name="probe-go" />
  <bpmn:message id="m-filed" name="probe-filed" />
  <bpmn:message id="m-submitted" name="probe-submitted" />
  <bpmn:message id="m-close" name="probe-close" />`;

function dispatcher(opts: OutboxDispatcherOptions = {}, rest = engine.rest) {
  return new OutboxDispatcher(pool, rest, log, {
    catalog,
    retryBaseMs: 200,
    retryMaxMs: 1000,
    ...opts,
  });
}

const enqueue = (m: EngineMessage) => inTransaction(pool, (tx) => enqueueMessage(tx, m));

async function row(messageId: string) {
  const { rows } = await pool.query(
    `SELECT status, attempts, last_error, drop_reason, started_instance_id, correlated_at, published_at,
            locked_until, next_attempt_at <= now() AS due
       FROM engine_outbox WHERE message_id = $1`,
    [messageId],
  );
  return rows[0];
}

/** Dispatches until the row is due no more and has left 'pending' (or attempts reach n). */
async function dispatchUntil(d: OutboxDispatcher, messageId: string, pred: (r: any) => boolean) {
  return eventually(
    async () => {
      await d.dispatch();
      const r = await row(messageId);
      return pred(r) && r;
    },
    20_000,
    100,
  );
}

async function instances(processDefinitionKey: string, businessKey: string) {
  return ok(
    await engine.rest.GET('/history/process-instance', {
      params: { query: { processDefinitionKey, processInstanceBusinessKey: businessKey } },
    }),
  );
}

/** The simulated crash: the engine did the work, but the row's outcome was never recorded. */
async function forgetOutcome(messageId: string) {
  await pool.query(
    `UPDATE engine_outbox SET status = 'pending', published_at = NULL, started_instance_id = NULL,
            correlated_at = NULL, next_attempt_at = now() WHERE message_id = $1`,
    [messageId],
  );
}

beforeAll(async () => {
  ({ db, pool } = await migratedTestDatabase());
  engine = await startTestEngine(db.url);
  await deployModels(engine.rest, {
    'msg-catch.bpmn': bpmn(
      'msg-catch',
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'wait-go')}
       <bpmn:intermediateCatchEvent id="wait-go"><bpmn:messageEventDefinition messageRef="m-go" /></bpmn:intermediateCatchEvent>
       ${flow('f2', 'wait-go', 'done')}<bpmn:endEvent id="done" />`,
      messages,
    ),
    'msg-start.bpmn': bpmn(
      'msg-start',
      `<bpmn:startEvent id="filed"><bpmn:messageEventDefinition messageRef="m-filed" /></bpmn:startEvent>
       ${flow('f1', 'filed', 'done')}<bpmn:endEvent id="done" />`,
      messages,
    ),
    'msg-draft.bpmn': bpmn(
      'msg-draft',
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'wait-submitted')}
       <bpmn:intermediateCatchEvent id="wait-submitted"><bpmn:messageEventDefinition messageRef="m-submitted" /></bpmn:intermediateCatchEvent>
       ${flow('f2', 'wait-submitted', 'done')}<bpmn:endEvent id="done" />`,
      messages,
    ),
    'msg-review.bpmn': bpmn(
      'msg-review',
      `<bpmn:startEvent id="registered"><bpmn:messageEventDefinition messageRef="m-submitted" /></bpmn:startEvent>
       ${flow('f1', 'registered', 'wait-close')}
       <bpmn:receiveTask id="wait-close" messageRef="m-close" />
       ${flow('f2', 'wait-close', 'done')}<bpmn:endEvent id="done" />`,
      messages,
    ),
  });
}, 180_000);

afterAll(async () => {
  await engine?.stop();
  await pool?.end();
  await db?.drop();
});

describe('engine outbox on Operaton', () => {
  it('given a message enqueued before its instance waits, when dispatched, then it is retried with backoff until it correlates', async () => {
    const caseId = randomUUID();
    const d = dispatcher();
    await enqueue({
      name: 'probe-go',
      correlationKey: caseId,
      messageId: `go:${caseId}`,
      variables: { go: { by: 'citizen' } },
    });
    await d.dispatch();
    expect(await row(`go:${caseId}`)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'no instance waits for probe-go yet',
      locked_until: null,
      due: false,
    });
    const id = await startInstance(engine.rest, 'msg-catch', { caseId });
    const r = await dispatchUntil(d, `go:${caseId}`, (x) => x.status !== 'pending');
    expect(r.status).toBe('published');
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    await eventually(() => ended(engine.rest, id));
    const v = ok(
      await engine.rest.GET('/history/variable-instance', {
        params: { query: { processInstanceId: id, variableName: 'go', deserializeValues: true } },
      }),
    );
    expect(v[0]?.value).toEqual({ by: 'citizen' });
  });

  it('given a start message whose instance was started but whose row was not marked (crash), when dispatched again, then no second instance starts', async () => {
    const caseId = randomUUID();
    const d = dispatcher();
    await enqueue({
      name: 'probe-filed',
      correlationKey: caseId,
      messageId: `filed:${caseId}`,
      variables: { caseId },
    });
    await dispatchUntil(d, `filed:${caseId}`, (x) => x.status === 'published');
    expect(await instances('msg-start', caseId)).toHaveLength(1); // already ended: history check
    await forgetOutcome(`filed:${caseId}`);
    await dispatchUntil(d, `filed:${caseId}`, (x) => x.status === 'published');
    expect(await instances('msg-start', caseId)).toHaveLength(1);
    // the same message enqueued twice (same id) is one row
    await enqueue({
      name: 'probe-filed',
      correlationKey: caseId,
      messageId: `filed:${caseId}`,
      variables: { caseId },
    });
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM engine_outbox WHERE message_id = $1`,
      [`filed:${caseId}`],
    );
    expect(rows[0].n).toBe(1);
  });

  it('given a message that starts one process and is caught by another, when dispatched (and replayed), then both happen once', async () => {
    const caseId = randomUUID();
    const d = dispatcher();
    const draft = await startInstance(engine.rest, 'msg-draft', { caseId }, caseId);
    await enqueue({
      name: 'probe-submitted',
      correlationKey: caseId,
      messageId: `sub:${caseId}`,
      variables: { caseId },
    });
    await dispatchUntil(d, `sub:${caseId}`, (x) => x.status === 'published');
    await eventually(() => ended(engine.rest, draft));
    const reviews = await instances('msg-review', caseId);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.endTime ?? null).toBeNull(); // running: the runtime check finds it
    await forgetOutcome(`sub:${caseId}`);
    await dispatchUntil(d, `sub:${caseId}`, (x) => x.status !== 'pending');
    expect(await instances('msg-review', caseId)).toHaveLength(1);
    expect(await instances('msg-draft', caseId)).toHaveLength(1);
  });

  it('given a start-and-catch message with no waiting instance, when retried, then the started process is not started again', async () => {
    const caseId = randomUUID();
    const d = dispatcher();
    await enqueue({
      name: 'probe-submitted',
      correlationKey: caseId,
      messageId: `sub2:${caseId}`,
      variables: { caseId },
    });
    await d.dispatch();
    const first = await row(`sub2:${caseId}`);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.started_instance_id).toEqual(expect.any(String));
    await eventually(async () => (await row(`sub2:${caseId}`)).due);
    await d.dispatch();
    expect((await row(`sub2:${caseId}`)).attempts).toBe(2);
    expect(await instances('msg-review', caseId)).toHaveLength(1);
  });

  it('given the case instance has ended, when a late message comes, then it is dropped at once and logged once', async () => {
    const caseId = randomUUID();
    const d = dispatcher();
    const id = await startInstance(engine.rest, 'msg-catch', { caseId });
    await enqueue({
      name: 'probe-go',
      correlationKey: caseId,
      messageId: `go1:${caseId}`,
      variables: {},
    });
    await dispatchUntil(d, `go1:${caseId}`, (x) => x.status === 'published');
    await eventually(() => ended(engine.rest, id));
    await enqueue({
      name: 'probe-go',
      correlationKey: caseId,
      messageId: `go2:${caseId}`,
      variables: {},
    });
    await d.dispatch();
    const r = await row(`go2:${caseId}`);
    expect(r).toMatchObject({ status: 'dropped', attempts: 1 });
    expect(r.drop_reason).toMatch(/^late: /);
    await d.dispatch();
    await d.dispatch();
    const outboxId = (
      await pool.query(`SELECT id::text FROM engine_outbox WHERE message_id = $1`, [
        `go2:${caseId}`,
      ])
    ).rows[0].id;
    const dropLines = logs.records.filter(
      (l) => l.outboxId === outboxId && l.msg === 'engine message dropped',
    );
    expect(dropLines).toHaveLength(1);
  });

  it('given a message no instance ever waits for, when its deadline passes, then it is dropped with a log line', async () => {
    const caseId = randomUUID();
    const d = dispatcher();
    await enqueue({
      name: 'probe-go',
      correlationKey: caseId,
      messageId: `go3:${caseId}`,
      variables: {},
      ttlMs: 500,
    });
    await d.dispatch();
    expect((await row(`go3:${caseId}`)).status).toBe('pending');
    const r = await dispatchUntil(d, `go3:${caseId}`, (x) => x.status !== 'pending');
    expect(r).toMatchObject({
      status: 'dropped',
      drop_reason: 'deadline passed: no instance waited for probe-go',
    });
  });

  it('given a completion of a task that is gone and a cancellation of an ended instance, when dispatched, then both count as done; a running instance is cancelled', async () => {
    const d = dispatcher();
    const caseId = randomUUID();
    const running = await startInstance(engine.rest, 'msg-catch', { caseId });
    await inTransaction(pool, async (tx) => {
      await enqueueTaskCompletion(tx, {
        taskId: randomUUID(),
        variables: { decision: { outcome: 'grant' } },
        commandId: `complete:${caseId}`,
      });
      await enqueueCancelInstance(tx, {
        processInstanceKey: running,
        commandId: `cancel:${caseId}`,
      });
    });
    await dispatchUntil(d, `cancel:${caseId}`, (x) => x.status === 'published');
    expect(await row(`complete:${caseId}`)).toMatchObject({
      status: 'published',
      last_error: 'task already completed or gone',
    });
    expect(await ended(engine.rest, running)).toBe(true);
    await inTransaction(pool, (tx) =>
      enqueueCancelInstance(tx, {
        processInstanceKey: running,
        commandId: `cancel-again:${caseId}`,
      }),
    );
    expect(
      await dispatchUntil(d, `cancel-again:${caseId}`, (x) => x.status !== 'pending'),
    ).toMatchObject({
      status: 'published',
      last_error: 'instance already ended',
    });
  });

  it('given an engine that does not answer, when a row is dispatched, then no database lock is held during the call', async () => {
    const sockets: net.Socket[] = [];
    const blackHole = net.createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    const port = (blackHole.address() as net.AddressInfo).port;
    const rest = createEngineRest({
      url: `http://127.0.0.1:${port}/engine-rest`,
      user: 'x',
      password: 'y',
    });
    const d = dispatcher({ requestTimeoutMs: 3000, dispatcherId: 'hung' }, rest);
    const caseId = randomUUID();
    await enqueue({
      name: 'probe-filed',
      correlationKey: caseId,
      messageId: `hung:${caseId}`,
      variables: {},
    });
    try {
      const running = d.dispatch();
      await eventually(async () => sockets.length > 0);
      // another session changes the row at once: no lock is held across the engine call
      const c = await pool.connect();
      try {
        await c.query(`SET lock_timeout = '500ms'`);
        await c.query(`UPDATE engine_outbox SET variables = variables WHERE message_id = $1`, [
          `hung:${caseId}`,
        ]);
        const idle = await c.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
        );
        expect(idle.rows[0].n).toBe(0);
      } finally {
        c.release();
      }
      // a second dispatcher skips the leased row
      await dispatcher({ dispatcherId: 'other' }).dispatch();
      const leased = await pool.query(
        `SELECT locked_by, attempts FROM engine_outbox WHERE message_id = $1`,
        [`hung:${caseId}`],
      );
      expect(leased.rows[0]).toEqual({ locked_by: 'hung', attempts: 0 });
      await running;
      expect(await row(`hung:${caseId}`)).toMatchObject({
        status: 'pending',
        attempts: 1,
        locked_until: null,
      });
    } finally {
      for (const s of sockets) s.destroy();
      blackHole.close();
    }
    // the engine is back: the row goes out
    await pool.query(`UPDATE engine_outbox SET next_attempt_at = now() WHERE message_id = $1`, [
      `hung:${caseId}`,
    ]);
    await dispatchUntil(dispatcher(), `hung:${caseId}`, (x) => x.status === 'published');
  });

  it('given two dispatchers side by side, when they dispatch the same rows, then each row is delivered once', async () => {
    const keys = Array.from({ length: 12 }, () => randomUUID());
    for (const k of keys)
      await enqueue({
        name: 'probe-filed',
        correlationKey: k,
        messageId: `pair:${k}`,
        variables: {},
      });
    const [a, b] = [
      dispatcher({ dispatcherId: 'a', batch: 5 }),
      dispatcher({ dispatcherId: 'b', batch: 5 }),
    ];
    await eventually(async () => {
      await Promise.all([a.dispatch(), b.dispatch()]);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM engine_outbox WHERE message_id LIKE 'pair:%' AND status = 'pending'`,
      );
      return rows[0].n === 0;
    });
    const { rows } = await pool.query(
      `SELECT max(attempts)::int AS max FROM engine_outbox WHERE message_id LIKE 'pair:%'`,
    );
    expect(rows[0].max).toBe(1);
    for (const k of keys) expect(await instances('msg-start', k)).toHaveLength(1);
  });

  it('logs no variable values', () => {
    expect(logs.text).not.toContain('citizen');
  });
});
