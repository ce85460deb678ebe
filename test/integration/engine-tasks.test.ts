import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import pino from 'pino';
import { caseProblem, HttpProblem } from '../../src/api/problem.js';
import { claimTask, decide } from '../../src/cases/decision.js';
import { listInbox } from '../../src/cases/reviewer-inbox.js';
import { migrate } from '../../src/db/migrate.js';
import { createEngineRest, ok, type EngineRest } from '../../src/engine/rest.js';
import { jdbcFromDatabaseUrl, startEngine, type RunningEngine } from '../../src/engine/runtime.js';
import {
  createEngineTasks,
  EngineTaskConflict,
  EngineTaskNotFound,
  type EngineTasks,
} from '../../src/engine/tasks.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Reviewer tasks are engine user tasks: claim / release / reassign / complete go through the
// engine (src/engine/tasks.ts), and the projection (review_task, written by the engine's plugin in
// its own transaction) shows each change as soon as the engine answered. One engine on its own
// fresh database with the app's migrations, on a free port.
//   NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.engine.config.js --runInBand test/integration/engine-tasks.test.ts

const USER = 'housingtest';
const PASSWORD = randomBytes(18).toString('base64url');
const CACHE_DIR =
  process.env.ENGINE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'az-housing', 'engine');
const GROUP = 'mida-reviewers';
const DUE = '2026-03-19T12:00:00.000Z';

let db: TestDatabase;
let pool: pg.Pool;
let engine: RunningEngine;
let rest: EngineRest;
let tasks: EngineTasks;
let dataDir: string;
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

const model = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d1" targetNamespace="http://az.housing/test">
  <bpmn:process id="tasks-test" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" camunda:candidateGroups="\${reviewBody}"
        camunda:dueDate="\${reviewDueAt}" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface Row {
  task_id: string;
  process_definition_key: string;
  case_id: string;
  application_id: string | null;
  candidate_groups: string[];
  assignee: string | null;
  due_at: Date | null;
  completed_at: Date | null;
  cancelled: boolean;
}

async function row(taskId: string): Promise<Row> {
  const r = await pool.query<Row>('SELECT * FROM review_task WHERE task_id = $1', [taskId]);
  return r.rows[0]!;
}

/** Starts an instance for a new application case and returns its instance and task ids. */
async function startCase(
  caseId: string = randomUUID(),
  processKey = 'tasks-test',
): Promise<{ caseId: string; instanceId: string; taskId: string }> {
  const started = ok(
    await rest.POST('/process-definition/key/{key}/start', {
      params: { path: { key: processKey } },
      body: {
        businessKey: `T-${caseId.slice(0, 8)}`,
        variables: toEngineVariables({
          caseType: 'application',
          caseId,
          reviewBody: GROUP,
          reviewDueAt: DUE,
        }),
      },
    }),
  );
  const list = ok(
    await rest.GET('/task', { params: { query: { processInstanceId: started.id! } } }),
  );
  expect(list).toHaveLength(1);
  return { caseId, instanceId: started.id!, taskId: list[0]!.id! };
}

/** What the API answers for a case-layer refusal. */
async function httpStatusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p.catch(caseProblem);
    return 200;
  } catch (err) {
    if (err instanceof HttpProblem) return err.status;
    throw err;
  }
}

beforeAll(async () => {
  db = await createTestDatabase('engine_tasks');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await migrate(pool, log);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-tasks-'));
  const jdbc = jdbcFromDatabaseUrl(db.url);
  engine = await startEngine(
    {
      cacheDir: CACHE_DIR,
      dataDir,
      logFile: path.join(dataDir, 'engine.log'),
      jdbcUrl: jdbc.jdbcUrl,
      jdbcUser: jdbc.user,
      jdbcPassword: jdbc.password,
      port: 0,
      bind: '127.0.0.1',
      user: USER,
      password: PASSWORD,
      heap: '512m',
    },
    log,
  );
  rest = createEngineRest({ url: engine.url, user: USER, password: PASSWORD });
  tasks = createEngineTasks(rest);
  const form = new FormData();
  form.append('deployment-name', 'tasks-test');
  form.append('deployment-source', 'engine-tasks-test');
  form.append('tasks-test.bpmn', new Blob([model], { type: 'application/xml' }), 'tasks-test.bpmn');
  const res = await fetch(`${engine.url}/deployment/create`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` },
    body: form,
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  // the same model as application-review: decisions cite grounds of that process
  const review = new FormData();
  review.append('deployment-name', 'application-review-test');
  review.append('deployment-source', 'engine-tasks-test');
  review.append(
    'application-review.bpmn',
    new Blob([model.replace('id="tasks-test"', 'id="application-review"')], {
      type: 'application/xml',
    }),
    'application-review.bpmn',
  );
  const res2 = await fetch(`${engine.url}/deployment/create`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` },
    body: review,
  });
  expect(res2.status).toBe(200);
  await res2.arrayBuffer();
}, 600_000);

afterAll(async () => {
  await engine?.stop();
  await pool?.end();
  await db?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('reviewer tasks through the engine', () => {
  it('given an application of category 7, then its task row carries the category (trigger in the engine transaction) and follows a change', async () => {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO application (id, category, status) VALUES ($1, 7, 'under_review')`,
      [id],
    );
    const { taskId } = await startCase(id);
    const category = async () =>
      (await pool.query('SELECT case_category FROM review_task WHERE task_id = $1', [taskId]))
        .rows[0].case_category;
    expect(await category()).toBe('7');
    await pool.query(`UPDATE application SET category = 8 WHERE id = $1`, [id]);
    expect(await category()).toBe('8');
    const eight = await listInbox(pool, {
      groups: [GROUP],
      me: 'reviewer1',
      category: '8',
      sort: 'due',
      order: 'asc',
      now: new Date(),
      limit: 50,
      offset: 0,
    });
    expect(eight.tasks.map((t) => t.taskId)).toEqual([taskId]);
    expect(eight.tasks[0]).toEqual(expect.objectContaining({ category: '8', caseId: id }));
  });

  it('given a new user task, then the projection has it open, unassigned, with its group, due date and case', async () => {
    const { caseId, taskId } = await startCase();
    expect(await row(taskId)).toEqual(
      expect.objectContaining({
        process_definition_key: 'tasks-test',
        case_id: caseId,
        application_id: caseId,
        candidate_groups: [GROUP],
        assignee: null,
        due_at: new Date(DUE),
        completed_at: null,
        cancelled: false,
      }),
    );
    expect((await tasks.get(taskId))?.assignee).toBeNull();
  });

  it('given a claim, then the projection shows the assignee as soon as the engine answered, and the inbox lists it as mine', async () => {
    const { taskId } = await startCase();
    await claimTask(pool, tasks, taskId, { id: 'reviewer1', groups: [GROUP] }, true);
    expect((await row(taskId)).assignee).toBe('reviewer1');
    expect((await tasks.get(taskId))?.assignee).toBe('reviewer1');
    const mine = await listInbox(pool, {
      groups: [GROUP],
      me: 'reviewer1',
      assignedToMe: true,
      sort: 'due',
      order: 'asc',
      now: new Date(),
      limit: 50,
      offset: 0,
    });
    expect(mine.tasks.map((t) => t.taskId)).toContain(taskId);
    expect(mine.counts.assignedToMe).toBeGreaterThanOrEqual(1);
    // claiming one's own task again changes nothing
    await claimTask(pool, tasks, taskId, { id: 'reviewer1', groups: [GROUP] }, true);
    expect((await row(taskId)).assignee).toBe('reviewer1');
  });

  it('given a task claimed by one reviewer, when another claims it, then the engine refuses (409) and the assignee stays', async () => {
    const { taskId } = await startCase();
    await tasks.claim(taskId, 'reviewer1');
    await expect(tasks.claim(taskId, 'reviewer2')).rejects.toBeInstanceOf(EngineTaskConflict);
    expect(
      await httpStatusOf(
        claimTask(pool, tasks, taskId, { id: 'reviewer2', groups: [GROUP] }, true),
      ),
    ).toBe(409);
    expect((await row(taskId)).assignee).toBe('reviewer1');
    // nor may the other reviewer release it
    expect(
      await httpStatusOf(
        claimTask(pool, tasks, taskId, { id: 'reviewer2', groups: [GROUP] }, false),
      ),
    ).toBe(409);
    expect((await row(taskId)).assignee).toBe('reviewer1');
  });

  it('given a claimed task, when its reviewer releases it, then the projection shows it unassigned', async () => {
    const { taskId } = await startCase();
    await claimTask(pool, tasks, taskId, { id: 'reviewer1', groups: [GROUP] }, true);
    await claimTask(pool, tasks, taskId, { id: 'reviewer1', groups: [GROUP] }, false);
    expect((await row(taskId)).assignee).toBeNull();
    expect((await tasks.get(taskId))?.assignee).toBeNull();
  });

  it('given a claimed task, when reassigned, then the projection shows the new assignee', async () => {
    const { taskId } = await startCase();
    await tasks.claim(taskId, 'reviewer1');
    await tasks.setAssignee(taskId, 'reviewer3');
    expect((await row(taskId)).assignee).toBe('reviewer3');
    await tasks.setAssignee(taskId, null);
    expect((await row(taskId)).assignee).toBeNull();
  });

  it('given a task of another group or an unknown task, then claiming answers 404', async () => {
    const { taskId } = await startCase();
    expect(
      await httpStatusOf(
        claimTask(pool, tasks, taskId, { id: 'r9', groups: ['sumgait-reviewers'] }, true),
      ),
    ).toBe(404);
    const unknown = randomUUID();
    expect(
      await httpStatusOf(claimTask(pool, tasks, unknown, { id: 'r9', groups: [GROUP] }, true)),
    ).toBe(404);
    await expect(tasks.claim(unknown, 'r9')).rejects.toBeInstanceOf(EngineTaskNotFound);
    await expect(tasks.unclaim(unknown)).rejects.toBeInstanceOf(EngineTaskNotFound);
    await expect(tasks.setAssignee(unknown, 'r9')).rejects.toBeInstanceOf(EngineTaskNotFound);
    await expect(tasks.complete(unknown, {})).rejects.toBeInstanceOf(EngineTaskNotFound);
    expect(await tasks.get(unknown)).toBeUndefined();
  });

  it('given a task completed through the tasks module, then the projection has completed_at (not cancelled) and the decision reached the instance', async () => {
    const { instanceId, taskId } = await startCase();
    await tasks.complete(taskId, { decision: { outcome: 'grant', items: [] } });
    const r = await row(taskId);
    expect(r.completed_at).toBeInstanceOf(Date);
    expect(r.cancelled).toBe(false);
    expect(await tasks.get(taskId)).toBeUndefined();
    const history = ok(
      await rest.GET('/history/variable-instance', {
        params: {
          query: {
            processInstanceId: instanceId,
            variableName: 'decision',
            deserializeValues: true,
          },
        },
      }),
    );
    expect(history[0]?.value).toEqual({ outcome: 'grant', items: [] });
    // completing again: the task is gone
    await expect(tasks.complete(taskId, {})).rejects.toBeInstanceOf(EngineTaskNotFound);
  });

  it('given a cancelled instance, then its task row is closed as cancelled', async () => {
    const { instanceId, taskId } = await startCase();
    ok(await rest.DELETE('/process-instance/{id}', { params: { path: { id: instanceId } } }));
    const r = await row(taskId);
    expect(r.completed_at).toBeInstanceOf(Date);
    expect(r.cancelled).toBe(true);
  });

  it('given a decision, then it is recorded with the task id, the task leaves the inbox at once, the completion is queued, and the engine completing it closes the row', async () => {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO application (id, category, status) VALUES ($1, 3, 'under_review')`,
      [id],
    );
    const { taskId } = await startCase(id, 'application-review');
    await claimTask(pool, tasks, taskId, { id: 'reviewer1', groups: [GROUP] }, true);
    const reviewer = { id: 'reviewer1', groups: [GROUP] };
    await decide(pool, taskId, reviewer, {
      outcome: 'grant',
      legalGround: 'grant-cabinet',
      reason: 'All documents are in order.',
    });
    const d = await pool.query(
      'SELECT task_id, application_id, outcome FROM decision WHERE case_id = $1',
      [id],
    );
    expect(d.rows).toEqual([{ task_id: taskId, application_id: id, outcome: 'grant' }]);
    const r = await pool.query('SELECT outcome, completed_at FROM review_task WHERE task_id = $1', [
      taskId,
    ]);
    expect(r.rows[0]).toEqual({ outcome: 'grant', completed_at: null });
    const queued = await pool.query('SELECT variables FROM engine_outbox WHERE message_id = $1', [
      `complete:${taskId}`,
    ]);
    expect(queued.rows[0].variables.decision).toEqual(
      expect.objectContaining({
        outcome: 'grant',
        legalGround: 'grant-cabinet',
        decidedBy: 'reviewer1',
      }),
    );
    const inbox = await listInbox(pool, {
      groups: [GROUP],
      me: 'reviewer1',
      sort: 'due',
      order: 'asc',
      now: new Date(),
      limit: 200,
      offset: 0,
    });
    expect(inbox.tasks.map((t) => t.taskId)).not.toContain(taskId);
    // a second decision is refused while the completion is on its way
    expect(
      await httpStatusOf(
        decide(pool, taskId, reviewer, {
          outcome: 'grant',
          legalGround: 'grant-cabinet',
          reason: 'All documents are in order.',
        }),
      ),
    ).toBe(409);
    // what the outbox does with the queued row
    await tasks.complete(taskId, queued.rows[0].variables);
    const done = await pool.query(
      'SELECT outcome, completed_at, cancelled FROM review_task WHERE task_id = $1',
      [taskId],
    );
    expect(done.rows[0]).toEqual({
      outcome: 'grant',
      completed_at: expect.any(Date),
      cancelled: false,
    });
  });
});
