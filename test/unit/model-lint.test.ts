import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkAllModels, checkModel } from '../../src/engine/model-lint.js';
import { workflowsDir } from '../../src/paths.js';

const reviewXml = fs.readFileSync(path.join(workflowsDir, 'application-review.bpmn'), 'utf8');
const ENGINE = '8.6.0';

describe('BPMN model check', () => {
  it('given the project models, when checked for the engine, then none has an error', async () => {
    const models = await checkAllModels(workflowsDir, ENGINE);
    expect(models.map((m) => m.processIds).flat()).toContain('application-review');
    expect(models.flatMap((m) => m.problems.filter((p) => p.severity === 'error'))).toEqual([]);
  });

  it('given a service task without a job type, when checked, then the problem names file, element and rule', async () => {
    const broken = reviewXml.replace(/<zeebe:taskDefinition [^>]*\/>/, '');
    const { problems } = await checkModel('broken.bpmn', broken, ENGINE);
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'broken.bpmn',
        element: 'start-review-task',
        rule: 'camunda-compat/implementation',
        severity: 'error',
      }),
    );
  });

  it('given a flow that points nowhere, when checked, then the element and rule are named', async () => {
    const broken = reviewXml.replace(
      'sourceRef="notify-refusal" targetRef="refused"',
      'sourceRef="notify-refusal" targetRef="missing-element"',
    );
    expect(broken).not.toBe(reviewXml);
    const { problems } = await checkModel('dangling.bpmn', broken, ENGINE);
    expect(problems.filter((p) => p.severity === 'error')).toContainEqual(
      expect.objectContaining({
        file: 'dangling.bpmn',
        element: expect.any(String),
        rule: expect.any(String),
      }),
    );
  });

  it('given a model made for a newer Camunda than the engine, when checked, then it is refused', async () => {
    const newer = reviewXml.replace(
      'executionPlatformVersion="8.6.0"',
      'executionPlatformVersion="8.9.0"',
    );
    const { problems } = await checkModel('newer.bpmn', newer, ENGINE);
    expect(problems).toContainEqual(
      expect.objectContaining({
        rule: 'execution-platform',
        message: expect.stringContaining('8.9.0'),
      }),
    );
  });

  it('given a file that is not XML, when checked, then it is reported as unparsable', async () => {
    const { problems } = await checkModel('junk.bpmn', 'not xml at all', ENGINE);
    expect(problems[0]).toEqual(expect.objectContaining({ rule: 'xml-parse', severity: 'error' }));
  });
});
