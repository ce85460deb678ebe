import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkModel } from '../../src/engine/model-lint.js';
import { deployModels } from '../../src/engine/deployment.js';
import { ensureDistribution, distributionHome } from '../../src/engine/distribution.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { probeModel } from '../support/probe-models.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
const log = createLogger('silent');
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

describe('deployment of models on start', () => {
  it('given the stack started against an existing cluster, then it started no broker of its own and deployed every workflow', () => {
    expect(t.stack.broker).toBeUndefined();
    expect(t.stack.deployed.map((d) => d.processId)).toContain('application-review');
  });

  it('given an unchanged model, when deployed again, then no new version is created', async () => {
    const xml = probeModel({ processId: 'probe-deploy-same', taskType: 'probe-deploy-same' });
    const model = await checkModel('probe-deploy-same.bpmn', xml, t.stack.engineVersion);
    const zeebe = t.stack.camunda.getZeebeGrpcApiClient();
    const [first] = await deployModels(zeebe, t.stack.db.pool, [model], log);
    const [second] = await deployModels(zeebe, t.stack.db.pool, [model], log);
    expect(first).toEqual(expect.objectContaining({ created: true }));
    expect(second).toEqual(
      expect.objectContaining({
        created: false,
        version: first!.version,
        definitionKey: first!.definitionKey,
      }),
    );
  });

  it('given a changed model, when deployed, then the next version is created', async () => {
    const zeebe = t.stack.camunda.getZeebeGrpcApiClient();
    const v1 = await checkModel(
      'probe-deploy-change.bpmn',
      probeModel({ processId: 'probe-deploy-change', taskType: 'a' }),
      t.stack.engineVersion,
    );
    const v2 = await checkModel(
      'probe-deploy-change.bpmn',
      probeModel({ processId: 'probe-deploy-change', taskType: 'b' }),
      t.stack.engineVersion,
    );
    const [first] = await deployModels(zeebe, t.stack.db.pool, [v1], log);
    const [second] = await deployModels(zeebe, t.stack.db.pool, [v2], log);
    expect(second!.version).toBe(first!.version + 1);
    expect(second!.created).toBe(true);
  });

  it('given the distribution was fetched once, when asked again, then the cache is reused without fetching', async () => {
    const cfg = loadConfig();
    const dist = await ensureDistribution(cfg.CAMUNDA_VERSION, cfg.CAMUNDA_CACHE_DIR, log);
    expect(dist).toEqual({
      version: cfg.CAMUNDA_VERSION,
      home: distributionHome(cfg.CAMUNDA_CACHE_DIR, cfg.CAMUNDA_VERSION),
      fetched: false,
    });
  });
});
