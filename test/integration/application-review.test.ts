import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

const submission = (over: Record<string, unknown> = {}) => ({
  applicantFin: '1AB2CD3',
  category: 3,
  consentToRegistryQueries: true,
  confirmsDataTrue: true,
  ...over,
});

async function whenChecked(id: string) {
  return eventually(async () => {
    const { body } = await t.api(`/api/v1/applications/${id}`);
    return body.checks?.length ? body : undefined;
  });
}

describe('application review, first slice: submit → once-only-right check → end', () => {
  it('given a new applicant, when the application is submitted, then it is registered and the check passes in the engine', async () => {
    const res = await t.api('/api/v1/applications', { body: submission() });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      registrationNumber: expect.any(Number),
      status: 'under_review',
    });
    expect(res.headers.get('location')).toBe(`/api/v1/applications/${res.body.id}`);

    const app = await whenChecked(res.body.id);
    expect(app.processInstanceKey).toMatch(/^\d+$/);
    expect(app.checks).toEqual([
      expect.objectContaining({ name: 'once-only-right', passed: true, legalGround: '003 §2.2' }),
    ]);
  });

  it('given the spouse already applied, when the family applies again, then the check fails citing 003 §2.2 and the earlier number', async () => {
    const first = await t.api('/api/v1/applications', {
      body: submission({ applicantFin: '7QW8ER9' }),
    });
    const second = await t.api('/api/v1/applications', {
      body: submission({ applicantFin: '3TY4UI5', spouseFin: '7qw8er9' }),
    });
    expect(second.body.registrationNumber).toBeGreaterThan(first.body.registrationNumber);

    const app = await whenChecked(second.body.id);
    expect(app.checks[0]).toEqual(
      expect.objectContaining({
        passed: false,
        legalGround: '003 §2.2',
        detail: { conflictingRegistrationNumbers: [first.body.registrationNumber] },
      }),
    );
  });

  it('given applications submitted one after another, then registration numbers follow submission order', async () => {
    const numbers: number[] = [];
    for (const fin of ['8AA0001', '8AA0002', '8AA0003']) {
      numbers.push(
        (await t.api('/api/v1/applications', { body: submission({ applicantFin: fin }) })).body
          .registrationNumber,
      );
    }
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    expect(new Set(numbers).size).toBe(3);
  });

  it('given invalid input, when submitted, then 400 names every bad field and nothing is stored', async () => {
    const before = await t.stack.db.pool.query('SELECT count(*)::int AS n FROM application');
    const res = await t.api('/api/v1/applications', {
      body: {
        applicantFin: '12',
        category: 0,
        consentToRegistryQueries: false,
        confirmsDataTrue: true,
        extra: 1,
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['applicantFin', 'category', 'consentToRegistryQueries']),
    );
    expect(res.body.detail).toMatch(/applicantFin/);
    const after = await t.stack.db.pool.query('SELECT count(*)::int AS n FROM application');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('given malformed JSON, when submitted, then 400 names the body', async () => {
    const res = await t.api('/api/v1/applications', { body: '{"applicantFin":' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'not valid JSON' }]);
  });

  it('given an unknown or malformed id, when the status is asked, then 404 or 400 names the id', async () => {
    expect((await t.api('/api/v1/applications/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    const bad = await t.api('/api/v1/applications/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('id');
  });

  it('given the submissions above, then no FIN reached the logs', () => {
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expect(t.logs.text).not.toMatch(/1AB2CD3|7QW8ER9|3TY4UI5|8AA000/i);
  });

  it('given a submission whose engine message is published twice (crash before it was marked sent), then no second review starts', async () => {
    const res = await t.api('/api/v1/applications', {
      body: submission({ applicantFin: '9ZZ9ZZ9' }),
    });
    await whenChecked(res.body.id);
    // Simulate the crash window: the row is published but the mark was lost.
    await t.stack.db.pool.query(
      `UPDATE engine_outbox SET published_at = NULL WHERE correlation_key = $1`,
      [res.body.id],
    );
    await t.stack.outbox.dispatch();
    const pending = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM engine_outbox WHERE published_at IS NULL`,
    );
    expect(pending.rows[0].n).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const audits = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND action LIKE 'check-%'`,
      [res.body.id],
    );
    expect(audits.rows[0].n).toBe(1);
  });
});

describe('service endpoints', () => {
  it('given the stack is up, then /healthz and /readyz answer 200 with database and broker up', async () => {
    expect((await t.api('/healthz')).status).toBe(200);
    const ready = await t.api('/readyz');
    expect(ready).toEqual(
      expect.objectContaining({
        status: 200,
        body: { status: 'ready', checks: { database: 'up', broker: 'up' } },
      }),
    );
  });

  it('given the API, then /api/openapi.json documents its paths and the problem shape', async () => {
    const { body } = await t.api('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/applications',
        '/api/v1/applications/{id}',
        '/healthz',
        '/readyz',
      ]),
    );
    expect(body.components.schemas.Problem).toBeDefined();
  });

  it('given an unknown route, then 404 comes as a problem', async () => {
    const res = await t.api('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.title).toBe('Not found');
  });
});
