import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ok } from '../../src/engine/rest.js';
import { fromEngineVariables } from '../../src/engine/variables.js';
import { BpmnError, type WorkerDefinition } from '../../src/engine/worker.js';
import { startWorkers, type WorkerHost, type WorkerHostOptions } from '../../src/engine/workers.js';
import { createLogger } from '../../src/logger.js';
import type { Pool } from '../../src/db/pool.js';
import type { TestDatabase } from '../support/database.js';
import {
  bpmn,
  deployModels,
  ended,
  eventually,
  LogCapture,
  migratedTestDatabase,
  passed,
  startInstance,
  startTestEngine,
  type TestEngine,
} from '../support/test-engine.js';

let db: TestDatabase;
let pool: Pool;
let engine: TestEngine;
const hosts: WorkerHost[] = [];
const logs = new LogCapture();
const log = createLogger('debug', logs);

const serviceTask = (id: string, topic: string) =>
  `<bpmn:serviceTask id="${id}" camunda:type="external" camunda:topic="${topic}" />`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** start -> one external task -> end */
const oneTask = (processId: string, topic: string) =>
  bpmn(
    processId,
    `<bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}${serviceTask('work', topic)}
     ${flow('f2', 'work', 'done')}<bpmn:endEvent id="done" />`,
  );

function host(defs: WorkerDefinition[], opts: Partial<WorkerHostOptions> = {}): WorkerHost {
  const h = startWorkers(
    engine.rest,
    defs,
    { pool, log, now: () => new Date() },
    {
      lockDurationMs: 10_000,
      retryBackoffBaseMs: 200,
      asyncResponseTimeoutMs: 5_000,
      fetchBackoffMs: { min: 200, max: 1000 },
      ...opts,
    },
  );
  hosts.push(h);
  return h;
}

async function stopAll() {
  await Promise.all(hosts.splice(0).map((h) => h.stop(1000)));
}

beforeAll(async () => {
  ({ db, pool } = await migratedTestDatabase());
  engine = await startTestEngine(db.url);
  await deployModels(engine.rest, {
    'probe-complete.bpmn': bpmn(
      'probe-complete',
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}${serviceTask('work', 'probe-complete')}
       ${flow('f2', 'work', 'gw')}<bpmn:exclusiveGateway id="gw" default="f-other" />
       ${flow('f-grant', 'gw', 'granted', "${decision.outcome == 'grant' &amp;&amp; decision.items[1] == 'b' &amp;&amp; decision.count == 3}")}
       ${flow('f-other', 'gw', 'other')}
       <bpmn:endEvent id="granted" /><bpmn:endEvent id="other" />`,
    ),
    'probe-error.bpmn': bpmn(
      'probe-error',
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'check')}${serviceTask('check', 'probe-error')}
       ${flow('f2', 'check', 'eligible')}<bpmn:endEvent id="eligible" />
       <bpmn:boundaryEvent id="not-eligible" attachedToRef="check"><bpmn:errorEventDefinition errorRef="err-not-eligible" /></bpmn:boundaryEvent>
       ${flow('f3', 'not-eligible', 'refused')}<bpmn:endEvent id="refused" />`,
      `<bpmn:error id="err-not-eligible" name="not eligible" errorCode="NOT_ELIGIBLE" />`,
    ),
    'probe-fail.bpmn': oneTask('probe-fail', 'probe-fail'),
    'probe-badexpr.bpmn': bpmn(
      'probe-badexpr',
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}${serviceTask('work', 'probe-badexpr')}
       ${flow('f2', 'work', 'gw')}<bpmn:exclusiveGateway id="gw" default="f-other" />
       ${flow('f-x', 'gw', 'x', "${notSet.outcome == 'grant'}")}${flow('f-other', 'gw', 'other')}
       <bpmn:endEvent id="x" /><bpmn:endEvent id="other" />`,
    ),
    'probe-slow.bpmn': oneTask('probe-slow', 'probe-slow'),
    'probe-stuck.bpmn': oneTask('probe-stuck', 'probe-stuck'),
    'probe-resume.bpmn': oneTask('probe-resume', 'probe-resume'),
    'probe-latency.bpmn': oneTask('probe-latency', 'probe-latency'),
  });
}, 180_000);

afterAll(async () => {
  await stopAll();
  await engine?.stop();
  await pool?.end();
  await db?.drop();
});

describe('worker host on Operaton', () => {
  it('given a worker that returns an object, when an instance runs, then a JUEL condition reads it and the job context names the task', async () => {
    const seen: unknown[] = [];
    host([
      {
        taskType: 'probe-complete',
        fetchVariables: ['applicationId'],
        handle: async (job) => {
          seen.push(job);
          return {
            decision: { outcome: 'grant', items: ['a', 'b'], count: 3 },
            decidedAt: new Date(0),
          };
        },
      },
    ]);
    const id = await startInstance(engine.rest, 'probe-complete', {
      applicationId: 'app-1',
      secret: 'x',
    });
    await eventually(() => ended(engine.rest, id));
    expect(await passed(engine.rest, id)).toContain('granted');
    const job = seen[0] as Record<string, any>;
    expect(job).toMatchObject({
      processInstanceKey: id,
      bpmnProcessId: 'probe-complete',
      elementId: 'work',
      retries: 5,
      variables: { applicationId: 'app-1' }, // only the fetched variables
      headers: {},
    });
    expect(job.elementInstanceKey).toMatch(/^work:/);
    expect(Math.abs(job.engineTime.getTime() - Date.now())).toBeLessThan(30_000);
    const vars = ok(
      await engine.rest.GET('/history/variable-instance', {
        params: { query: { processInstanceId: id, deserializeValues: true } },
      }),
    );
    const byName = fromEngineVariables(
      Object.fromEntries(
        vars.map((v) => [v.name!, { value: v.value, type: v.type, valueInfo: v.valueInfo }]),
      ),
    );
    expect(byName.decision).toEqual({ outcome: 'grant', items: ['a', 'b'], count: 3 });
    expect(byName.decidedAt).toBe('1970-01-01T00:00:00.000Z');
    await stopAll();
  });

  it('given a worker that throws BpmnError, when an instance runs, then the boundary event catches it with its variables', async () => {
    host([
      {
        taskType: 'probe-error',
        fetchVariables: [],
        handle: async () => {
          throw new BpmnError('NOT_ELIGIBLE', 'income above the limit', {
            refusalGround: '53.1.2',
          });
        },
      },
    ]);
    const id = await startInstance(engine.rest, 'probe-error');
    await eventually(() => ended(engine.rest, id));
    expect(await passed(engine.rest, id)).toEqual(
      expect.arrayContaining(['not-eligible', 'refused']),
    );
    expect(await passed(engine.rest, id)).not.toContain('eligible');
    const v = ok(
      await engine.rest.GET('/history/variable-instance', {
        params: { query: { processInstanceId: id, variableName: 'refusalGround' } },
      }),
    );
    expect(v[0]?.value).toBe('53.1.2');
    await stopAll();
  });

  it('given a worker that always fails, when it runs out of retries, then an incident carries the readable message and the backoff grew', async () => {
    const attempts: number[] = [];
    host(
      [
        {
          taskType: 'probe-fail',
          fetchVariables: [],
          handle: async (job) => {
            attempts.push(Date.now());
            expect(job.retries).toBe(3 - (attempts.length - 1));
            throw new Error('registry unreachable');
          },
        },
      ],
      { defaultRetries: 3, retryBackoffBaseMs: 300 },
    );
    const id = await startInstance(engine.rest, 'probe-fail');
    const incidents = await eventually(async () => {
      const i = ok(
        await engine.rest.GET('/incident', { params: { query: { processInstanceId: id } } }),
      );
      return i.length > 0 && i;
    });
    expect(attempts).toHaveLength(3);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(280);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(580);
    expect(incidents[0]).toMatchObject({
      incidentType: 'failedExternalTask',
      activityId: 'work',
      incidentMessage: 'probe-fail failed: registry unreachable',
    });
    const [task] = ok(
      await engine.rest.GET('/external-task', { params: { query: { processInstanceId: id } } }),
    );
    const details = ok(
      await engine.rest.GET('/external-task/{id}/errorDetails', {
        params: { path: { id: task!.id! } },
        parseAs: 'text',
      }),
    );
    expect(String(details)).toMatch(/^Error\n\s+at /);
    expect(String(details)).not.toContain('registry unreachable');
    await stopAll();
  });

  it('given a completion the engine cannot continue from (a failing expression after the task), when reported, then it fails into an incident instead of coming back forever', async () => {
    let calls = 0;
    host(
      [{ taskType: 'probe-badexpr', fetchVariables: [], handle: async () => ({ n: ++calls }) }],
      { defaultRetries: 2, retryBackoffBaseMs: 100 },
    );
    const id = await startInstance(engine.rest, 'probe-badexpr');
    const incidents = await eventually(async () => {
      const i = ok(
        await engine.rest.GET('/incident', { params: { query: { processInstanceId: id } } }),
      );
      return i.length > 0 && i;
    });
    expect(calls).toBe(2);
    expect(incidents[0]!.incidentMessage).toMatch(
      /^probe-badexpr failed: the engine could not complete the task: engine 500/,
    );
    await stopAll();
  });

  it('given a handler slower than its lock, when it runs, then the lock is extended and no other worker gets the task', async () => {
    let calls = 0;
    const slow: WorkerDefinition = {
      taskType: 'probe-slow',
      fetchVariables: [],
      timeoutMs: 1500,
      handle: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 5000));
        return { slow: true };
      },
    };
    host([slow]);
    host([slow]); // a second worker on the same topic: it would take the task if the lock lapsed
    const id = await startInstance(engine.rest, 'probe-slow');
    await eventually(() => ended(engine.rest, id), 20_000);
    expect(calls).toBe(1);
    expect(logs.text).toContain('lock extended');
    await stopAll();
  });

  it('given a task in hand, when the host stops before it finishes, then the task is unlocked and another worker takes it at once', async () => {
    let release: () => void = () => undefined;
    const stuck = host([
      {
        taskType: 'probe-stuck',
        fetchVariables: [],
        timeoutMs: 120_000,
        handle: () => new Promise((r) => (release = () => r({}))),
      },
    ]);
    const id = await startInstance(engine.rest, 'probe-stuck');
    try {
      await eventually(async () => stuck.inFlight === 1);
      const t0 = Date.now();
      await stuck.stop(300);
      const [task] = ok(
        await engine.rest.GET('/external-task', { params: { query: { processInstanceId: id } } }),
      );
      expect(task?.workerId ?? null).toBeNull();
      expect(task?.lockExpirationTime ?? null).toBeNull();
      expect(logs.text).toContain('unfinished task unlocked');
      host([
        { taskType: 'probe-stuck', fetchVariables: [], handle: async () => ({ second: true }) },
      ]);
      await eventually(() => ended(engine.rest, id));
      expect(Date.now() - t0).toBeLessThan(20_000); // not the 120 s lock
    } finally {
      release();
      await stopAll();
    }
  });

  it('given the engine is killed (SIGKILL) and restarted, when a new instance starts, then the host has resumed by itself', async () => {
    let handled = 0;
    host([
      { taskType: 'probe-resume', fetchVariables: [], handle: async () => ({ n: ++handled }) },
    ]);
    const before = await startInstance(engine.rest, 'probe-resume');
    await eventually(() => ended(engine.rest, before));
    await engine.kill();
    await eventually(async () => logs.text.includes('fetching tasks failed; retrying'));
    await new Promise((r) => setTimeout(r, 1500));
    await engine.restart();
    const after = await startInstance(engine.rest, 'probe-resume');
    await eventually(() => ended(engine.rest, after), 30_000);
    expect(handled).toBe(2);
    expect(logs.text).toContain('fetching tasks again');
    await stopAll();
  }, 180_000);

  it('given a running host, when instances run one after another, then the end-to-end latency is low (figure printed)', async () => {
    host([{ taskType: 'probe-latency', fetchVariables: [], handle: async () => ({}) }]);
    // warm-up
    const w = await startInstance(engine.rest, 'probe-latency');
    await eventually(() => ended(engine.rest, w), 20_000, 5);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const id = await startInstance(engine.rest, 'probe-latency');
      await eventually(() => ended(engine.rest, id), 20_000, 5);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[15]!;
    const p90 = times[27]!;
    process.stderr.write(
      `worker host end-to-end (start -> external task -> end, 30 sequential): median ${median.toFixed(0)} ms, p90 ${p90.toFixed(0)} ms\n`,
    );
    // the figure depends on the machine's load; only a gross regression (polling) fails here
    expect(median).toBeLessThan(3000);
    await stopAll();
  });

  it('logs no variable values', () => {
    expect(logs.text).not.toContain('app-1');
    expect(logs.text).not.toContain('53.1.2');
  });
});
