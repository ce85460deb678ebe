import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkModel } from '../../src/engine/model-lint.js';
import { deployModels, filesNotSupersededByUploads } from '../../src/engine/models.js';
import { ok } from '../../src/engine/rest.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createLogger } from '../../src/logger.js';
import { analystModel } from '../support/analyst-models.js';
import { startEngineApp, type EngineApp } from '../support/engine-app.js';
import { LogCapture } from '../support/log-capture.js';

// The analyst view against a real Operaton engine on this file's own database.
let t: EngineApp;
const log = createLogger('silent');
const run = Date.now().toString(36);
const PROBE = `analyst-probe-${run}`;
// topics name real workers (the lint checks topic ↔ workers/<topic>.ts)
const v1 = analystModel({
  processId: PROBE,
  name: 'Analyst probe',
  tasks: [
    { id: 'check', name: 'Check documents', type: 'check-identity' },
    { id: 'notify', name: 'Notify', type: 'check-property' },
  ],
});

type Listed = {
  engineVersion: string;
  processes: {
    bpmnProcessId: string;
    name: string | null;
    versions: {
      version: number;
      definitionId: string;
      deployedBy: string | null;
      checksum: string;
      instances: { total: number; byState: Record<string, number> };
      lint: {
        errors: number;
        problems: { element: string; rule: string; severity: string }[];
      } | null;
    }[];
  }[];
};
const list = async () =>
  (await t.api('/api/v1/analyst/process-definitions', { as: 'analyst-1' })).body as Listed;
const versionsOf = async (id: string) =>
  (await list()).processes.find((p) => p.bpmnProcessId === id)?.versions ?? [];
const upload = (who: string, body: unknown) =>
  t.api('/api/v1/analyst/process-definitions', { as: who, body });
const deps = () => ({ rest: t.engine.rest, pool: t.pool, log });

beforeAll(async () => {
  t = await startEngineApp();
  // our probe process, deployed as at start-up, so it is "one of ours"
  const model = await checkModel(`${PROBE}.bpmn`, v1, t.engineVersion);
  expect(model.problems.filter((p) => p.severity === 'error')).toEqual([]);
  await deployModels(deps(), [model]);
});
afterAll(async () => {
  await t?.stop();
});

describe('analyst view: deployed process models', () => {
  it('given a model deployed at start, when an analyst lists them, then each process shows its versions, name and a clean lint result', async () => {
    const body = await list();
    const probe = body.processes.find((p) => p.bpmnProcessId === PROBE);
    expect(body.engineVersion).toBe('1.0.3');
    expect(probe?.name).toBe('Analyst probe');
    expect(probe?.versions).toEqual([
      expect.objectContaining({
        version: 1,
        definitionId: expect.stringContaining(`${PROBE}:1:`),
        checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        deployedBy: null,
        instances: { total: 0, byState: { active: 0, incident: 0, completed: 0, cancelled: 0 } },
        lint: expect.objectContaining({ errors: 0 }),
      }),
    ]);
  });

  it('given a deployed version with lint errors, when listed, then each problem names its element and rule', async () => {
    const id = `analyst-nodi-${run}`;
    // runs on the engine, but has no diagram and a topic without a worker
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://test">
  <bpmn:process id="${id}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="task" camunda:type="external" camunda:topic="no-such-worker"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
    await deployModels(deps(), [{ file: `${id}.bpmn`, xml, processIds: [id] }]);
    const [version] = await versionsOf(id);
    expect(version?.lint?.errors).toBeGreaterThan(0);
    expect(version?.lint?.problems).toContainEqual(
      expect.objectContaining({ element: 'task', severity: 'error' }),
    );
  });

  it('given a deployed version, when its XML is asked for, then the deployed XML is returned', async () => {
    const [version] = await versionsOf(PROBE);
    const res = await t.api(`/api/v1/analyst/process-definitions/${version!.definitionId}/xml`, {
      as: 'analyst-1',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    expect(res.text).toBe(v1);
  });

  it('given an id that is not an engine id, when its XML is asked for, then 400 names the id', async () => {
    const res = await t.api('/api/v1/analyst/process-definitions/a%20b/xml', { as: 'analyst-1' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('given an id that was never deployed, when its XML is asked for, then 404', async () => {
    const res = await t.api(`/api/v1/analyst/process-definitions/${randomUUID()}/xml`, {
      as: 'analyst-1',
    });
    expect(res.status).toBe(404);
  });

  it('given a model with a service task without a task type, when uploaded, then 422 names the element and rule and nothing is deployed', async () => {
    const before = await versionsOf(PROBE);
    const broken = analystModel({
      processId: PROBE,
      name: 'Analyst probe',
      tasks: [
        { id: 'check', name: 'Check documents', type: 'check-identity' },
        { id: 'register', name: 'Register' },
      ],
    });
    const res = await upload('analyst-1', { fileName: 'probe.bpmn', xml: broken });
    expect(res.status).toBe(422);
    expect(res.body.problems.length).toBeGreaterThan(0);
    for (const p of res.body.problems) expect(p).toMatchObject({ element: 'register' });
    expect(res.body.errors).toContainEqual({
      field: 'xml',
      message: expect.stringContaining('register: ['),
    });
    await expect(versionsOf(PROBE)).resolves.toEqual(before);
  });

  it('given a model that is not XML, when uploaded, then 422 names the parse rule', async () => {
    const res = await upload('analyst-1', { fileName: 'probe.bpmn', xml: 'not a model' });
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([
      expect.objectContaining({ element: '(document)', rule: 'xml-parse' }),
    ]);
  });

  it('given a changed valid model, when uploaded, then the next version is deployed, listed with the analyst and audited', async () => {
    const [latest] = await versionsOf(PROBE);
    const changed = analystModel({
      processId: PROBE,
      name: 'Analyst probe',
      tasks: [
        { id: 'check', name: 'Check all documents', type: 'check-identity' },
        { id: 'register', name: 'Register', type: 'check-property' },
      ],
    });
    const res = await upload('analyst-1', { fileName: 'edited in modeler.bpmn', xml: changed });
    expect(res.status).toBe(201);
    expect(res.body.versions).toEqual([
      expect.objectContaining({
        bpmnProcessId: PROBE,
        version: latest!.version + 1,
        created: true,
      }),
    ]);
    const [now] = await versionsOf(PROBE);
    expect(now).toEqual(
      expect.objectContaining({
        version: latest!.version + 1,
        deployedBy: 'analyst-1',
        lint: expect.objectContaining({ errors: 0 }),
      }),
    );
    const audit = await t.pool.query(
      `SELECT actor FROM audit_event WHERE case_type = 'process-model' AND case_id = $1
          AND action = 'process-model-deployed'`,
      [now!.definitionId],
    );
    expect(audit.rows).toEqual([{ actor: 'analyst-1' }]);
  });

  it('given the newest version unchanged, when uploaded again, then 200 says nothing new was deployed', async () => {
    const before = await versionsOf(PROBE);
    const latest = before[0];
    const { text: xml } = await t.api(
      `/api/v1/analyst/process-definitions/${latest!.definitionId}/xml`,
      { as: 'analyst-1' },
    );
    const res = await upload('analyst-1', { fileName: 'same.bpmn', xml });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(false);
    await expect(versionsOf(PROBE)).resolves.toEqual(before);
  });

  it('given an upload is the newest version, when the stack starts with the unchanged model file, then the file is not deployed over it and the log says why', async () => {
    const file = await checkModel(`${PROBE}.bpmn`, v1, t.engineVersion);
    const logs = new LogCapture();
    const toDeploy = await filesNotSupersededByUploads(t.pool, [file], createLogger('info', logs));
    expect(toDeploy).toEqual([]);
    expect(logs.text).toContain('the upload stays');
  });

  it('given the model file edited after the upload, when the stack starts, then the file is deployed (the newest change wins)', async () => {
    const edited = analystModel({
      processId: PROBE,
      name: 'Analyst probe',
      tasks: [{ id: 'check', name: 'Check documents (edited file)', type: 'check-identity' }],
    });
    const file = await checkModel(`${PROBE}.bpmn`, edited, t.engineVersion);
    await expect(filesNotSupersededByUploads(t.pool, [file], log)).resolves.toEqual([file]);
  });

  it('given a process id that is not ours, when an analyst uploads it, then 422 names the process and rule', async () => {
    const stranger = `analyst-stranger-${run}`;
    const xml = analystModel({
      processId: stranger,
      name: 'Stranger',
      tasks: [{ id: 'work', name: 'Work', type: 'check-identity' }],
    });
    const res = await upload('analyst-1', { fileName: 'stranger.bpmn', xml });
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([
      expect.objectContaining({ element: stranger, rule: 'unknown-process' }),
    ]);
    await expect(versionsOf(stranger)).resolves.toEqual([]);
  });

  it('given an analyst, when asking to deploy a new process, then 403 names allowNewProcess', async () => {
    const xml = analystModel({
      processId: `analyst-new-${run}`,
      name: 'New',
      tasks: [{ id: 'work', name: 'Work', type: 'check-identity' }],
    });
    const res = await upload('analyst-1', { fileName: 'new.bpmn', xml, allowNewProcess: true });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'allowNewProcess' })]);
  });

  it('given an administrator allowing a new process, when uploaded, then it is deployed as version 1 of ours', async () => {
    const id = `analyst-new-${run}`;
    const xml = analystModel({
      processId: id,
      name: 'New',
      tasks: [{ id: 'work', name: 'Work', type: 'check-identity' }],
    });
    const res = await upload('admin-1', { fileName: 'new.bpmn', xml, allowNewProcess: true });
    expect(res.status).toBe(201);
    await expect(versionsOf(id)).resolves.toEqual([
      expect.objectContaining({ version: 1, deployedBy: 'admin-1' }),
    ]);
  });

  it('given a file name that is not .bpmn, when uploaded, then 400 names fileName', async () => {
    const res = await upload('analyst-1', { fileName: 'model.xml', xml: v1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'fileName' })]);
  });

  it('given instances of the newest version in every state, when listed, then the version shows its instances by state, an incident counted as such', async () => {
    const [latest, older] = await versionsOf(PROBE);
    const rest = t.engine.rest;
    const start = async () =>
      ok(
        await rest.POST('/process-definition/{id}/start', {
          params: { path: { id: latest!.definitionId } },
          body: {
            // unique: the worker below locks one instance's task by it
            businessKey: randomUUID(),
            variables: toEngineVariables({ caseId: randomUUID(), caseType: 'probe' }),
          },
        }),
      ).id!;
    const [active, inIncident, completed, cancelled] = [
      await start(),
      await start(),
      await start(),
      await start(),
    ];
    void active;
    const lock = async (id: string) => {
      const [task] = ok(
        await rest.GET('/external-task', { params: { query: { processInstanceId: id } } }),
      );
      const instance = ok(
        await rest.GET('/history/process-instance/{id}', { params: { path: { id } } }),
      );
      const fetched = ok(
        await rest.POST('/external-task/fetchAndLock', {
          body: {
            workerId: 'analyst-test',
            maxTasks: 50,
            topics: [
              {
                topicName: task!.topicName!,
                businessKey: instance.businessKey,
                lockDuration: 60_000,
                localVariables: false,
                withoutTenantId: false,
                deserializeValues: false,
                includeExtensionProperties: false,
              },
            ],
          },
        }),
      );
      return fetched.find((f) => f.processInstanceId === id)!;
    };
    const failing = await lock(inIncident);
    ok(
      await rest.POST('/external-task/{id}/failure', {
        params: { path: { id: failing.id! } },
        body: { workerId: 'analyst-test', errorMessage: 'probe', retries: 0, retryTimeout: 0 },
      }),
    );
    // completes both tasks of one instance
    for (let i = 0; i < 2; i++) {
      const task = await lock(completed);
      ok(
        await rest.POST('/external-task/{id}/complete', {
          params: { path: { id: task.id! } },
          body: { workerId: 'analyst-test' },
        }),
      );
    }
    ok(await rest.DELETE('/process-instance/{id}', { params: { path: { id: cancelled } } }));
    const [counted, olderNow] = await versionsOf(PROBE);
    expect(counted!.instances).toEqual({
      total: 4,
      byState: { active: 1, incident: 1, completed: 1, cancelled: 1 },
    });
    expect(olderNow!.definitionId).toBe(older!.definitionId);
    expect(olderNow!.instances.total).toBe(0);
  });

  it.each(['reviewer-1', 'operator-1', 'portal'])(
    'given the caller %s, when listing or uploading models, then 403 and nothing is deployed',
    async (who) => {
      const before = await versionsOf(PROBE);
      const listed = await t.api('/api/v1/analyst/process-definitions', { as: who });
      const changed = analystModel({
        processId: PROBE,
        name: 'Analyst probe',
        tasks: [{ id: 'intruder', name: 'Intruder', type: 'check-identity' }],
      });
      const uploaded = await upload(who, { fileName: 'x.bpmn', xml: changed });
      expect([listed.status, uploaded.status]).toEqual([403, 403]);
      await expect(versionsOf(PROBE)).resolves.toEqual(before);
    },
  );
});
