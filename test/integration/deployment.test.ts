import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import {
  checkAndDeploy,
  DEPLOYMENT_SOURCE,
  deployModels,
  type ModelDeployDeps,
} from '../../src/engine/models.js';
import { ok } from '../../src/engine/rest.js';
import { createLogger } from '../../src/logger.js';
import { workflowsDir } from '../../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestEngine, type TestEngine } from '../support/test-engine.js';

// Deployment of the models to a real Operaton engine on this file's own database.
let db: TestDatabase;
let pool: Pool;
let engine: TestEngine;
let deps: ModelDeployDeps;

beforeAll(async () => {
  db = await createTestDatabase('az_housing_deployment_test');
  pool = createPool({ connectionString: db.url, max: 4 });
  await migrate(pool, createLogger('silent'));
  engine = await startTestEngine(db.url);
  deps = { rest: engine.rest, pool, log: createLogger('silent') };
});
afterAll(async () => {
  await engine?.stop();
  await pool?.end();
  await db?.drop();
});

const probe = (processId: string, taskName: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d-${processId}" targetNamespace="http://test">
  <bpmn:process id="${processId}" isExecutable="true" camunda:historyTimeToLive="P30D">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="task" name="${taskName}" camunda:type="external" camunda:topic="${processId}">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe('deployment of models on start', () => {
  it('given the project models, when deployed at start, then every process gets version 1 under a stable name and source; a second start deploys nothing new', async () => {
    const first = await checkAndDeploy(deps, workflowsDir);
    expect(first.map((d) => d.processId)).toContain('application-review');
    expect(first.every((d) => d.created && d.version === 1)).toBe(true);
    const deployments = ok(
      await engine.rest.GET('/deployment', { params: { query: { source: DEPLOYMENT_SOURCE } } }),
    );
    expect(deployments.map((d) => d.name).sort()).toEqual(
      expect.arrayContaining(['application-review']),
    );
    const again = await checkAndDeploy(deps, workflowsDir);
    expect(again.map((d) => [d.processId, d.version, d.created])).toEqual(
      first.map((d) => [d.processId, 1, false]),
    );
    expect(again.map((d) => d.definitionId)).toEqual(first.map((d) => d.definitionId));
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM model_deployment WHERE deployed_by IS NULL`,
    );
    expect(rows[0].n).toBe(first.length);
  });

  it('given an unchanged model, when deployed again, then no new version is created', async () => {
    const model = {
      file: 'probe-deploy-same.bpmn',
      xml: probe('probe-deploy-same', 'A'),
      processIds: ['probe-deploy-same'],
    };
    const [first] = await deployModels(deps, [model]);
    const [second] = await deployModels(deps, [model]);
    expect(first).toEqual(expect.objectContaining({ created: true, version: 1 }));
    expect(second).toEqual(
      expect.objectContaining({
        created: false,
        version: first!.version,
        definitionId: first!.definitionId,
      }),
    );
  });

  it('given a changed model, when deployed, then the next version is created', async () => {
    const m = (name: string) => ({
      file: 'probe-deploy-change.bpmn',
      xml: probe('probe-deploy-change', name),
      processIds: ['probe-deploy-change'],
    });
    const [first] = await deployModels(deps, [m('A')]);
    const [second] = await deployModels(deps, [m('B')]);
    expect(second!.version).toBe(first!.version + 1);
    expect(second!.created).toBe(true);
  });

  it('given a model the engine refuses (no history time to live), when deployed, then ModelRefusedError names it and nothing is deployed', async () => {
    const xml = probe('probe-deploy-refused', 'A').replace(' camunda:historyTimeToLive="P30D"', '');
    await expect(
      deployModels(deps, [{ file: 'refused.bpmn', xml, processIds: ['probe-deploy-refused'] }]),
    ).rejects.toMatchObject({ name: 'ModelRefusedError', resourceName: 'refused.bpmn' });
    const defs = ok(
      await engine.rest.GET('/process-definition', {
        params: { query: { key: 'probe-deploy-refused' } },
      }),
    );
    expect(defs).toEqual([]);
  });
});
