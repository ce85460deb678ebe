import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Zeebe } from '@camunda8/sdk';
import { startWorkers, type WorkerHost } from '../../src/engine/worker-host.js';
import { createLogger } from '../../src/logger.js';
import { decide, openTaskOf, submitNew, waitForStatus } from '../support/applications.js';
import { as } from '../support/auth.js';
import { probeModel } from '../support/probe-models.js';
import { eventually, LogCapture, startTestStack, type TestStack } from '../support/stack.js';

const OPERATOR = as('operator-1');
const grant = {
  outcome: 'grant',
  legalGround: 'grant-cabinet',
  reason: 'Kateqoriya təsdiqləndi, sənədlər tamdır.',
};

let t: TestStack;
let zeebe: Zeebe.ZeebeGrpcClient;
let flaky: WorkerHost;
/** The flaky worker fails while this is true (its "registry" is down). */
let broken = true;

beforeAll(async () => {
  t = await startTestStack();
  await t.clock.reset();
  zeebe = t.stack.camunda.getZeebeGrpcApiClient();
  await zeebe.deployResource({
    process: Buffer.from(
      probeModel({ processId: 'op-probe-flaky', taskType: 'op-probe-flaky', retries: 1 }),
    ),
    name: 'op-probe-flaky.bpmn',
  });
  await zeebe.deployResource({
    process: Buffer.from(probeModel({ processId: 'op-probe-idle', taskType: 'op-probe-idle' })),
    name: 'op-probe-idle.bpmn',
  });
  await zeebe.deployResource({ process: Buffer.from(gatewayModel), name: 'op-probe-gate.bpmn' });
  flaky = await startWorkers(
    zeebe,
    [
      {
        taskType: 'op-probe-flaky',
        fetchVariables: [],
        handle: async () => {
          if (broken) throw new Error('registry unavailable (probe)');
          return { done: true };
        },
      },
    ],
    { pool: t.stack.db.pool, log: createLogger('info', new LogCapture()), now: () => new Date() },
    { jobTimeoutMs: 10_000, retryBackoffBaseMs: 200, pollIntervalMs: 500 },
  );
});
afterAll(async () => {
  await flaky?.stop(1000);
  await t?.clock.reset();
  await t?.stop();
});

/** start → exclusive gateway with one condition and no default flow → end. */
const gatewayModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d-gate" targetNamespace="http://test">
  <bpmn:process id="op-probe-gate" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="gate"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gate" />
    <bpmn:sequenceFlow id="f2" sourceRef="gate" targetRef="end">
      <bpmn:conditionExpression>=ok = true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>`;

async function op(path: string, init: { method?: string; body?: unknown } = {}) {
  return t.api(`/api/v1/operator${path}`, { ...init, headers: OPERATOR });
}

/** Waits for the one instance of a process serving a case to reach a state. */
async function instanceOf(caseId: string, process: string, state?: string, timeoutMs = 20_000) {
  return eventually(async () => {
    const res = await op(
      `/process-instances?q=${caseId}&process=${process}${state ? `&state=${state}` : ''}`,
    );
    return res.body.total === 1 ? res.body.items[0] : undefined;
  }, timeoutMs);
}

async function detail(key: string) {
  const res = await op(`/process-instances/${key}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function startProbe(processId: string, variables: Record<string, unknown> = {}) {
  const caseId = randomUUID();
  const { processInstanceKey } = await zeebe.createProcessInstance({
    bpmnProcessId: processId,
    variables: { caseId, caseType: 'probe', ...variables },
  });
  return { caseId, key: processInstanceKey };
}

async function activeIncidentOf(instanceKey: string) {
  return eventually(async () => {
    const res = await op(`/incidents?state=active&limit=100`);
    return res.body.items.find(
      (i: { processInstanceKey: string }) => i.processInstanceKey === instanceKey,
    );
  });
}

describe('operator console: process instances from the engine history', () => {
  let applicationId: string;
  let task: { taskId: string; dueAt: string };

  it('given a submitted application, when an operator searches by its id, then its review instance is active with the review task marked', async () => {
    let registrationNumber: number;
    ({ id: applicationId, registrationNumber } = await submitNew(t, '7OC0001'));
    task = await openTaskOf(t, applicationId);
    const { rows } = await t.stack.db.pool.query(
      'SELECT element_id FROM review_task WHERE task_id = $1',
      [task.taskId],
    );
    const userTask = rows[0].element_id as string;

    const found = await instanceOf(applicationId, 'application-review', 'active');
    expect(found).toEqual(
      expect.objectContaining({
        bpmnProcessId: 'application-review',
        state: 'active',
        caseType: 'application',
        caseId: applicationId,
        endedAt: null,
        incidentCount: 0,
      }),
    );
    const view = await eventually(async () => {
      const d = await detail(found.key);
      return d.elements.some(
        (e: { elementId: string; active: number }) => e.elementId === userTask && e.active === 1,
      )
        ? d
        : undefined;
    });
    expect(view.instance.key).toBe(found.key);
    expect(view.variables).toEqual(
      expect.arrayContaining([{ name: 'caseId', value: applicationId, scopeKey: found.key }]),
    );
    expect(view.deadlines).toEqual([
      expect.objectContaining({
        jobKey: task.taskId,
        elementId: userTask,
        dueAt: new Date(task.dueAt).toISOString(),
        citation: expect.any(String),
      }),
    ]);
    const byNumber = await op(
      `/process-instances?q=${registrationNumber}&process=application-review`,
    );
    expect(byNumber.body.items.map((i: { key: string }) => i.key)).toEqual([found.key]);
    const byKey = await op(`/process-instances?q=${found.key}`);
    expect(byKey.body.items.map((i: { key: string }) => i.key)).toEqual([found.key]);
    // the draft process of the same application is found by the same id
    const all = await op(`/process-instances?q=${applicationId}`);
    expect(all.body.items.map((i: { bpmnProcessId: string }) => i.bpmnProcessId)).toEqual(
      expect.arrayContaining(['application-review', 'application-draft']),
    );
  });

  it('given the decision, then the instance is completed and its history lists every step with times', async () => {
    expect((await decide(t, task.taskId, grant)).status).toBe(200);
    await waitForStatus(t, applicationId, 'approved');
    const done = await instanceOf(applicationId, 'application-review', 'completed');
    expect(done.endedAt).not.toBeNull();
    const view = await detail(done.key);
    expect(view.deadlines).toEqual([]);
    expect(view.history.length).toBeGreaterThan(5);
    for (const step of view.history) {
      expect(step.state).not.toBe('active');
      expect(new Date(step.endedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(step.startedAt).getTime(),
      );
    }
    expect(view.history.map((s: { elementType: string }) => s.elementType)).toEqual(
      expect.arrayContaining(['START_EVENT', 'SERVICE_TASK', 'USER_TASK', 'END_EVENT']),
    );
    const active = await op(
      `/process-instances?q=${applicationId}&process=application-review&state=active`,
    );
    expect(active.body.total).toBe(0);
  });

  it('given an instance is cancelled, then it is found as cancelled and its waiting task as terminated', async () => {
    const { caseId, key } = await startProbe('op-probe-idle');
    await instanceOf(caseId, 'op-probe-idle', 'active');
    await zeebe.cancelProcessInstance(key);
    const cancelled = await instanceOf(caseId, 'op-probe-idle', 'cancelled');
    expect(cancelled.key).toBe(key);
    const view = await detail(key);
    expect(view.elements).toEqual(
      expect.arrayContaining([
        { elementId: 'task', active: 0, completed: 0, terminated: 1, incidents: 0 },
      ]),
    );
  });

  it('given the deployed models, then each version is listed with instance counts and its XML', async () => {
    const res = await op('/process-definitions');
    expect(res.status).toBe(200);
    const idle = res.body.processes.find(
      (p: { bpmnProcessId: string }) => p.bpmnProcessId === 'op-probe-idle',
    );
    expect(idle.versions[0].instances).toEqual(
      expect.objectContaining({ cancelled: 1, active: 0 }),
    );
    const review = res.body.processes.find(
      (p: { bpmnProcessId: string }) => p.bpmnProcessId === 'application-review',
    );
    expect(review.versions[0].resourceName).toBe('application-review.bpmn');
    const xml = await op(`/process-definitions/${review.versions[0].key}/xml`);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(xml.body).toContain('id="application-review"');
  });
});

describe('operator console: incidents', () => {
  it('given a worker failing with no retries left, then the incident is listed with its message and the instance is in incident with the element marked; a retry after the fix completes it', async () => {
    broken = true;
    const { caseId, key } = await startProbe('op-probe-flaky');
    const incident = await activeIncidentOf(key);
    expect(incident).toEqual(
      expect.objectContaining({
        bpmnProcessId: 'op-probe-flaky',
        elementId: 'task',
        errorType: 'JOB_NO_RETRIES',
        errorMessage: expect.stringContaining('registry unavailable (probe)'),
        jobKey: expect.stringMatching(/^\d+$/),
        caseId,
      }),
    );
    const inIncident = await instanceOf(caseId, 'op-probe-flaky', 'incident');
    expect(inIncident).toEqual(expect.objectContaining({ state: 'incident', incidentCount: 1 }));
    const view = await detail(key);
    expect(view.elements).toEqual(
      expect.arrayContaining([
        { elementId: 'task', active: 1, completed: 0, terminated: 0, incidents: 1 },
      ]),
    );
    expect(view.incidents).toEqual([
      expect.objectContaining({ key: incident.key, state: 'active' }),
    ]);

    broken = false; // the cause is fixed
    const retried = await op(`/incidents/${incident.key}/retry`, { body: { retries: 2 } });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ key: incident.key, status: 'retried' });
    await instanceOf(caseId, 'op-probe-flaky', 'completed');
    const resolved = await eventually(async () => {
      const res = await op(`/incidents?state=resolved&process=op-probe-flaky`);
      return res.body.items.find((i: { key: string }) => i.key === incident.key);
    });
    expect(resolved.resolvedAt).not.toBeNull();
    const again = await op(`/incidents/${incident.key}/retry`, { body: { retries: 2 } });
    expect(again.status).toBe(409);

    const { rows } = await t.stack.db.pool.query(
      `SELECT actor, after FROM audit_event WHERE case_id = $1 AND action = 'incident-retried'`,
      [caseId],
    );
    expect(rows).toEqual([
      {
        actor: 'operator-1',
        after: expect.objectContaining({
          incidentKey: incident.key,
          retries: 2,
          processInstanceKey: key,
        }),
      },
    ]);
  });

  it('given several incidents, when an operator retries them in one batch, then each key has its result and the instances complete', async () => {
    broken = true;
    const a = await startProbe('op-probe-flaky');
    const b = await startProbe('op-probe-flaky');
    const [ia, ib] = [await activeIncidentOf(a.key), await activeIncidentOf(b.key)];
    broken = false;
    const res = await op('/incidents/retry', {
      body: { keys: [ia.key, ib.key, '4503599627370495'], retries: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { key: ia.key, status: 'retried' },
      { key: ib.key, status: 'retried' },
      expect.objectContaining({ key: '4503599627370495', status: 'not-found' }),
    ]);
    await instanceOf(a.caseId, 'op-probe-flaky', 'completed');
    await instanceOf(b.caseId, 'op-probe-flaky', 'completed');
  });

  it('given an incident that is not a job failure, when the data is fixed and the operator resolves it, then the instance goes on', async () => {
    const { caseId, key } = await startProbe('op-probe-gate');
    const incident = await activeIncidentOf(key);
    expect(incident).toEqual(
      expect.objectContaining({ elementId: 'gate', jobKey: null, errorType: 'CONDITION_ERROR' }),
    );
    await zeebe.setVariables({ elementInstanceKey: key, variables: { ok: true }, local: false });
    const res = await op(`/incidents/${incident.key}/resolve`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ key: incident.key, status: 'resolved' });
    await instanceOf(caseId, 'op-probe-gate', 'completed');
    const { rows } = await t.stack.db.pool.query(
      `SELECT actor FROM audit_event WHERE case_id = $1 AND action = 'incident-resolved'`,
      [caseId],
    );
    expect(rows).toEqual([{ actor: 'operator-1' }]);
  });
});

describe('operator console: nothing lost', () => {
  it('given the intake unreachable for a while, when the engine works meanwhile, then the exporter sends it all once it is back', async () => {
    const relay = process.env.TEST_HISTORY_RELAY_URL!;
    const pause = (on: boolean) =>
      fetch(`${relay}/${on ? 'pause' : 'resume'}`, { method: 'POST' }).then((r) => r.status);
    expect(await pause(true)).toBe(204);
    const caseId = randomUUID();
    let key: string;
    try {
      broken = false;
      // the engine runs the instance to its end while nothing reaches the app
      ({ processInstanceKey: key } = await zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'op-probe-flaky',
        variables: { caseId, caseType: 'probe' },
        requestTimeout: 20_000,
      }));
      await new Promise((r) => setTimeout(r, 1500));
      expect((await op(`/process-instances?q=${caseId}`)).body.total).toBe(0);
    } finally {
      await pause(false);
    }
    const done = await instanceOf(caseId, 'op-probe-flaky', 'completed', 45_000);
    expect(done.key).toBe(key);
    const view = await detail(key);
    expect(view.history.map((s: { elementId: string }) => s.elementId)).toEqual([
      'start',
      'task',
      'end',
    ]);
  });
});

describe('operator console: input, access and the intake', () => {
  it('given bad input, then 400 names the field; unknown keys are 404', async () => {
    const field = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await op(path, init);
      expect(res.status).toBe(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await field('/process-instances?state=paused')).toEqual(['state']);
    expect(await field('/process-instances?limit=500')).toEqual(['limit']);
    expect(await field('/process-instances?startedFrom=yesterday')).toEqual(['startedFrom']);
    expect(await field('/process-instances?version=x')).toEqual(['version']);
    expect(await field('/process-instances?colour=red')).toEqual(['query']);
    expect(await field('/process-instances/abc')).toEqual(['key']);
    expect(await field('/process-instances/99999999999999999999')).toEqual(['key']);
    expect(await field('/incidents?state=open')).toEqual(['state']);
    expect(await field('/incidents/2251799813685249/retry', { body: { retries: 0 } })).toEqual([
      'retries',
    ]);
    expect(await field('/incidents/2251799813685249/retry', { body: { retries: 11 } })).toEqual([
      'retries',
    ]);
    expect(await field('/incidents/retry', { body: { keys: [], retries: 1 } })).toEqual(['keys']);
    expect((await op('/process-instances/4503599627370495')).status).toBe(404);
    expect((await op('/process-definitions/4503599627370495/xml')).status).toBe(404);
    expect((await op('/incidents/4503599627370495/retry', { body: { retries: 1 } })).status).toBe(
      404,
    );
    const dated = await op('/process-instances?startedFrom=2020-01-01&startedTo=2020-12-31');
    expect(dated.body).toEqual({ total: 0, limit: 20, offset: 0, items: [] });
  });

  it('given a caller who is not an operator, then 401 or 403', async () => {
    expect((await t.api('/api/v1/operator/incidents', { anonymous: true })).status).toBe(401);
    expect((await t.api('/api/v1/operator/incidents', { headers: as('reviewer-1') })).status).toBe(
      403,
    );
    expect(
      (await t.api('/api/v1/operator/process-instances', { headers: as('admin-1') })).status,
    ).toBe(200);
  });

  it('given the intake, then it wants the broker’s token and is not in the public API document', async () => {
    const post = (headers: Record<string, string>) =>
      t.api('/internal/engine-history', { body: { partitionId: 1, records: [] }, headers });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    expect((await post(as('admin-1'))).status).toBe(401);
    const doc = await t.api('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/operator/process-instances',
        '/api/v1/operator/incidents/{key}/retry',
      ]),
    );
    expect(Object.keys(doc.body.paths).some((p) => p.startsWith('/internal'))).toBe(false);
  });

  it('given an exported batch posted twice (a crash before the acknowledgement), then the second changes nothing', async () => {
    // A partition the broker does not have, so the live stream is not disturbed; a key beyond
    // 2^53, as partitions after the third have.
    const instanceKey = '9007199254740993';
    const caseId = randomUUID();
    const at = Date.parse('2026-11-02T08:00:00Z');
    const common = {
      bpmnProcessId: 'op-probe-idle',
      version: 1,
      processDefinitionKey: 9007199254740901,
      processInstanceKey: instanceKey,
    };
    const raw = `{"partitionId": 99, "records": [
      {"position": 1, "key": 9007199254740995, "timestamp": ${at}, "recordType": "EVENT", "valueType": "VARIABLE", "intent": "CREATED",
       "value": {"name": "caseId", "value": ${JSON.stringify(JSON.stringify(caseId))}, "scopeKey": ${instanceKey}, "processInstanceKey": ${instanceKey}}},
      {"position": 2, "key": ${instanceKey}, "timestamp": ${at}, "recordType": "EVENT", "valueType": "PROCESS_INSTANCE", "intent": "ELEMENT_ACTIVATING",
       "value": ${JSON.stringify({ ...common, elementId: 'op-probe-idle', bpmnElementType: 'PROCESS', flowScopeKey: -1, parentProcessInstanceKey: -1, parentElementInstanceKey: -1 }).replace(`"${instanceKey}"`, instanceKey)}},
      {"position": 3, "key": 9007199254740997, "timestamp": ${at + 1000}, "recordType": "EVENT", "valueType": "PROCESS_INSTANCE", "intent": "ELEMENT_ACTIVATING",
       "value": ${JSON.stringify({ ...common, elementId: 'task', bpmnElementType: 'SERVICE_TASK', flowScopeKey: -1, parentProcessInstanceKey: -1, parentElementInstanceKey: -1 }).replace(`"${instanceKey}"`, instanceKey)}}
    ]}`;
    const send = () =>
      fetch(`${t.stack.apiUrl}/internal/engine-history`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${t.stack.historyToken}`,
        },
        body: raw,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await send()).toEqual({ status: 200, body: { applied: 3, skipped: 0 } });
    expect(await send()).toEqual({ status: 200, body: { applied: 0, skipped: 3 } });
    const counts = await t.stack.db.pool.query(
      `SELECT (SELECT count(*) FROM engine_process_instance WHERE key = $1)::int AS instances,
              (SELECT count(*) FROM engine_element_instance WHERE process_instance_key = $1)::int AS elements,
              (SELECT count(*) FROM engine_variable WHERE process_instance_key = $1)::int AS variables`,
      [instanceKey],
    );
    expect(counts.rows[0]).toEqual({ instances: 1, elements: 1, variables: 1 });
    const found = await op(`/process-instances?q=${caseId}`);
    expect(found.body.items).toEqual([
      expect.objectContaining({ key: instanceKey, caseId, state: 'active' }),
    ]);
    const view = await detail(instanceKey);
    expect(view.history).toEqual([
      expect.objectContaining({ key: '9007199254740997', elementId: 'task', state: 'active' }),
    ]);
  });
});
