import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calendarRouter } from '../../src/api/calendar.js';
import { operatorDashboardRouter } from '../../src/api/operator-dashboard.js';
import { problemHandler } from '../../src/api/problem.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { deadlineEnd } from '../../src/domain/calendar.js';
import { deployModels } from '../../src/engine/models.js';
import { ok } from '../../src/engine/rest.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createLogger } from '../../src/logger.js';
import { as, seedTestPrincipals } from '../support/auth.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestEngine, type TestEngine } from '../support/test-engine.js';

// The dashboard router on its own small app over a fresh, migrated database (seeded calendar:
// Mon 9 and Tue 10 Nov 2026 are holidays) with its own Operaton engine: review tasks are user
// tasks at known due dates, projected into review_task by the engine in its own transaction.
let db: TestDatabase;
let pool: Pool;
let engine: TestEngine;
let server: Server;
let baseUrl: string;

/** Friday 6 Nov 2026, noon in Baku. The next working days: Wed 11, Thu 12, Fri 13 Nov. */
const FRIDAY_NOON = '2026-11-06T12:00:00+04:00';

/** One user task whose group, due date and assignee come from variables, under a process id. */
const reviewModel = (processId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d-${processId}" targetNamespace="http://test">
  <bpmn:process id="${processId}" isExecutable="true" camunda:historyTimeToLive="P30D">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" camunda:candidateGroups="\${reviewGroup}" camunda:dueDate="\${reviewDueAt}" camunda:assignee="\${reviewer}">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function task(t: {
  process: string;
  body: string;
  due: string | null;
  assignee?: string;
  completed?: boolean;
}): Promise<void> {
  const started = ok(
    await engine.rest.POST('/process-definition/key/{key}/start', {
      params: { path: { key: t.process } },
      body: {
        variables: toEngineVariables({
          caseType: 'waitlist-case',
          caseId: randomUUID(),
          reviewGroup: `${t.body}-reviewers`,
          reviewDueAt: t.due && deadlineEnd(t.due).toISOString(),
          reviewer: t.assignee ?? null,
        }),
      },
    }),
  );
  if (t.completed) {
    const [open] = ok(
      await engine.rest.GET('/task', { params: { query: { processInstanceId: started.id! } } }),
    );
    ok(
      await engine.rest.POST('/task/{id}/complete', {
        params: { path: { id: open!.id! } },
        body: { withVariablesInReturn: false },
      }),
    );
  }
}

beforeAll(async () => {
  db = await createTestDatabase('az_housing_dashboard_test');
  pool = createPool({ connectionString: db.url, max: 4 });
  await migrate(pool, createLogger('silent'));
  await seedTestPrincipals(pool);
  engine = await startTestEngine(db.url);
  await deployModels(
    { rest: engine.rest, pool, log: createLogger('silent') },
    ['application-review', 'waitlist-registration'].map((id) => ({
      file: `${id}.bpmn`,
      xml: reviewModel(id),
      processIds: [id],
    })),
  );
  const app = express();
  app.use(express.json());
  app.use(authenticate({ pool }));
  app.use(operatorDashboardRouter({ pool }));
  app.use(calendarRouter({ pool }));
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // application-review: one overdue, one due today, one due on the 3rd working day after a
  // weekend and two holidays (7 calendar days away), one due on the 4th working day
  await task({ process: 'application-review', body: 'mida', due: '2026-11-05' });
  await task({
    process: 'application-review',
    body: 'mida',
    due: '2026-11-06',
    assignee: 'reviewer-1',
  });
  await task({ process: 'application-review', body: 'mida', due: '2026-11-13' });
  await task({
    process: 'application-review',
    body: 'baku-nasimi',
    due: '2026-11-16',
    assignee: 'nasimi-reviewer-1',
  });
  // a completed task counts nowhere
  await task({ process: 'application-review', body: 'mida', due: '2026-11-05', completed: true });
  // waitlist-registration: one due soon, one without a deadline
  await task({ process: 'waitlist-registration', body: 'baku-nasimi', due: '2026-11-11' });
  await task({ process: 'waitlist-registration', body: 'mida', due: null });
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await engine?.stop();
  await pool?.end();
  await db?.drop();
});

async function get(query: string, who = 'operator-1', path = '/api/v1/operator/deadlines') {
  const res = await fetch(`${baseUrl}${path}${query}`, { headers: as(who) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('deadlines dashboard', () => {
  it('given tasks due around a weekend and two holidays, when an operator asks on a Friday, then each process counts overdue, due today and due within 3 working days', async () => {
    const res = await get(`?at=${encodeURIComponent(FRIDAY_NOON)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      today: '2026-11-06',
      dueSoonUntil: '2026-11-13',
      dueSoonWorkingDays: 3,
    });
    expect(res.body.processes).toEqual([
      { bpmnProcessId: 'application-review', open: 4, overdue: 1, dueToday: 1, dueSoon: 1 },
      { bpmnProcessId: 'waitlist-registration', open: 2, overdue: 0, dueToday: 0, dueSoon: 1 },
    ]);
  });

  it('given the same tasks, when asked a day earlier (Thursday), then the task due after the holidays is not yet due soon', async () => {
    const res = await get(`?at=${encodeURIComponent('2026-11-05T09:00:00+04:00')}`);
    expect(res.body.dueSoonUntil).toBe('2026-11-12');
    expect(res.body.processes[0]).toEqual({
      bpmnProcessId: 'application-review',
      open: 4,
      overdue: 0,
      dueToday: 1,
      dueSoon: 1,
    });
  });

  it('given tasks of two bodies, when an operator asks, then each body shows its open, assigned, unassigned and overdue tasks', async () => {
    const res = await get(`?at=${encodeURIComponent(FRIDAY_NOON)}`);
    expect(res.body.bodies).toEqual([
      { body: 'baku-nasimi', open: 2, assigned: 1, unassigned: 1, overdue: 0 },
      { body: 'mida', open: 4, assigned: 1, unassigned: 3, overdue: 1 },
    ]);
  });

  it("given a MİDA supervisor, when they ask, then they see only MİDA's tasks", async () => {
    const res = await get(`?at=${encodeURIComponent(FRIDAY_NOON)}`, 'supervisor-1');
    expect(res.status).toBe(200);
    expect(res.body.bodies).toEqual([
      { body: 'mida', open: 4, assigned: 1, unassigned: 3, overdue: 1 },
    ]);
    expect(res.body.processes).toEqual([
      { bpmnProcessId: 'application-review', open: 3, overdue: 1, dueToday: 1, dueSoon: 1 },
      { bpmnProcessId: 'waitlist-registration', open: 1, overdue: 0, dueToday: 0, dueSoon: 0 },
    ]);
  });

  it("given a MİDA supervisor, when they ask for another body, then 403 names the field 'body'", async () => {
    const res = await get('?body=baku-nasimi', 'supervisor-1');
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'not one of your bodies' }]);
  });

  it('given an operator, when they ask for one body, then only that body is counted', async () => {
    const res = await get(`?at=${encodeURIComponent(FRIDAY_NOON)}&body=baku-nasimi`);
    expect(res.body.processes).toEqual([
      { bpmnProcessId: 'application-review', open: 1, overdue: 0, dueToday: 0, dueSoon: 0 },
      { bpmnProcessId: 'waitlist-registration', open: 1, overdue: 0, dueToday: 0, dueSoon: 1 },
    ]);
  });

  it('given a reviewer, when they ask, then 403', async () => {
    expect((await get('', 'reviewer-1')).status).toBe(403);
  });

  it("given a malformed instant, when asked, then 400 names the field 'at'", async () => {
    const res = await get('?at=next-friday');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['at']);
  });

  it("given an instant in a year without calendar data, when asked, then 422 names the field 'at'", async () => {
    const res = await get(`?at=${encodeURIComponent('2031-06-02T10:00:00+04:00')}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('at');
  });
});

describe('calendar change log', () => {
  it('given a day added and then removed with reasons, when the log of its year is asked, then both changes are listed newest first with actor and reason', async () => {
    const headers = { ...as('operator-1'), 'content-type': 'application/json' };
    await fetch(`${baseUrl}/api/v1/calendar/days/2026-12-22`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        kind: 'other_day_off',
        nameAz: 'Sınaq',
        nameEn: 'Test',
        sourceAz: 'Nazirlər Kabinetinin qərarı (sınaq)',
        sourceEn: 'Cabinet decision (test)',
        reason: 'published',
      }),
    });
    await fetch(`${baseUrl}/api/v1/calendar/days/2026-12-22?reason=mistake`, {
      method: 'DELETE',
      headers,
    });
    const res = await get('?year=2026', 'operator-1', '/api/v1/calendar/audit');
    expect(res.status).toBe(200);
    expect(
      res.body.entries.map((e: any) => [e.date, e.action, e.actor, e.actorName, e.reason]),
    ).toEqual([
      // the test accounts' display name is their id (test/support/auth.ts)
      ['2026-12-22', 'calendar-day-deleted', 'operator-1', 'operator-1', 'mistake'],
      ['2026-12-22', 'calendar-day-added', 'operator-1', 'operator-1', 'published'],
    ]);
    const other = await get('?year=2027', 'operator-1', '/api/v1/calendar/audit');
    expect(other.body.entries).toEqual([]);
  });

  it("given no year, when the log is asked, then 400 names the field 'year'", async () => {
    const res = await get('', 'operator-1', '/api/v1/calendar/audit');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['year']);
  });

  it('given a reviewer, when they ask for the log, then 403', async () => {
    expect((await get('?year=2026', 'reviewer-1', '/api/v1/calendar/audit')).status).toBe(403);
  });
});
