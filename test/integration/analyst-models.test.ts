import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deployModels, filesNotSupersededByUploads } from '../../src/engine/deployment.js';
import { checkModel } from '../../src/engine/model-lint.js';
import { createLogger } from '../../src/logger.js';
import { analystModel } from '../support/analyst-models.js';
import { as } from '../support/auth.js';
import { probeModel } from '../support/probe-models.js';
import { LogCapture, startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
const log = createLogger('silent');
// the broker is shared by the run: our probe processes carry a suffix of their own
const run = Date.now().toString(36);
const PROBE = `analyst-probe-${run}`;
const v1 = analystModel({
  processId: PROBE,
  name: 'Analyst probe',
  tasks: [
    { id: 'check', name: 'Check documents', type: 'analyst-probe-check' },
    { id: 'notify', name: 'Notify', type: 'analyst-probe-notify' },
  ],
});

const list = async () =>
  (await t.api('/api/v1/analyst/process-definitions', { headers: as('analyst-1') })).body as {
    engineVersion: string;
    processes: {
      bpmnProcessId: string;
      name: string | null;
      versions: {
        version: number;
        definitionKey: string;
        deployedBy: string | null;
        checksum: string;
        instances: { total: number; byState: Record<string, number> } | null;
        lint: {
          errors: number;
          problems: { element: string; rule: string; severity: string }[];
        } | null;
      }[];
    }[];
  };
const versionsOf = async (id: string) =>
  (await list()).processes.find((p) => p.bpmnProcessId === id)?.versions ?? [];
const upload = (who: string, body: unknown) =>
  t.api('/api/v1/analyst/process-definitions', { headers: as(who), body });

beforeAll(async () => {
  t = await startTestStack();
  // our probe process, deployed as at start-up, so it is "one of ours"
  const model = await checkModel(`${PROBE}.bpmn`, v1, t.stack.engineVersion);
  await deployModels(t.stack.camunda.getZeebeGrpcApiClient(), t.stack.db.pool, [model], log);
});
afterAll(async () => {
  await t?.stop();
});

describe('analyst view: deployed process models', () => {
  it('given the models deployed at start, when an analyst lists them, then each process shows its versions, name and a clean lint result', async () => {
    const body = await list();
    const review = body.processes.find((p) => p.bpmnProcessId === 'application-review');
    expect(body.engineVersion).toBe(t.stack.engineVersion);
    expect(review?.name).toEqual(expect.any(String));
    expect(review?.versions[0]).toEqual(
      expect.objectContaining({
        version: expect.any(Number),
        definitionKey: expect.stringMatching(/^\d+$/),
        checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        deployedBy: null,
        lint: expect.objectContaining({ errors: 0 }),
      }),
    );
  });

  it('given a deployed version with lint errors, when listed, then each problem names its element and rule', async () => {
    const id = `analyst-nodi-${run}`;
    const model = await checkModel(
      `${id}.bpmn`,
      probeModel({ processId: id, taskType: 'x' }),
      t.stack.engineVersion,
    );
    await deployModels(t.stack.camunda.getZeebeGrpcApiClient(), t.stack.db.pool, [model], log);
    const [version] = await versionsOf(id);
    expect(version?.lint?.errors).toBeGreaterThan(0);
    expect(version?.lint?.problems).toContainEqual(
      expect.objectContaining({ element: 'task', rule: 'no-bpmndi', severity: 'error' }),
    );
  });

  it('given a deployed version, when its XML is asked for, then the deployed XML is returned', async () => {
    const [version] = await versionsOf(PROBE);
    const res = await fetch(
      `${t.stack.apiUrl}/api/v1/analyst/process-definitions/${version!.definitionKey}/xml`,
      { headers: as('analyst-1') },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    await expect(res.text()).resolves.toBe(v1);
  });

  it('given a key that is not a number, when its XML is asked for, then 400 names the key', async () => {
    const res = await t.api('/api/v1/analyst/process-definitions/abc/xml', {
      headers: as('analyst-1'),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'key' })]);
  });

  it('given a key that was never deployed, when its XML is asked for, then 404', async () => {
    const res = await t.api('/api/v1/analyst/process-definitions/1/xml', {
      headers: as('analyst-1'),
    });
    expect(res.status).toBe(404);
  });

  it('given a model with a service task without a task type, when uploaded, then 422 names the element and rule and nothing is deployed', async () => {
    const before = await versionsOf(PROBE);
    const broken = analystModel({
      processId: PROBE,
      name: 'Analyst probe',
      tasks: [
        { id: 'check', name: 'Check documents', type: 'analyst-probe-check' },
        { id: 'register', name: 'Register' },
      ],
    });
    const res = await upload('analyst-1', { fileName: 'probe.bpmn', xml: broken });
    expect(res.status).toBe(422);
    expect(res.body.problems).toEqual([
      expect.objectContaining({ element: 'register', rule: 'camunda-compat/implementation' }),
    ]);
    expect(res.body.errors).toEqual([
      {
        field: 'xml',
        message: expect.stringContaining('register: [camunda-compat/implementation]'),
      },
    ]);
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
        { id: 'check', name: 'Check all documents', type: 'analyst-probe-check' },
        { id: 'register', name: 'Register', type: 'analyst-probe-register' },
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
    const audit = await t.stack.db.pool.query(
      `SELECT actor FROM audit_event WHERE case_type = 'process-model' AND case_id = $1
          AND action = 'process-model-deployed'`,
      [now!.definitionKey],
    );
    expect(audit.rows).toEqual([{ actor: 'analyst-1' }]);
  });

  it('given the newest version unchanged, when uploaded again, then 200 says nothing new was deployed', async () => {
    const before = await versionsOf(PROBE);
    const latest = before[0];
    const xml = await (
      await fetch(
        `${t.stack.apiUrl}/api/v1/analyst/process-definitions/${latest!.definitionKey}/xml`,
        { headers: as('analyst-1') },
      )
    ).text();
    const res = await upload('analyst-1', { fileName: 'same.bpmn', xml });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(false);
    await expect(versionsOf(PROBE)).resolves.toEqual(before);
  });

  it('given an upload is the newest version, when the stack starts with the unchanged model file, then the file is not deployed over it and the log says why', async () => {
    const file = await checkModel(`${PROBE}.bpmn`, v1, t.stack.engineVersion);
    const logs = new LogCapture();
    const toDeploy = await filesNotSupersededByUploads(
      t.stack.db.pool,
      [file],
      createLogger('info', logs),
    );
    expect(toDeploy).toEqual([]);
    expect(logs.text).toContain('the upload stays');
  });

  it('given the model file edited after the upload, when the stack starts, then the file is deployed (the newest change wins)', async () => {
    const edited = analystModel({
      processId: PROBE,
      name: 'Analyst probe',
      tasks: [{ id: 'check', name: 'Check documents (edited file)', type: 'analyst-probe-check' }],
    });
    const file = await checkModel(`${PROBE}.bpmn`, edited, t.stack.engineVersion);
    await expect(filesNotSupersededByUploads(t.stack.db.pool, [file], log)).resolves.toEqual([
      file,
    ]);
  });

  it('given a process id that is not ours, when an analyst uploads it, then 422 names the process and rule', async () => {
    const stranger = `analyst-stranger-${run}`;
    const xml = analystModel({
      processId: stranger,
      name: 'Stranger',
      tasks: [{ id: 'work', name: 'Work', type: 'stranger-work' }],
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
      tasks: [{ id: 'work', name: 'Work', type: 'new-work' }],
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
      tasks: [{ id: 'work', name: 'Work', type: 'new-work' }],
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

  it('given engine history with instances, when listed, then each version shows its instances by state, an incident counted as such', async () => {
    const [latest] = await versionsOf(PROBE);
    // rows as the history intake writes them (the intake itself: operator-console.test.ts)
    const pool = t.stack.db.pool;
    const base = 9_007_000_000_000;
    for (const [i, state] of (['active', 'active', 'completed', 'cancelled'] as const).entries())
      await pool.query(
        `INSERT INTO engine_process_instance (key, process_definition_key, bpmn_process_id, version, state, started_at)
         VALUES ($1, $2, $3, $4, $5, now())`,
        [base + i, latest!.definitionKey, PROBE, latest!.version, state],
      );
    await pool.query(
      `INSERT INTO engine_incident (key, process_instance_key, bpmn_process_id, element_id, element_instance_key,
                                    error_type, error_message, state, created_at)
       VALUES ($1, $2, $3, 'task', $4, 'JOB_NO_RETRIES', 'probe', 'active', now())`,
      [base + 10, base, PROBE, base + 11],
    );
    const [counted, older] = await versionsOf(PROBE);
    expect(counted!.instances).toEqual({
      total: 4,
      byState: { active: 1, incident: 1, completed: 1, cancelled: 1 },
    });
    expect(older!.instances).toEqual({ total: 0, byState: {} });
  });

  it.each(['reviewer-1', 'operator-1', 'portal'])(
    'given the caller %s, when listing or uploading models, then 403 and nothing is deployed',
    async (who) => {
      const before = await versionsOf(PROBE);
      const listed = await t.api('/api/v1/analyst/process-definitions', { headers: as(who) });
      const changed = analystModel({
        processId: PROBE,
        name: 'Analyst probe',
        tasks: [{ id: 'intruder', name: 'Intruder', type: 'intruder' }],
      });
      const uploaded = await upload(who, { fileName: 'x.bpmn', xml: changed });
      expect([listed.status, uploaded.status]).toEqual([403, 403]);
      await expect(versionsOf(PROBE)).resolves.toEqual(before);
    },
  );
});
