import { as } from '../support/auth.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calendarRouter } from '../../src/api/calendar.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { seedTestPrincipals } from '../support/auth.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { problemHandler } from '../../src/api/problem.js';
import { auditTrail } from '../../src/cases/audit.js';
import { calendarDayAuditId, loadCalendar } from '../../src/cases/calendar-repository.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The calendar router on its own small app over a fresh, migrated database (the full stack
// mounts it in src/api/app.ts).
let db: TestDatabase;
let pool: Pool;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase('az_housing_calendar_test');
  pool = createPool({ connectionString: db.url, max: 4 });
  await migrate(pool, createLogger('silent'));
  await seedTestPrincipals(pool);
  const app = express();
  app.use(express.json());
  app.use(authenticate({ pool }));
  app.use(calendarRouter({ pool }));
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await pool?.end();
  await db?.drop();
});

async function api(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...as('operator-1'), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const deadline = async (from: string, add: number) =>
  (await api(`/api/v1/calendar/working-days?from=${from}&add=${add}`)).body.deadline;

const dayOff = (over: Record<string, unknown> = {}) => ({
  kind: 'other_day_off',
  nameAz: 'Nazirlər Kabinetinin qərarı ilə istirahət günü',
  nameEn: 'Day off by Cabinet decision',
  sourceAz: 'Nazirlər Kabinetinin qərarı (sınaq)',
  sourceEn: 'Cabinet decision (test)',
  ...over,
});

describe('working-day deadlines over the seeded calendar', () => {
  it('given an application registered on Thu 19 Mar 2026, when 5 working days are asked, then the deadline skips Novruz and Ramazan to Mon 6 Apr 2026', async () => {
    const res = await api('/api/v1/calendar/working-days?from=2026-03-19&add=5');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-03-19',
      add: 5,
      deadline: '2026-04-06',
      deadlineEndsAt: '2026-04-06T23:59:59.999+04:00',
      timeZone: 'Asia/Baku',
      provisional: false,
    });
  });

  it('given a period running into 2027, when asked, then the answer is marked provisional', async () => {
    const res = await api('/api/v1/calendar/working-days?from=2026-12-30&add=1');
    expect(res.body).toMatchObject({ deadline: '2027-01-05', provisional: true });
  });

  it('given the seeded calendar, when each year is counted, then 2025 and 2026 match the production calendars (239 and 241 working days)', async () => {
    const calendar = await loadCalendar(pool);
    expect(calendar.years).toEqual([2025, 2026, 2027]);
    expect(calendar.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(239);
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(241);
  });

  it('given a malformed from, when asked, then 400 names from', async () => {
    const res = await api('/api/v1/calendar/working-days?from=2026-02-30&add=5');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'from', message: expect.any(String) }]);
  });

  it.each(['-1', '401', '2.5', 'five', ''])(
    'given add=%s, when asked, then 400 names add',
    async (add) => {
      const res = await api(`/api/v1/calendar/working-days?from=2026-03-19&add=${add}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['add']);
    },
  );

  it('given a period that runs past the last year with data, when asked, then 422 names add and the missing year', async () => {
    const res = await api('/api/v1/calendar/working-days?from=2027-12-29&add=5');
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/no working-day calendar data for 2028/);
    expect(res.body.errors).toEqual([{ field: 'add', message: expect.stringContaining('2028') }]);
  });

  it('given a start in a year without data, when asked, then 422 names from', async () => {
    const res = await api('/api/v1/calendar/working-days?from=2030-01-01&add=1');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('from');
  });
});

describe('stored calendar days', () => {
  it('given the migration, when the 2025 days are listed, then there are 23 weekdays off and Sat 21 Jun as a working day, each with its source in Azerbaijani and English', async () => {
    const res = await api('/api/v1/calendar/years/2025/days');
    expect(res.status).toBe(200);
    expect(res.body.complete).toBe(true);
    const days = res.body.days as {
      date: string;
      kind: string;
      sourceAz: string;
      sourceEn: string;
    }[];
    expect(days.filter((d) => d.kind !== 'working_weekend')).toHaveLength(23);
    expect(days.filter((d) => d.kind === 'working_weekend').map((d) => d.date)).toEqual([
      '2025-06-21',
    ]);
    expect(days.every((d) => d.sourceAz.length > 0 && d.sourceEn.length > 0)).toBe(true);
    // the Azerbaijani text is a translation, not a copy of the English one
    expect(days.filter((d) => d.sourceAz === d.sourceEn)).toEqual([]);
  });

  it('Labour Code 105.1, 105.6: given the migration, when the 2026 days are listed, then Novruz with Ramazan (20 Mar) cites the Labour Code and Cabinet decision No. 362 in Azerbaijani and in English', async () => {
    const { body } = await api('/api/v1/calendar/years/2026/days');
    const day = (date: string) => body.days.find((d: { date: string }) => d.date === date);
    expect(day('2026-03-20')).toMatchObject({
      sourceAz:
        'Əmək Məcəlləsinin 105.1-ci maddəsi; Nazirlər Kabinetinin 2 dekabr 2025-ci il tarixli 362 nömrəli qərarı',
      sourceEn: 'Labour Code 105.1; Cabinet decision No. 362 of 2 Dec 2025',
    });
    expect(day('2026-03-27')).toMatchObject({
      sourceAz:
        'Nazirlər Kabinetinin 2 dekabr 2025-ci il tarixli 362 nömrəli qərarı; Əmək Məcəlləsinin 105.6-cı maddəsi',
      sourceEn: 'Cabinet decision No. 362 of 2 Dec 2025; Labour Code 105.6',
    });
  });

  it('given the migration, when the 2026 days are listed, then there are 20 weekdays off, none provisional', async () => {
    const { body } = await api('/api/v1/calendar/years/2026/days');
    expect(body.days).toHaveLength(20);
    expect(body.days.some((d: { provisional: boolean }) => d.provisional)).toBe(false);
  });

  it('given the migration, when the 2027 days are listed, then every row of the projection is provisional', async () => {
    const { body } = await api('/api/v1/calendar/years/2027/days');
    expect(body.days).toHaveLength(20);
    expect(body.days.every((d: { provisional: boolean }) => d.provisional)).toBe(true);
    expect(
      body.days.filter((d: { sourceAz: string; sourceEn: string }) => d.sourceAz === d.sourceEn),
    ).toEqual([]);
  });

  it('given a year without data, when listed, then 404', async () => {
    expect((await api('/api/v1/calendar/years/2031/days')).status).toBe(404);
  });
});

describe('operator edits', () => {
  it('given an operator adds Thu 15 Oct 2026 as a day off, when the deadline is asked again, then it moves a day and the change is audited', async () => {
    expect(await deadline('2026-10-12', 5)).toBe('2026-10-19');

    const res = await api('/api/v1/calendar/days/2026-10-15', {
      method: 'PUT',
      body: dayOff({ reason: 'Cabinet declared a day off' }),
      headers: as('operator.aliyev'),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      date: '2026-10-15',
      kind: 'other_day_off',
      provisional: false,
      updatedBy: 'operator.aliyev',
    });

    expect(await deadline('2026-10-12', 5)).toBe('2026-10-20');
    const trail = await auditTrail(pool, 'calendar', calendarDayAuditId('2026-10-15'));
    expect(trail).toEqual([
      expect.objectContaining({
        actor: 'operator.aliyev',
        action: 'calendar-day-added',
        legalGround: 'Cabinet decision (test)',
        reason: 'Cabinet declared a day off',
        before: null,
        after: expect.objectContaining({ date: '2026-10-15', kind: 'other_day_off' }),
      }),
    ]);
  });

  it('given a day off an operator added, when it is deleted, then the deadline is restored and the deletion is audited', async () => {
    await api('/api/v1/calendar/days/2026-09-15', { method: 'PUT', body: dayOff() });
    expect(await deadline('2026-09-14', 1)).toBe('2026-09-16');

    const res = await api('/api/v1/calendar/days/2026-09-15?reason=entered%20by%20mistake', {
      method: 'DELETE',
    });
    expect(res.status).toBe(204);

    expect(await deadline('2026-09-14', 1)).toBe('2026-09-15');
    const trail = await auditTrail(pool, 'calendar', calendarDayAuditId('2026-09-15'));
    expect(trail.map((e) => [e.actor, e.action])).toEqual([
      ['operator-1', 'calendar-day-added'],
      ['operator-1', 'calendar-day-deleted'],
    ]);
    expect(trail[1]).toMatchObject({
      reason: 'entered by mistake',
      before: expect.objectContaining({ date: '2026-09-15' }),
      after: null,
    });
  });

  it('given an invalid body, when a day is put, then 400 names every field and nothing is stored or audited', async () => {
    const res = await api('/api/v1/calendar/days/2026-10-20', {
      method: 'PUT',
      body: { kind: 'bank-holiday', nameAz: '' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'kind',
      'nameAz',
      'nameEn',
      'sourceAz',
      'sourceEn',
    ]);

    const { body } = await api('/api/v1/calendar/years/2026/days');
    expect(body.days.map((d: { date: string }) => d.date)).not.toContain('2026-10-20');
    expect(await auditTrail(pool, 'calendar', calendarDayAuditId('2026-10-20'))).toEqual([]);
    expect(await deadline('2026-10-19', 1)).toBe('2026-10-20');
  });

  it('given a weekday, when it is put as a working weekend day, then 400 names kind', async () => {
    const res = await api('/api/v1/calendar/days/2026-10-21', {
      method: 'PUT',
      body: dayOff({ kind: 'working_weekend' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'kind', message: expect.stringContaining('weekday') },
    ]);
  });

  it('given a Saturday, when it is put as a holiday, then 400 names kind (record the weekday it moves to)', async () => {
    const res = await api('/api/v1/calendar/days/2026-10-24', {
      method: 'PUT',
      body: dayOff({ kind: 'holiday' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({
      field: 'kind',
      message: expect.stringContaining('105.5'),
    });
  });

  it.each(['2026-13-01', '2026-02-29', '1999-01-04'])(
    'given the date %s (malformed or not storable), when a day is put, then 400 names date',
    async (date) => {
      const res = await api(`/api/v1/calendar/days/${date}`, { method: 'PUT', body: dayOff() });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('date');
    },
  );

  it('given a reviewer, when a day is put, then 403 and nothing is stored', async () => {
    const res = await api('/api/v1/calendar/days/2026-10-22', {
      method: 'PUT',
      body: dayOff(),
      headers: as('reviewer-1'),
    });
    expect(res.status).toBe(403);
    expect(await auditTrail(pool, 'calendar', calendarDayAuditId('2026-10-22'))).toEqual([]);
  });

  it('given a provisional 2027 day, when an operator confirms it, then 200 and the audit keeps the before and after', async () => {
    const res = await api('/api/v1/calendar/days/2027-03-09', {
      method: 'PUT',
      body: {
        kind: 'holiday',
        nameAz: 'Ramazan bayramı',
        nameEn: 'Ramazan Bayram (Eid al-Fitr)',
        sourceAz: 'Nazirlər Kabinetinin 2026-cı il dekabr qərarı (sınaq)',
        sourceEn: 'Cabinet decision of December 2026 (test)',
        provisional: false,
      },
      headers: as('operator.mammadova'),
    });
    expect(res.status).toBe(200);
    const trail = await auditTrail(pool, 'calendar', calendarDayAuditId('2027-03-09'));
    expect(trail).toEqual([
      expect.objectContaining({
        action: 'calendar-day-changed',
        before: expect.objectContaining({ provisional: true }),
        after: expect.objectContaining({
          provisional: false,
          sourceAz: 'Nazirlər Kabinetinin 2026-cı il dekabr qərarı (sınaq)',
          sourceEn: 'Cabinet decision of December 2026 (test)',
        }),
      }),
    ]);
  });

  it('given a date with no stored day, when it is deleted, then 404', async () => {
    expect(
      (await api('/api/v1/calendar/days/2026-10-23?reason=cleanup', { method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('given a stored day, when it is deleted without a reason, then 400 names reason and the day stays', async () => {
    await api('/api/v1/calendar/days/2026-09-16', { method: 'PUT', body: dayOff() });
    const res = await api('/api/v1/calendar/days/2026-09-16', { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect(await deadline('2026-09-15', 1)).toBe('2026-09-17');
  });
});

describe('legal periods', () => {
  it('given the migration, when the periods are listed, then every period of §2–§7 is there with its citation', async () => {
    const { status, body } = await api('/api/v1/legal-periods');
    expect(status).toBe(200);
    const byCode = new Map<string, Record<string, unknown>>(
      body.periods.map((p: { code: string }) => [p.code, p]),
    );
    // the 26 periods of the brief §2–§7, plus defaults added with later processes
    expect(byCode.size).toBeGreaterThanOrEqual(26);
    expect(byCode.get('application-review')).toMatchObject({
      length: 5,
      unit: 'working_days',
      citation: '003 §5.5',
      configurable: false,
    });
    expect(byCode.get('transfer-application-window')).toMatchObject({
      length: 3,
      unit: 'months',
      citation: '002 §2.1',
    });
    expect(byCode.get('seizure-decision')).toMatchObject({
      length: 30,
      unit: 'working_days',
      citation: 'Housing Code 55.2',
    });
    expect(
      body.periods
        .filter((p: { configurable: boolean }) => p.configurable)
        .map((p: { code: string }) => p.code)
        .sort(),
    ).toEqual(['discrepancy-resubmission', 'discrepancy-review', 'discrepancy-rounds']);
  });
});

describe('OpenAPI', () => {
  it('given the router is loaded, when the document is generated, then every calendar path is in it', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/calendar/working-days',
        '/api/v1/calendar/years/{year}/days',
        '/api/v1/calendar/days/{date}',
        '/api/v1/legal-periods',
      ]),
    );
    expect(Object.keys(doc.paths['/api/v1/calendar/days/{date}']!).sort()).toEqual([
      'delete',
      'put',
    ]);
  });
});
