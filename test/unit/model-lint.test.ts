import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  checkAllModels,
  checkModel,
  OPERATON_VERSION,
  RULES,
  type ModelProblem,
} from '../../src/engine/model-lint.js';
import { workflowsDir } from '../../src/paths.js';

const read = (f: string) => fs.readFileSync(path.join(workflowsDir, f), 'utf8');
const reviewXml = read('application-review.bpmn');
const draftXml = read('application-draft.bpmn');
const ENGINE = OPERATON_VERSION;

/** Replaces text that must be in the model (a test that changes nothing proves nothing). */
function broken(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  expect(out).not.toBe(xml);
  return out;
}

async function errorsOf(xml: string, file = 'broken.bpmn'): Promise<ModelProblem[]> {
  const { problems } = await checkModel(file, xml, ENGINE);
  return problems.filter((p) => p.severity === 'error');
}

describe('BPMN model check', () => {
  it('given the project models, when checked for Operaton, then none has an error or a warning', async () => {
    const models = await checkAllModels(workflowsDir, ENGINE);
    expect(models.map((m) => m.processIds).flat()).toEqual(
      expect.arrayContaining([
        'application-draft',
        'application-review',
        'discrepancy-resubmission',
        'records-retention',
        'registration-transfer',
        'waitlist-registration',
        'waitlist-reverification',
        'waitlist-slot-seizure',
      ]),
    );
    expect(models.flatMap((m) => m.problems)).toEqual([]);
    expect(models.map((m) => m.executionPlatformVersion)).toEqual(models.map(() => '7.24.0'));
  });

  it('given no engine version, when checked, then Operaton is assumed', async () => {
    const { problems } = await checkModel('ok.bpmn', reviewXml);
    expect(problems).toEqual([]);
  });

  it('given a service task that is not an external task, when checked, then the task and rule are named', async () => {
    const xml = broken(reviewXml, ' camunda:type="external" camunda:topic="start-review"', '');
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({
        file: 'broken.bpmn',
        element: 'start-review-task',
        rule: RULES.externalTask,
      }),
    );
  });

  it('given a topic without a worker file, when checked, then the task, rule and missing file are named', async () => {
    const xml = broken(reviewXml, 'camunda:topic="start-review"', 'camunda:topic="no-such-worker"');
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({
        element: 'start-review-task',
        rule: RULES.topicWorker,
        message: expect.stringContaining('workers/no-such-worker.ts'),
      }),
    );
  });

  it('given a topic that is an expression, when checked, then it is refused', async () => {
    const xml = broken(reviewXml, 'camunda:topic="start-review"', 'camunda:topic="${topic}"');
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({ element: 'start-review-task', rule: RULES.topicWorker }),
    );
  });

  it('given a user task without candidate groups, when checked, then the task and rule are named', async () => {
    const xml = broken(reviewXml, ' camunda:candidateGroups="${reviewBody}"', '');
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({ element: 'review-application', rule: RULES.candidateGroups }),
    );
  });

  it('given a FEEL condition left in a flow, when checked, then the flow and rule are named', async () => {
    const xml = broken(
      reviewXml,
      "${decision.outcome == 'grant'}",
      '=decision.outcome = &#34;grant&#34;',
    );
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({
        element: 'flow-grant',
        rule: RULES.noFeel,
        message: expect.stringContaining('=decision.outcome'),
      }),
    );
  });

  it('given a FEEL timer or candidate-group expression, when checked, then each is named', async () => {
    const xml = broken(
      broken(reviewXml, '>${reviewDueAt}</bpmn:timeDate>', '>=reviewDueAt</bpmn:timeDate>'),
      'camunda:candidateGroups="${reviewBody}"',
      'camunda:candidateGroups="=[reviewBody]"',
    );
    const errors = await errorsOf(xml);
    expect(errors).toContainEqual(
      expect.objectContaining({ element: 'review-overdue-timer', rule: RULES.noFeel }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        element: 'review-application',
        rule: RULES.noFeel,
        message: expect.stringContaining('candidateGroups'),
      }),
    );
  });

  it('given a Camunda 8 extension element or namespace, when checked, then it is named', async () => {
    const C8 = 'zeebe'; // the Camunda 8 prefix, which no model of ours may carry
    const xml = broken(
      broken(
        reviewXml,
        'camunda:type="external" camunda:topic="start-review">',
        `camunda:type="external" camunda:topic="start-review"><bpmn:extensionElements><${C8}:taskDefinition type="start-review" /></bpmn:extensionElements>`,
      ),
      'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
      `xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:${C8}="http://camunda.org/schema/zeebe/1.0"`,
    );
    const errors = await errorsOf(xml);
    expect(errors).toContainEqual(
      expect.objectContaining({
        element: 'start-review-task',
        rule: RULES.noFeel,
        message: expect.stringContaining('zeebe:taskDefinition'),
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ element: '(definitions)', rule: RULES.noFeel }),
    );
  });

  it('given a timer event without a definition, when checked, then the event and rule are named', async () => {
    const xml = broken(draftXml, /<bpmn:timeDate [^>]*>\$\{draftExpiresAt\}<\/bpmn:timeDate>/, '');
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({
        element: 'draft-expired-event',
        rule: RULES.timer,
        message: expect.stringContaining('no timeDate'),
      }),
    );
  });

  it('given a process without historyTimeToLive, when checked, then the process is named by both rules', async () => {
    const xml = broken(reviewXml, ' camunda:historyTimeToLive="P3650D"', '');
    const errors = await errorsOf(xml);
    expect(errors).toContainEqual(
      expect.objectContaining({ element: 'application-review', rule: RULES.historyTimeToLive }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        element: 'application-review',
        rule: 'camunda-compat/history-time-to-live',
      }),
    );
  });

  it('given a process that is not executable, when checked, then the process and rule are named', async () => {
    const xml = broken(reviewXml, 'isExecutable="true"', 'isExecutable="false"');
    expect(await errorsOf(xml)).toContainEqual(
      expect.objectContaining({ element: 'application-review', rule: RULES.executable }),
    );
  });

  it('given a flow that points nowhere, when checked, then the element and rule are named', async () => {
    const xml = broken(
      reviewXml,
      'sourceRef="notify-refusal" targetRef="refused"',
      'sourceRef="notify-refusal" targetRef="missing-element"',
    );
    expect(await errorsOf(xml, 'dangling.bpmn')).toContainEqual(
      expect.objectContaining({
        file: 'dangling.bpmn',
        element: expect.any(String),
        rule: expect.any(String),
      }),
    );
  });

  it('given a model made for a newer Camunda 7 than the engine speaks, when checked, then it is refused', async () => {
    const newer = broken(
      reviewXml,
      'executionPlatformVersion="7.24.0"',
      'executionPlatformVersion="7.25.0"',
    );
    expect(await errorsOf(newer)).toContainEqual(
      expect.objectContaining({
        rule: 'execution-platform',
        message: expect.stringContaining('7.25.0'),
      }),
    );
  });

  it('given a model made for Camunda 8, when checked, then it is refused', async () => {
    const cloud = broken(
      reviewXml,
      'modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.24.0"',
      'modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0"',
    );
    expect(await errorsOf(cloud)).toContainEqual(
      expect.objectContaining({ element: '(definitions)', rule: 'execution-platform' }),
    );
  });

  it('given an engine that is not Operaton 1.0 or Camunda 7, when checked, then the model is refused', async () => {
    const { problems } = await checkModel('ok.bpmn', reviewXml, '8.6.0');
    expect(problems).toContainEqual(
      expect.objectContaining({
        rule: 'execution-platform',
        message: expect.stringContaining('8.6.0'),
      }),
    );
  });

  it('given a file that is not XML, when checked, then it is reported as unparsable', async () => {
    const { problems } = await checkModel('junk.bpmn', 'not xml at all', ENGINE);
    expect(problems[0]).toEqual(expect.objectContaining({ rule: 'xml-parse', severity: 'error' }));
  });
});

describe('model lint module', () => {
  it('given the engine port sits below the case code, then model-lint imports nothing from src/cases', () => {
    const src = fs.readFileSync(
      path.join(workflowsDir, '..', 'src', 'engine', 'model-lint.ts'),
      'utf8',
    );
    expect(src).not.toMatch(/from ['"][^'"]*cases\//);
  });
});
