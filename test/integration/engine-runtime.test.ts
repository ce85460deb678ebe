import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import pino from 'pino';
import { migrate } from '../../src/db/migrate.js';
import { jdbcFromDatabaseUrl, startEngine, type RunningEngine } from '../../src/engine/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { groupPids, listeningSockets } from '../support/ports.js';

// One engine on its own fresh database (with the app's migrations, so review_task has the shape
// of migration 090), listening on a free port.

const USER = 'housingtest';
const PASSWORD = randomBytes(18).toString('base64url');
const CACHE_DIR =
  process.env.ENGINE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'az-housing', 'engine');

let db: TestDatabase;
let pool: pg.Pool;
let engine: RunningEngine;
let dataDir: string;
let startSeconds = 0;
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AUTH = { authorization: basic(USER, PASSWORD) };

async function rest<T = unknown>(
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${engine.url}${pathname}`, {
    method,
    headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* a plain-text error */
  }
  return { status: res.status, json: json as T };
}

async function deploy(name: string, bpmn: string): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', name);
  form.append('deployment-source', 'engine-runtime-test');
  form.append('deploy-changed-only', 'true');
  form.append('enable-duplicate-filtering', 'true');
  form.append(`${name}.bpmn`, new Blob([bpmn], { type: 'application/xml' }), `${name}.bpmn`);
  const res = await fetch(`${engine.url}/deployment/create`, {
    method: 'POST',
    headers: AUTH,
    body: form,
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

const BPMN_NS = `xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"`;

/** One user task for the candidate group in `reviewBody`, due at `reviewDueAt`. */
const reviewModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN_NS} id="d1" targetNamespace="http://az.housing/test">
  <bpmn:process id="projection-test" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" camunda:candidateGroups="\${reviewBody}"
        camunda:dueDate="\${reviewDueAt}" camunda:followUpDate="\${reminderAt}" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** A gateway on a JSON object variable: ends in `granted` or `refused`. */
const gatewayModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN_NS} id="d2" targetNamespace="http://az.housing/test">
  <bpmn:process id="json-gateway-test" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:exclusiveGateway id="gw" default="toRefused" />
    <bpmn:sequenceFlow id="toGranted" sourceRef="gw" targetRef="granted">
      <bpmn:conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="bpmn:tFormalExpression">\${decision.outcome == 'grant'}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toRefused" sourceRef="gw" targetRef="refused" />
    <bpmn:endEvent id="granted" />
    <bpmn:endEvent id="refused" />
  </bpmn:process>
</bpmn:definitions>`;

interface TaskRow {
  task_id: string;
  process_instance_id: string;
  process_definition_key: string;
  element_id: string;
  business_key: string | null;
  case_type: string;
  case_id: string;
  application_id: string | null;
  candidate_groups: string[];
  assignee: string | null;
  due_at: Date | null;
  follow_up_at: Date | null;
  completed_at: Date | null;
  cancelled: boolean;
}

async function taskRows(processInstanceId: string): Promise<TaskRow[]> {
  const r = await pool.query<TaskRow>('SELECT * FROM review_task WHERE process_instance_id = $1', [
    processInstanceId,
  ]);
  return r.rows;
}

async function startReview(caseId: string, vars: Record<string, unknown> = {}) {
  const variables: Record<string, { value: unknown; type: string }> = {
    caseType: { value: 'application', type: 'String' },
    caseId: { value: caseId, type: 'String' },
    reviewBody: { value: 'mida-review', type: 'String' },
    reviewDueAt: { value: '2026-03-19T12:00:00.000Z', type: 'String' },
    reminderAt: { value: '2026-03-17T08:00:00.000Z', type: 'String' },
  };
  for (const [k, v] of Object.entries(vars)) variables[k] = v as { value: unknown; type: string };
  const r = await rest<{ id: string }>('POST', '/process-definition/key/projection-test/start', {
    businessKey: `MIDA-${caseId.slice(0, 8)}`,
    variables,
  });
  expect(r.status).toBe(200);
  return r.json.id;
}

async function openTaskId(processInstanceId: string): Promise<string> {
  const r = await rest<{ id: string }[]>('GET', `/task?processInstanceId=${processInstanceId}`);
  expect(r.json).toHaveLength(1);
  return r.json[0]!.id;
}

beforeAll(async () => {
  db = await createTestDatabase('engine_runtime');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await migrate(pool, log);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-runtime-'));
  const jdbc = jdbcFromDatabaseUrl(db.url);
  const t0 = Date.now();
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
  startSeconds = (Date.now() - t0) / 1000;
}, 600_000);

afterAll(async () => {
  await engine?.stop();
  await pool?.end();
  await db?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the Operaton engine started by the runtime', () => {
  it('given no, wrong or right Basic credentials, then /version answers 401, 401, 200 with 1.0.3', async () => {
    expect(engine.url).toBe(`http://127.0.0.1:${engine.port}/engine-rest`);
    const anonymous = await fetch(`${engine.url}/version`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${engine.url}/version`, {
      headers: { authorization: basic(USER, `${PASSWORD}x`) },
    });
    expect(wrong.status).toBe(401);
    // right after a wrong password (no login throttling that would lock the app out)
    const right = await rest<{ version: string }>('GET', '/version');
    expect(right.status).toBe(200);
    expect(right.json.version).toBe('1.0.3');
    const rss = Number(
      /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${engine.pid}/status`, 'utf8'))?.[1],
    );
    log.warn({ startSeconds, rssMiB: Math.round(rss / 1024) }, 'engine figures');
  });

  it('given its tables, then they are in schema operaton and the app tables stay in public', async () => {
    const r = await pool.query<{ table_schema: string; n: number }>(
      `SELECT table_schema, count(*)::int AS n FROM information_schema.tables
        WHERE table_name ILIKE 'act\\_%' GROUP BY table_schema`,
    );
    expect(r.rows).toEqual([{ table_schema: 'operaton', n: expect.any(Number) }]);
    expect(r.rows[0]!.n).toBeGreaterThan(40);
    const app = await pool.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'review_task'`,
    );
    expect(app.rowCount).toBe(1);
  });

  it('given every TCP port the engine listens on, then each is on 127.0.0.1 and refuses anonymous API calls', async () => {
    const pids = groupPids(engine.pid);
    expect(pids).toContain(engine.pid);
    const sockets = pids.flatMap((p) => listeningSockets(p));
    expect(sockets.length).toBeGreaterThan(0);
    for (const s of sockets) {
      expect(s.address).toBe('127.0.0.1');
      for (const p of [
        '/engine-rest/process-definition',
        '/operaton/api/engine/engine/default/process-definition',
        '/operaton/api/cockpit/plugin/base/default/process-definition/statistics',
        '/operaton/api/admin/auth/user/default',
      ]) {
        const res = await fetch(`http://127.0.0.1:${s.port}${p}`, { redirect: 'manual' });
        const body = await res.text();
        expect({ port: s.port, path: p, status: res.status }).toEqual({
          port: s.port,
          path: p,
          status: expect.any(Number),
        });
        // 401/403/404: nothing granted; never a 200 with data
        expect([401, 403, 404]).toContain(res.status);
        expect(body).not.toMatch(/"key"\s*:/);
      }
      // the web apps' anonymous "create the first admin" setup is closed (the service account exists)
      const setup = await fetch(
        `http://127.0.0.1:${s.port}/operaton/api/admin/setup/default/user/create`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            profile: { id: 'intruder', firstName: 'a', lastName: 'b', email: 'a@b.c' },
            credentials: { password: 'intruder-password-123' },
          }),
        },
      );
      await setup.arrayBuffer();
      expect(setup.status).toBeGreaterThanOrEqual(400);
    }
    const users = await rest<{ id: string }[]>('GET', '/user');
    expect(users.json.map((u) => u.id)).toEqual([USER]);
  });

  it('given a user task, then its row is projected on create, claim and complete in the same database', async () => {
    await deploy('projection-test', reviewModel);
    const caseId = randomUUID();
    const pi = await startReview(caseId);
    const taskId = await openTaskId(pi);

    const [created] = await taskRows(pi);
    expect(created).toMatchObject({
      task_id: taskId,
      process_instance_id: pi,
      process_definition_key: 'projection-test',
      element_id: 'review',
      business_key: `MIDA-${caseId.slice(0, 8)}`,
      case_type: 'application',
      case_id: caseId,
      application_id: caseId,
      candidate_groups: ['mida-review'],
      assignee: null,
      completed_at: null,
      cancelled: false,
    });
    expect(created!.due_at?.toISOString()).toBe('2026-03-19T12:00:00.000Z');
    expect(created!.follow_up_at?.toISOString()).toBe('2026-03-17T08:00:00.000Z');

    expect((await rest('POST', `/task/${taskId}/claim`, { userId: 'reviewer-1' })).status).toBe(
      204,
    );
    expect((await taskRows(pi))[0]!.assignee).toBe('reviewer-1');

    // update event: a new due date, no follow-up. The REST API's Date fields take the offset
    // without colon (+0000); "Z" is refused (unlike ISO strings in variables, parsed by the engine)
    const dto = { name: 'Review', priority: 50, assignee: 'reviewer-1', followUp: null };
    const zulu = await rest('PUT', `/task/${taskId}`, { ...dto, due: '2026-04-01T09:30:00.000Z' });
    expect(zulu.status).toBe(400);
    const put = await rest('PUT', `/task/${taskId}`, {
      ...dto,
      due: '2026-04-01T09:30:00.000+0000',
    });
    expect(put.status).toBe(204);
    const [updated] = await taskRows(pi);
    expect(updated!.due_at?.toISOString()).toBe('2026-04-01T09:30:00.000Z');
    expect(updated!.follow_up_at).toBeNull();
    expect(updated!.assignee).toBe('reviewer-1');

    expect((await rest('POST', `/task/${taskId}/complete`, { variables: {} })).status).toBe(204);
    const [done] = await taskRows(pi);
    expect(done!.completed_at).toBeInstanceOf(Date);
    expect(done!.cancelled).toBe(false);
  });

  it('given a cancelled instance (even skipping custom listeners), then its open task is marked cancelled', async () => {
    const pi = await startReview(randomUUID());
    expect((await taskRows(pi))[0]!.completed_at).toBeNull();
    const del = await rest('DELETE', `/process-instance/${pi}?skipCustomListeners=true`);
    expect(del.status).toBe(204);
    const [row] = await taskRows(pi);
    expect(row!.cancelled).toBe(true);
    expect(row!.completed_at).toBeInstanceOf(Date);
  });

  it('given a user task without caseId/caseType, then the task exists but no row is projected', async () => {
    const r = await rest<{ id: string }>('POST', '/process-definition/key/projection-test/start', {
      variables: {
        reviewBody: { value: 'mida-review', type: 'String' },
        reviewDueAt: { value: '2026-03-19T12:00:00.000Z', type: 'String' },
        reminderAt: { value: null, type: 'Null' },
      },
    });
    expect(r.status).toBe(200);
    await openTaskId(r.json.id);
    expect(await taskRows(r.json.id)).toEqual([]);
  });

  it('given a JSON object variable, then a JUEL gateway reads it and REST returns it as JSON', async () => {
    await deploy('json-gateway-test', gatewayModel);
    const start = async (outcome: string) => {
      const r = await rest<{ id: string }>(
        'POST',
        '/process-definition/key/json-gateway-test/start',
        {
          variables: {
            decision: {
              type: 'Object',
              value: JSON.stringify({ outcome, reasons: ['a', 'b'], score: 3 }),
              valueInfo: {
                objectTypeName: 'java.util.LinkedHashMap',
                serializationDataFormat: 'application/json',
              },
            },
          },
        },
      );
      expect(r.status).toBe(200);
      const ends = await rest<{ activityId: string }[]>(
        'GET',
        `/history/activity-instance?processInstanceId=${r.json.id}&activityType=noneEndEvent`,
      );
      const vars = await rest<
        { value: unknown; type: string; valueInfo: Record<string, unknown> }[]
      >(
        'GET',
        `/history/variable-instance?processInstanceId=${r.json.id}&variableName=decision&deserializeValues=true`,
      );
      return { end: ends.json.map((e) => e.activityId), decision: vars.json[0] };
    };
    const grant = await start('grant');
    expect(grant.end).toEqual(['granted']);
    expect(grant.decision).toMatchObject({
      type: 'Object',
      value: { outcome: 'grant', reasons: ['a', 'b'], score: 3 },
      valueInfo: { serializationDataFormat: 'application/json' },
    });
    expect((await start('refuse')).end).toEqual(['refused']);

    // a class other than a map or list is refused (no deserialization into arbitrary types)
    const bad = await rest('POST', '/process-definition/key/json-gateway-test/start', {
      variables: {
        decision: {
          type: 'Object',
          value: '{}',
          valueInfo: {
            objectTypeName: 'java.io.File',
            serializationDataFormat: 'application/json',
          },
        },
      },
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
  });

  it('given stop(), then no java process of the engine is left', async () => {
    const pid = engine.pid;
    const t0 = Date.now();
    await engine.stop();
    log.warn({ stopSeconds: (Date.now() - t0) / 1000 }, 'engine stopped');
    expect(groupPids(pid)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'engine.pid'))).toBe(false);
  });
});
