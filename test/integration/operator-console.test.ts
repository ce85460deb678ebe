import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deployModels } from '../../src/engine/models.js';
import { ok } from '../../src/engine/rest.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createLogger } from '../../src/logger.js';
import { startEngineApp, type EngineApp } from '../support/engine-app.js';
import { eventually } from '../support/eventually.js';

// The operator console against a real Operaton engine on this file's own database: instances,
// their history, variables, deadlines and incidents are read from the engine; retries and
// resolutions go through it.

let t: EngineApp;
const HTTL = 'camunda:historyTimeToLive="P30D"';
const NS = `xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://test"`;

/** start → review (user task: group and due date from variables) → end */
const reviewModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d-review">
  <bpmn:process id="op-probe-review" name="Probe review" isExecutable="true" ${HTTL}>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" name="Review" camunda:candidateGroups="\${reviewGroup}" camunda:dueDate="\${reviewDueAt}">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** start → external task (topic op-probe-flaky) → end */
const flakyModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d-flaky">
  <bpmn:process id="op-probe-flaky" isExecutable="true" ${HTTL}>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="call-registry" camunda:type="external" camunda:topic="op-probe-flaky">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call-registry" />
    <bpmn:sequenceFlow id="f2" sourceRef="call-registry" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** start → (async) expression step reading variable `ok` → end: a failed job until `ok` exists */
const asyncModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d-async">
  <bpmn:process id="op-probe-async" isExecutable="true" ${HTTL}>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="check" camunda:asyncBefore="true" camunda:expression="\${ok}">
      <bpmn:extensionElements>
        <camunda:failedJobRetryTimeCycle>R1/PT0S</camunda:failedJobRetryTimeCycle>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const WORKER = 'op-console-test';

beforeAll(async () => {
  t = await startEngineApp();
  await deployModels({ rest: t.engine.rest, pool: t.pool, log: createLogger('silent') }, [
    { file: 'op-probe-review.bpmn', xml: reviewModel, processIds: ['op-probe-review'] },
    { file: 'op-probe-flaky.bpmn', xml: flakyModel, processIds: ['op-probe-flaky'] },
    { file: 'op-probe-async.bpmn', xml: asyncModel, processIds: ['op-probe-async'] },
  ]);
});
afterAll(async () => {
  await t?.stop();
});

async function op(path: string, init: { method?: string; body?: unknown; as?: string } = {}) {
  return t.api(`/api/v1/operator${path}`, init);
}

async function start(
  processId: string,
  variables: Record<string, unknown> = {},
  businessKey?: string,
) {
  const caseId = randomUUID();
  const started = ok(
    await t.engine.rest.POST('/process-definition/key/{key}/start', {
      params: { path: { key: processId } },
      body: {
        // the case number; here the case id unless given (workers below lock by it)
        businessKey: businessKey ?? caseId,
        variables: toEngineVariables({ caseId, caseType: 'application', ...variables }),
      },
    }),
  );
  return { caseId, id: started.id! };
}

async function detail(id: string) {
  const res = await op(`/process-instances/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Locks the instance's external task and fails it with no retries left: an incident. */
async function failExternalTask(p: { id: string; caseId: string }, message: string) {
  const processInstanceId = p.id;
  const locked = await eventually(async () => {
    const tasks = ok(
      await t.engine.rest.POST('/external-task/fetchAndLock', {
        body: {
          workerId: WORKER,
          maxTasks: 10,
          topics: [
            {
              topicName: 'op-probe-flaky',
              lockDuration: 60_000,
              businessKey: p.caseId,
              localVariables: false,
              withoutTenantId: false,
              deserializeValues: false,
              includeExtensionProperties: false,
            },
          ],
        },
      }),
    );
    return tasks.find((x) => x.processInstanceId === processInstanceId);
  });
  ok(
    await t.engine.rest.POST('/external-task/{id}/failure', {
      params: { path: { id: locked.id! } },
      body: {
        workerId: WORKER,
        errorMessage: message,
        errorDetails: 'stack',
        retries: 0,
        retryTimeout: 0,
      },
    }),
  );
}

/** Completes the instance's external task (the "fixed" worker). */
async function completeExternalTask(p: { id: string; caseId: string }) {
  const processInstanceId = p.id;
  const locked = await eventually(async () => {
    const tasks = ok(
      await t.engine.rest.POST('/external-task/fetchAndLock', {
        body: {
          workerId: WORKER,
          maxTasks: 10,
          topics: [
            {
              topicName: 'op-probe-flaky',
              lockDuration: 60_000,
              businessKey: p.caseId,
              localVariables: false,
              withoutTenantId: false,
              deserializeValues: false,
              includeExtensionProperties: false,
            },
          ],
        },
      }),
    );
    return tasks.find((x) => x.processInstanceId === processInstanceId);
  });
  ok(
    await t.engine.rest.POST('/external-task/{id}/complete', {
      params: { path: { id: locked.id! } },
      body: { workerId: WORKER },
    }),
  );
}

async function activeIncidentOf(processInstanceId: string) {
  return eventually(async () => {
    const res = await op(`/incidents?state=active&limit=100`);
    return res.body.items.find(
      (i: { processInstanceId: string }) => i.processInstanceId === processInstanceId,
    );
  }, 30_000);
}

describe('operator console: process instances from the engine', () => {
  const businessKey = `R-${Date.now()}`;
  let probe: { caseId: string; id: string };

  it('given a running review, when an operator searches by its case number, its case id or its id, then it is active with the review step marked, its variables, its deadline and a Cockpit link', async () => {
    const due = '2026-12-15T19:59:59.999Z';
    probe = await start(
      'op-probe-review',
      {
        reviewGroup: 'mida-reviewers',
        reviewDueAt: due,
        reviewDeadlineCitation: '§ 51.5',
        form: { rooms: 3 },
      },
      businessKey,
    );
    for (const q of [businessKey, probe.caseId, probe.id]) {
      const res = await op(`/process-instances?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items[0]).toMatchObject({
        id: probe.id,
        bpmnProcessId: 'op-probe-review',
        version: 1,
        businessKey,
        state: 'active',
        caseType: 'application',
        caseId: probe.caseId,
        parentId: null,
        incidentCount: 0,
        endedAt: null,
      });
    }
    const d = await detail(probe.id);
    expect(d.elements).toEqual(
      expect.arrayContaining([
        { elementId: 'start', active: 0, completed: 1, terminated: 0, incidents: 0 },
        { elementId: 'review', active: 1, completed: 0, terminated: 0, incidents: 0 },
      ]),
    );
    expect(
      d.history.map((h: { elementId: string; state: string }) => [h.elementId, h.state]),
    ).toEqual([
      ['start', 'completed'],
      ['review', 'active'],
    ]);
    expect(d.variables).toEqual(
      expect.arrayContaining([
        { name: 'caseId', value: probe.caseId, type: 'String', scope: null },
        { name: 'form', value: { rooms: 3 }, type: 'Object', scope: null },
      ]),
    );
    expect(d.deadlines).toEqual([
      expect.objectContaining({
        elementId: 'review',
        dueAt: due,
        citation: '§ 51.5',
        candidateGroups: ['mida-reviewers'],
        assignee: null,
      }),
    ]);
    expect(d.cockpitUrl).toBe(
      `${t.engine.webUrl}/operaton/app/cockpit/default/#/process-instance/${probe.id}`,
    );
    const xml = await op(`/process-definitions/${d.instance.processDefinitionId}/xml`);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toContain('application/xml');
    expect(xml.text).toContain('id="op-probe-review"');
  });

  it('given the review completed, then the instance is completed and its history lists every step with times; it is found by state and date', async () => {
    const [task] = ok(
      await t.engine.rest.GET('/task', { params: { query: { processInstanceId: probe.id } } }),
    );
    ok(
      await t.engine.rest.POST('/task/{id}/complete', {
        params: { path: { id: task!.id! } },
        body: { withVariablesInReturn: false },
      }),
    );
    const d = await detail(probe.id);
    expect(d.instance.state).toBe('completed');
    expect(d.instance.endedAt).toEqual(expect.any(String));
    expect(d.history.map((h: { elementId: string }) => h.elementId)).toEqual([
      'start',
      'review',
      'end',
    ]);
    for (const h of d.history) {
      expect(h.state).toBe('completed');
      expect(Date.parse(h.startedAt)).toBeLessThanOrEqual(Date.parse(h.endedAt));
    }
    expect(d.deadlines).toEqual([]);
    // variables of an ended instance are still there (history)
    expect(d.variables.map((v: { name: string }) => v.name)).toContain('caseId');
    const today = new Date().toISOString().slice(0, 10);
    const found = await op(
      `/process-instances?process=op-probe-review&version=1&state=completed&endedFrom=${today}&endedTo=${today}`,
    );
    expect(found.body.items.map((i: { id: string }) => i.id)).toContain(probe.id);
    const none = await op(`/process-instances?q=${businessKey}&state=active`);
    expect(none.body.total).toBe(0);
  });

  it('given an instance is cancelled, then it is found as cancelled and its waiting task as terminated', async () => {
    const p = await start('op-probe-review', { reviewGroup: 'mida-reviewers', reviewDueAt: null });
    ok(await t.engine.rest.DELETE('/process-instance/{id}', { params: { path: { id: p.id } } }));
    const res = await op(`/process-instances?q=${p.caseId}&state=cancelled`);
    expect(res.body.total).toBe(1);
    const d = await detail(p.id);
    expect(d.instance.state).toBe('cancelled');
    expect(d.history.find((h: { elementId: string }) => h.elementId === 'review').state).toBe(
      'terminated',
    );
    expect(d.elements.find((e: { elementId: string }) => e.elementId === 'review')).toMatchObject({
      active: 0,
      terminated: 1,
    });
  });

  it('given the deployed models, then each version is listed with instance counts per state, and per-element counts of a version', async () => {
    const res = await op('/process-definitions');
    expect(res.status).toBe(200);
    const review = res.body.processes.find(
      (p: { bpmnProcessId: string }) => p.bpmnProcessId === 'op-probe-review',
    );
    expect(review.name).toBe('Probe review');
    expect(review.versions).toHaveLength(1);
    expect(review.versions[0]).toMatchObject({
      version: 1,
      resourceName: 'op-probe-review.bpmn',
      deployedAt: expect.any(String),
      instances: { active: 0, incident: 0, completed: 1, cancelled: 1 },
    });
    const elements = await op(`/process-definitions/${review.versions[0].id}/elements`);
    expect(elements.status).toBe(200);
    expect(elements.body.elements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'review', active: 0, completed: 1, terminated: 1 }),
      ]),
    );
  });
});

describe('operator console: incidents', () => {
  it('given an external task failed with no retries left, then the incident is listed with its message, the instance is in incident with the element marked; a retry lets the worker complete it, audited', async () => {
    const p = await start('op-probe-flaky');
    await failExternalTask(p, 'registry unavailable (probe)');
    const incident = await activeIncidentOf(p.id);
    expect(incident).toMatchObject({
      bpmnProcessId: 'op-probe-flaky',
      elementId: 'call-registry',
      incidentType: 'failedExternalTask',
      errorMessage: 'registry unavailable (probe)',
      state: 'active',
    });
    const found = await op(`/process-instances?q=${p.caseId}&state=incident`);
    expect(found.body.items[0]).toMatchObject({ id: p.id, state: 'incident', incidentCount: 1 });
    expect((await op(`/process-instances?q=${p.caseId}&state=active`)).body.total).toBe(0);
    const d = await detail(p.id);
    expect(
      d.elements.find((e: { elementId: string }) => e.elementId === 'call-registry'),
    ).toMatchObject({
      active: 1,
      incidents: 1,
    });

    const retried = await op(`/incidents/${incident.id}/retry`, { body: { retries: 1 } });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ id: incident.id, status: 'retried' });
    expect((await op(`/incidents/${incident.id}/retry`, { body: { retries: 1 } })).status).toBe(
      409,
    );
    await completeExternalTask(p);
    expect((await detail(p.id)).instance.state).toBe('completed');
    const resolved = await op('/incidents?state=resolved&process=op-probe-flaky');
    expect(resolved.body.items.map((i: { id: string }) => i.id)).toContain(incident.id);
    const { rows } = await t.pool.query(
      `SELECT case_type, case_id, actor, action, after FROM audit_event WHERE action = 'incident-retried'`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        case_type: 'application',
        case_id: p.caseId,
        actor: 'operator-1',
        after: expect.objectContaining({
          incidentId: incident.id,
          retries: 1,
          processInstanceId: p.id,
        }),
      }),
    ]);
  });

  it('given several incidents, when an operator retries them in one batch, then each id has its result', async () => {
    const a = await start('op-probe-flaky');
    const b = await start('op-probe-flaky');
    await failExternalTask(a, 'down (a)');
    await failExternalTask(b, 'down (b)');
    const ia = await activeIncidentOf(a.id);
    const ib = await activeIncidentOf(b.id);
    const res = await op('/incidents/retry', {
      body: { ids: [ia.id, ib.id, randomUUID()], retries: 2 },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ia.id, status: 'retried' },
      { id: ib.id, status: 'retried' },
      expect.objectContaining({ status: 'not-found' }),
    ]);
    await completeExternalTask(a);
    await completeExternalTask(b);
  });

  it('given a failed job (an expression that cannot be evaluated), when the data is fixed and the operator retries, then the instance goes on; "resolve" is refused for a failed job', async () => {
    const p = await start('op-probe-async');
    const incident = await activeIncidentOf(p.id);
    expect(incident).toMatchObject({ incidentType: 'failedJob', elementId: 'check' });
    const refused = await op(`/incidents/${incident.id}/resolve`, { method: 'POST' });
    expect(refused.status).toBe(422);
    ok(
      await t.engine.rest.PUT('/process-instance/{id}/variables/{varName}', {
        params: { path: { id: p.id, varName: 'ok' } },
        body: { value: true, type: 'Boolean' },
      }),
    );
    expect((await op(`/incidents/${incident.id}/retry`, { body: { retries: 1 } })).status).toBe(
      200,
    );
    await eventually(async () => (await detail(p.id)).instance.state === 'completed', 30_000);
  });

  it('given a custom incident, when the operator resolves it, then it is resolved and audited', async () => {
    const p = await start('op-probe-review', { reviewGroup: 'g', reviewDueAt: null });
    const [execution] = ok(
      await t.engine.rest.GET('/execution', { params: { query: { processInstanceId: p.id } } }),
    );
    ok(
      await t.engine.rest.POST('/execution/{id}/create-incident', {
        params: { path: { id: execution!.id! } },
        body: { incidentType: 'data-check', configuration: 'cfg', message: 'address missing' },
      }),
    );
    const incident = await activeIncidentOf(p.id);
    expect(incident).toMatchObject({ incidentType: 'data-check', errorMessage: 'address missing' });
    const res = await op(`/incidents/${incident.id}/resolve`, { method: 'POST' });
    expect(res.body).toEqual({ id: incident.id, status: 'resolved' });
    expect((await detail(p.id)).instance.state).toBe('active');
    const { rows } = await t.pool.query(
      `SELECT case_id FROM audit_event WHERE action = 'incident-resolved'`,
    );
    expect(rows).toEqual([{ case_id: p.caseId }]);
  });
});

describe('operator console: input and access', () => {
  it('given bad input, then 400 names the field; unknown ids are 404', async () => {
    const field = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await op(path, init);
      expect(res.status).toBe(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await field('/process-instances?state=paused')).toEqual(['state']);
    expect(await field('/process-instances?limit=500')).toEqual(['limit']);
    expect(await field('/process-instances?startedFrom=yesterday')).toEqual(['startedFrom']);
    expect(await field('/process-instances?version=x')).toEqual(['version']);
    expect(await field('/process-instances?version=2')).toEqual(['version']);
    // an unknown parameter is named itself (request shape, #14)
    expect(await field('/process-instances?colour=red')).toEqual(['colour']);
    expect(await field('/process-instances/a%20b')).toEqual(['id']);
    expect(await field('/incidents?state=open')).toEqual(['state']);
    expect(await field(`/incidents/${randomUUID()}/retry`, { body: { retries: 0 } })).toEqual([
      'retries',
    ]);
    expect(await field(`/incidents/${randomUUID()}/retry`, { body: { retries: 11 } })).toEqual([
      'retries',
    ]);
    expect(await field('/incidents/retry', { body: { ids: [], retries: 1 } })).toEqual(['ids']);
    expect((await op(`/process-instances/${randomUUID()}`)).status).toBe(404);
    expect((await op(`/process-definitions/${randomUUID()}/xml`)).status).toBe(404);
    expect((await op(`/process-definitions/${randomUUID()}/elements`)).status).toBe(404);
    expect((await op(`/incidents/${randomUUID()}/retry`, { body: { retries: 1 } })).status).toBe(
      404,
    );
    const dated = await op('/process-instances?startedFrom=2020-01-01&startedTo=2020-12-31');
    expect(dated.body).toEqual({ total: 0, limit: 20, offset: 0, items: [] });
  });

  it('given a caller who is not an operator, then 401 or 403', async () => {
    expect((await op('/incidents', { as: 'reviewer-1' })).status).toBe(403);
    expect((await t.api('/api/v1/operator/incidents', { anonymous: true })).status).toBe(401);
    expect((await op('/process-instances', { as: 'admin-1' })).status).toBe(200);
  });
});
