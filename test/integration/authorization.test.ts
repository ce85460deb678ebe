import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import { createApp } from '../../src/api/app.js';
import { createAccount, createServiceClient, createSession } from '../../src/auth/accounts.js';
import type { Role } from '../../src/auth/principal.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import type { EngineHistory } from '../../src/engine/history.js';
import { projectRoot } from '../../src/paths.js';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from '../support/log-capture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertEntry } from '../support/waitlist-entries.js';

/**
 * THE POLICY TABLE: who may call every API route. One row per route of the app; the test
 * below fails when the app has a route the table does not list, or the table lists a route
 * the app does not have. docs/security.md shows the same table (checked by the last test).
 *
 * allow:
 *   'public'         answered before sign-in is looked at (even a bad token passes)
 *   'anyone'         signed in or not; a credential that is presented must be valid
 *   'registry-token' the registries: REGISTRY_EVENTS_TOKEN or a service client with the role registry
 *   Role[]           callers holding one of these roles
 * scoped: reviewers and supervisors only for resources of their own bodies (the other roles
 *   listed are not scoped). Params filled per target body: :body the body itself, :entryId
 *   and :caseId a waitlist slot / case of that body; see `fill`.
 * request: how to build a request when the defaults (params filled, body `{}` for writes,
 *   which fails validation once authorisation has passed) do not fit. The writes of
 *   administrators and operators get valid bodies, so a missing guard would show as a change.
 */
export interface Policy {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  allow: 'public' | 'anyone' | 'registry-token' | Role[];
  scoped?: boolean;
  request?: (path: string) => { path?: string; body?: unknown };
}

/** An engine with nothing deployed, no instances and no incidents. */
const emptyEngine: EngineHistory = {
  searchInstances: async () => ({ total: 0, items: [] }),
  getInstance: async () => undefined,
  instanceSummary: async () => undefined,
  instanceVariables: async () => [],
  activityHistory: async () => [],
  definitionXml: async () => undefined,
  definitionElements: async () => undefined,
  listIncidents: async () => ({ total: 0, items: [] }),
  getIncident: async () => undefined,
  retryIncident: async (id) => ({ id, status: 'not-found' }),
  resolveIncident: async (id) => ({ id, status: 'not-found' }),
  listDefinitions: async () => [],
  latestVersion: async () => undefined,
  instanceCounts: async () => ({ active: 0, incident: 0, completed: 0, cancelled: 0 }),
  cockpitUrl: () => null,
};

const STAFF: Role[] = ['reviewer', 'supervisor', 'operator', 'analyst', 'administrator'];
const SIGNED_IN: Role[] = [...STAFF, 'portal']; // reference data (requireSignedIn)
const REVIEWERS: Role[] = ['reviewer', 'supervisor'];
const OPERATORS: Role[] = ['operator', 'administrator'];

export const POLICY: Policy[] = [
  // operations
  { method: 'GET', path: '/healthz', allow: 'public' },
  { method: 'GET', path: '/readyz', allow: 'public' },
  { method: 'GET', path: '/api/openapi.json', allow: 'public' },
  // sign-in
  { method: 'POST', path: '/api/v1/session', allow: 'anyone' },
  { method: 'GET', path: '/api/v1/session', allow: [...STAFF, 'portal', 'registry'] },
  { method: 'DELETE', path: '/api/v1/session', allow: 'anyone' },
  // a new account's one-time invitation sets its password without a sign-in (token checked)
  { method: 'POST', path: '/api/v1/invitations/accept', allow: 'anyone' },
  // the managed list of registering bodies (reference data)
  { method: 'GET', path: '/api/v1/bodies', allow: SIGNED_IN },
  // administration
  { method: 'GET', path: '/api/v1/accounts', allow: ['administrator'] },
  {
    method: 'POST',
    path: '/api/v1/accounts',
    allow: ['administrator'],
    request: () => ({
      body: { id: 'mx-new', displayName: 'New', roles: ['operator'], password: 'a-long-pass-1' },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/accounts/:id',
    allow: ['administrator'],
    request: () => ({ path: '/api/v1/accounts/mx-analyst', body: { displayName: 'Renamed' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/service-clients',
    allow: ['administrator'],
    request: () => ({ body: { id: 'mx-new-client', roles: ['portal'] } }),
  },
  // citizen portal
  { method: 'POST', path: '/api/v1/applications', allow: ['portal'] },
  { method: 'PATCH', path: '/api/v1/applications/:id', allow: ['portal'] },
  { method: 'POST', path: '/api/v1/applications/:id/documents', allow: ['portal'] },
  { method: 'POST', path: '/api/v1/applications/:id/submit', allow: ['portal'] },
  { method: 'POST', path: '/api/v1/applications/:id/resubmit', allow: ['portal'] },
  { method: 'POST', path: '/api/v1/applications/:id/cancel', allow: ['portal'] },
  { method: 'GET', path: '/api/v1/applications/:id', allow: ['portal'] },
  // reviewers (each task is further checked against the caller's candidate groups)
  { method: 'GET', path: '/api/v1/review-tasks', allow: REVIEWERS },
  { method: 'POST', path: '/api/v1/review-tasks/:taskId/claim', allow: REVIEWERS },
  { method: 'POST', path: '/api/v1/review-tasks/:taskId/unclaim', allow: REVIEWERS },
  { method: 'POST', path: '/api/v1/review-tasks/:taskId/decision', allow: REVIEWERS },
  { method: 'POST', path: '/api/v1/review-tasks/:taskId/reassign', allow: ['supervisor'] },
  { method: 'GET', path: '/api/v1/review-tasks/:taskId/case', allow: REVIEWERS },
  {
    method: 'GET',
    path: '/api/v1/review-tasks/:taskId/documents/:documentId',
    allow: REVIEWERS,
    request: (path) => ({
      path: path.replace(':documentId', '00000000-0000-4000-8000-000000000000'),
    }),
  },
  { method: 'GET', path: '/api/v1/legal-grounds', allow: SIGNED_IN },
  // waitlist queue
  {
    method: 'GET',
    path: '/api/v1/waitlist/:body/entries/:id/position',
    allow: [...REVIEWERS, 'portal', 'operator', 'administrator'],
    scoped: true,
  },
  {
    method: 'GET',
    path: '/api/v1/waitlist/:body/lists/:kind/entries',
    allow: [...REVIEWERS, 'operator', 'administrator'],
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/:body/entries/:id/offer-refusals',
    allow: REVIEWERS,
    scoped: true,
  },
  // registering bodies: registration, seizure, appeal
  {
    method: 'POST',
    path: '/api/v1/waitlist/:body/registrations',
    allow: [...REVIEWERS, 'portal'],
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/entries/:entryId/seizure-cases',
    allow: REVIEWERS,
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/cases/:caseId/appeal',
    allow: [...REVIEWERS, 'portal'],
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/cases/:caseId/appeal-outcome',
    allow: REVIEWERS,
    scoped: true,
  },
  {
    method: 'GET',
    path: '/api/v1/waitlist/cases/:caseId',
    allow: [...REVIEWERS, 'portal', 'operator', 'administrator'],
    scoped: true,
  },
  // registration transfer
  {
    method: 'POST',
    path: '/api/v1/waitlist/entries/:entryId/transfer-applications',
    allow: [...REVIEWERS, 'portal'],
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/transfer-cases/:caseId/documents',
    allow: [...REVIEWERS, 'portal'],
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/transfer-cases/:caseId/deficiency-fixed',
    allow: [...REVIEWERS, 'portal'],
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/waitlist/transfer-cases/:caseId/deficiency-notice-received',
    allow: [...REVIEWERS, 'portal'],
    scoped: true,
  },
  {
    method: 'GET',
    path: '/api/v1/waitlist/transfer-cases/:caseId',
    allow: [...REVIEWERS, 'portal', 'operator', 'administrator'],
    scoped: true,
  },
  // re-verification runs
  {
    method: 'GET',
    path: '/api/v1/waitlist/reverifications',
    allow: ['operator', 'supervisor', 'administrator'],
  },
  {
    method: 'GET',
    path: '/api/v1/waitlist/reverifications/:year',
    allow: ['operator', 'supervisor', 'administrator'],
  },
  // apartment phase (003 §4–§7): the portal for the cabinet holder, MİDA officers, the mortgage e-system
  { method: 'GET', path: '/api/v1/apartment-announcements', allow: ['portal'] },
  { method: 'GET', path: '/api/v1/apartment-announcements/:id/apartments', allow: ['portal'] },
  { method: 'GET', path: '/api/v1/cabinet/:applicationId/apartment', allow: ['portal'] },
  { method: 'POST', path: '/api/v1/cabinet/:applicationId/selections', allow: ['portal'] },
  { method: 'POST', path: '/api/v1/cabinet/:applicationId/waiting-selections', allow: ['portal'] },
  {
    method: 'POST',
    path: '/api/v1/cabinet/:applicationId/selections/:selectionId/withdraw',
    allow: ['portal'],
  },
  {
    method: 'POST',
    path: '/api/v1/cabinet/:applicationId/selections/:selectionId/switch-to-own-funds',
    allow: ['portal'],
  },
  {
    method: 'POST',
    path: '/api/v1/cabinet/:applicationId/selections/:selectionId/notary-date-request',
    allow: ['portal'],
  },
  { method: 'POST', path: '/api/v1/cabinet/:applicationId/pre-approvals', allow: ['portal'] },
  { method: 'GET', path: '/api/v1/officer/:body/announcements', allow: REVIEWERS, scoped: true },
  { method: 'POST', path: '/api/v1/officer/:body/announcements', allow: REVIEWERS, scoped: true },
  {
    method: 'POST',
    path: '/api/v1/officer/:body/announcements/:id/publish',
    allow: REVIEWERS,
    scoped: true,
  },
  {
    method: 'GET',
    path: '/api/v1/officer/:body/announcements/:id/apartments',
    allow: REVIEWERS,
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/officer/:body/selections/:id/notary',
    allow: REVIEWERS,
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/officer/:body/selections/:id/contract',
    allow: REVIEWERS,
    scoped: true,
  },
  {
    method: 'POST',
    path: '/api/v1/officer/:body/selections/:id/cancel',
    allow: REVIEWERS,
    scoped: true,
  },
  { method: 'POST', path: '/api/v1/officer/:body/exchanges', allow: REVIEWERS, scoped: true },
  { method: 'POST', path: '/api/v1/mortgage-system/selections/:id/events', allow: ['registry'] },
  // registry systems
  { method: 'POST', path: '/api/v1/registry-events', allow: 'registry-token' },
  // calendar and legal periods
  { method: 'GET', path: '/api/v1/calendar/working-days', allow: SIGNED_IN },
  { method: 'GET', path: '/api/v1/calendar/years/:year/days', allow: SIGNED_IN },
  {
    method: 'PUT',
    path: '/api/v1/calendar/days/:date',
    allow: ['operator', 'administrator'],
    request: (path) => ({
      path,
      body: {
        kind: 'holiday',
        nameAz: 'Sınaq',
        nameEn: 'Test',
        sourceAz: 'icazə sınağı',
        sourceEn: 'authorisation test',
      },
    }),
  },
  // the day stored by the row above: the first allowed caller deletes it, later ones get 404
  { method: 'DELETE', path: '/api/v1/calendar/days/:date', allow: ['operator', 'administrator'] },
  { method: 'GET', path: '/api/v1/legal-periods', allow: SIGNED_IN },
  {
    method: 'GET',
    path: '/api/v1/calendar/audit',
    allow: ['operator', 'administrator', 'supervisor'],
  },
  // operators: deadlines (supervisors: their bodies, by query), process instances, incidents
  {
    method: 'GET',
    path: '/api/v1/operator/deadlines',
    allow: ['operator', 'administrator', 'supervisor'],
  },
  { method: 'GET', path: '/api/v1/operator/process-instances', allow: OPERATORS },
  { method: 'GET', path: '/api/v1/operator/process-instances/:id', allow: OPERATORS },
  { method: 'GET', path: '/api/v1/operator/process-definitions', allow: OPERATORS },
  { method: 'GET', path: '/api/v1/operator/process-definitions/:id/xml', allow: OPERATORS },
  { method: 'GET', path: '/api/v1/operator/process-definitions/:id/elements', allow: OPERATORS },
  { method: 'GET', path: '/api/v1/operator/incidents', allow: OPERATORS },
  { method: 'POST', path: '/api/v1/operator/incidents/:id/retry', allow: OPERATORS },
  { method: 'POST', path: '/api/v1/operator/incidents/:id/resolve', allow: OPERATORS },
  { method: 'POST', path: '/api/v1/operator/incidents/retry', allow: OPERATORS },
  // operators: decision deliveries (Housing Code 51.6, 53.3, 55.2) and the paper route
  { method: 'GET', path: '/api/v1/operator/notice-deliveries', allow: OPERATORS },
  { method: 'POST', path: '/api/v1/operator/notice-deliveries/:id/delivered', allow: OPERATORS },
  // analysts: deployed models, lint-gated upload
  {
    method: 'GET',
    path: '/api/v1/analyst/process-definitions',
    allow: ['analyst', 'administrator'],
  },
  {
    method: 'GET',
    path: '/api/v1/analyst/process-definitions/:id/xml',
    allow: ['analyst', 'administrator'],
  },
  {
    method: 'POST',
    path: '/api/v1/analyst/process-definitions',
    allow: ['analyst', 'administrator'],
  },
];

/** The staff screens: every GET outside the API serves the single-page app, signed in or not. */
const SCREENS = [
  '/',
  '/reviewer',
  '/reviewer/tasks/1',
  '/mida',
  '/operator/calendar',
  '/admin/accounts',
];

// ---------------------------------------------------------------------------------------

const OWN = 'mida';
const OTHER = 'sumgait';
type Target = typeof OWN | typeof OTHER;

interface Caller {
  kind: string;
  roles: Role[];
  bodies: string[];
  headers: Record<string, string>;
  /** staff account id, for a fresh session before each route */
  account?: string;
}

const REGISTRY_EVENTS_TOKEN = 'matrix-registry-events-token-0123';
const token = (id: string) => `matrix-session-${id}-0123456789abcdef`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

const STAFF_CALLERS: { kind: string; roles: Role[]; bodies: string[] }[] = [
  { kind: 'reviewer-of-mida', roles: ['reviewer'], bodies: [OWN] },
  { kind: 'reviewer-of-sumgait', roles: ['reviewer'], bodies: [OTHER] },
  { kind: 'supervisor-of-mida', roles: ['supervisor'], bodies: [OWN] },
  { kind: 'operator', roles: ['operator'], bodies: [] },
  { kind: 'analyst', roles: ['analyst'], bodies: [] },
  { kind: 'administrator', roles: ['administrator'], bodies: [] },
];

const CALLERS: Caller[] = [
  { kind: 'anonymous', roles: [], bodies: [], headers: {} },
  { kind: 'bogus-bearer', roles: [], bodies: [], headers: bearer('not-a-real-token-at-all') },
  ...STAFF_CALLERS.map((c) => ({
    ...c,
    account: `mx-${c.kind}`,
    headers: bearer(token(`mx-${c.kind}`)),
  })),
  { kind: 'portal', roles: ['portal'], bodies: [], headers: bearer(token('mx-portal')) },
  { kind: 'registry', roles: ['registry'], bodies: [], headers: bearer(token('mx-registry')) },
  {
    kind: 'registry-events-token',
    roles: [],
    bodies: [],
    headers: bearer(REGISTRY_EVENTS_TOKEN),
  },
];

/** What the table says for one caller: 'ok', or the refusal status. */
function expected(p: Policy, c: Caller, target: Target): 'ok' | 401 | 403 {
  if (p.allow === 'public') return 'ok';
  if (p.allow === 'registry-token')
    return c.kind === 'registry-events-token' || c.kind === 'registry' ? 'ok' : 401;
  if (c.kind === 'bogus-bearer' || c.kind === 'registry-events-token') return 401;
  if (p.allow === 'anyone') return 'ok';
  if (c.kind === 'anonymous') return 401;
  const allowed = p.allow;
  const unscoped = allowed.filter((r) => !p.scoped || !REVIEWERS.includes(r));
  if (c.roles.some((r) => unscoped.includes(r))) return 'ok';
  if (p.scoped && c.roles.some((r) => REVIEWERS.includes(r) && allowed.includes(r)))
    return c.bodies.includes(target) ? 'ok' : 403;
  return 403;
}

// ---------------------------------------------------------------------------------------

interface Walked {
  method: string;
  path: string;
}

/** Every route of the express app, from its router stack (the source of truth). */
function walkRoutes(app: Express): Walked[] {
  const out: Walked[] = [];
  const visit = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [m, on] of Object.entries(layer.route.methods as Record<string, boolean>))
          if (on && m !== '_all')
            out.push({ method: m.toUpperCase(), path: prefix + layer.route.path });
      } else if (Array.isArray(layer.handle?.stack)) {
        // nested routers are mounted without a path in this app; a mounted path is kept
        const mount =
          typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        visit(layer.handle.stack, prefix + mount);
      }
    }
  };
  visit((app as any).router.stack, '');
  // one route may be declared twice (multer's error handler in front of the handler)
  return [...new Map(out.map((r) => [`${r.method} ${r.path}`, r])).values()];
}

// ---------------------------------------------------------------------------------------

let db: TestDatabase;
let pool: Pool;
let app: Express;
let server: Server;
let base: string;
const resources: Record<Target, { entryId: string; caseId: string; transferCaseId: string }> =
  {} as never;
const savedRegistryToken = process.env.REGISTRY_EVENTS_TOKEN;

async function openCase(body: string, entryId: string, kind: 'seizure' | 'transfer') {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO waitlist_case (kind, body_code, entry_id, list_kind, ground, source, established_on)
     VALUES ($1, $2, $3, 'general', $4, $5, '2026-01-05') RETURNING id`,
    [
      kind,
      body,
      entryId,
      kind === 'seizure' ? '55.1.1' : null,
      kind === 'seizure' ? 'reviewer' : null,
    ],
  );
  return rows[0]!.id;
}

beforeAll(async () => {
  process.env.REGISTRY_EVENTS_TOKEN = REGISTRY_EVENTS_TOKEN;
  db = await createTestDatabase();
  pool = createPool({ connectionString: db.url, max: 4 });
  const log = createLogger('warn', new LogCapture());
  await migrate(pool, log);
  for (const c of STAFF_CALLERS)
    await createAccount(pool, {
      id: `mx-${c.kind}`,
      displayName: c.kind,
      roles: c.roles as never,
      bodies: c.bodies,
    });
  await createServiceClient(pool, 'mx-portal', ['portal'], token('mx-portal'));
  await createServiceClient(pool, 'mx-registry', ['registry'], token('mx-registry'));
  // MİDA keeps no waitlist of its own; give it one so both bodies have slots and cases.
  await pool.query(`INSERT INTO waitlist (body_code, kind) VALUES ($1, 'general')`, [OWN]);
  for (const body of [OWN, OTHER] as Target[]) {
    const entryId = await insertEntry(pool, { fin: null, body });
    resources[body] = {
      entryId,
      caseId: await openCase(body, entryId, 'seizure'),
      transferCaseId: await openCase(body, entryId, 'transfer'),
    };
  }
  app = createApp({
    pool,
    log,
    engineReady: async () => true,
    onEngineMessagesQueued: () => undefined,
    auth: { sessionHours: 1 },
    // no engine here: an empty one (nothing deployed, no instances, no incidents); a deployment
    // that got past authorisation and validation would fail loudly (no request in the table does)
    modelEngine: {
      engineVersion: '1.0.3',
      rest: new Proxy({} as never, {
        get: () => {
          throw new Error('authorization test: no engine');
        },
      }),
      history: emptyEngine,
    },
    history: emptyEngine,
    // who gets past authorisation is the question here; what the engine does with a claim is
    // specified in engine-tasks.test.ts
    tasks: {
      get: async () => undefined,
      claim: async () => undefined,
      unclaim: async () => undefined,
      setAssignee: async () => undefined,
      complete: async () => undefined,
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (savedRegistryToken === undefined) delete process.env.REGISTRY_EVENTS_TOKEN;
  else process.env.REGISTRY_EVENTS_TOKEN = savedRegistryToken;
  await new Promise((r) => server?.close(r));
  await pool?.end();
  await db?.drop();
});

// Sign-out ends the caller's session: every route starts with fresh ones.
beforeEach(async () => {
  await pool.query(`DELETE FROM account_session WHERE account_id LIKE 'mx-%'`);
  for (const c of STAFF_CALLERS)
    await createSession(pool, `mx-${c.kind}`, 1, token(`mx-${c.kind}`));
});

function fill(path: string, target: Target): string {
  const r = resources[target];
  return path
    .replace(':body', target)
    .replace(':entryId', r.entryId)
    .replace(':caseId', path.includes('transfer-cases') ? r.transferCaseId : r.caseId)
    .replace(':kind', 'general')
    .replace(
      ':id',
      path.startsWith('/api/v1/waitlist/') ? r.entryId : '00000000-0000-4000-8000-000000000000',
    )
    .replace(':taskId', '7c9e6679-7425-40de-944b-e07fc1f90ae7')
    .replace(':year', '2026')
    .replace(':date', '2026-03-03');
}

/** Everything a refused request must leave untouched: a digest of the tables it could write. */
const WATCHED = [
  'audit_event',
  'account',
  'account_session',
  'service_client',
  'application',
  'application_document',
  'review_task',
  'decision',
  'waitlist_entry',
  'waitlist_case',
  'waitlist_file_document',
  'transfer_signatory',
  'calendar_day',
  'registry_event',
  'engine_outbox',
  'notice_outbox',
  'cabinet_notice',
];
async function digest(): Promise<Record<string, string>> {
  const { rows } = await pool.query(
    `SELECT ${WATCHED.map(
      (t) =>
        `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x) AS ${t}`,
    ).join(', ')}`,
  );
  return rows[0];
}

async function call(p: Policy, c: Caller, target: Target): Promise<number> {
  const path = fill(p.path, target);
  const custom = p.request?.(path) ?? {};
  const body = custom.body ?? (p.method === 'GET' || p.method === 'DELETE' ? undefined : {});
  const res = await fetch(base + (custom.path ?? path), {
    method: p.method,
    headers: {
      ...c.headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('the policy table', () => {
  it('given the app, when walking its routes, then every route is in the table and every row is a route', () => {
    const actual = walkRoutes(app)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const listed = POLICY.map((p) => `${p.method} ${p.path}`).sort();
    expect(actual.filter((r) => !listed.includes(r))).toEqual([]); // unlisted routes
    expect(listed.filter((r) => !actual.includes(r))).toEqual([]); // rows for no route
    expect(new Set(listed).size).toBe(listed.length);
    expect(actual.length).toBeGreaterThan(30);
  });

  it('given the policy rows, when built for a caller, then the expected answers are not vacuous', () => {
    // guards the matrix itself: each role is refused somewhere and allowed somewhere
    for (const c of CALLERS) {
      const answers = POLICY.map((p) => expected(p, c, OWN));
      expect([c.kind, answers.includes('ok')]).toEqual([c.kind, true]);
      expect([c.kind, answers.some((a) => a !== 'ok')]).toEqual([c.kind, true]);
    }
  });

  it('given the OpenAPI document, when compared with the table, then it documents every API route', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const undocumented = POLICY.filter((p) => p.path !== '/api/openapi.json')
      .map((p) => `${p.method} ${p.path}`)
      .filter((r) => !documented.includes(r));
    expect(undocumented).toEqual([]);
  });
});

describe.each(POLICY.map((p) => [`${p.method} ${p.path}`, p] as const))('%s', (_name, p) => {
  const targets: Target[] = p.scoped ? [OWN, OTHER] : [OWN];
  const cases = CALLERS.flatMap((c) => targets.map((t) => ({ c, t, want: expected(p, c, t) })));
  const mutating = p.method !== 'GET';

  it(`given every kind of caller, when calling it, then only ${
    Array.isArray(p.allow) ? p.allow.join('/') : p.allow
  }${p.scoped ? ' (reviewers for their own bodies)' : ''} get past authorisation and refusals change nothing`, async () => {
    const wrong: string[] = [];
    for (const { c, t, want } of cases) {
      const before = mutating && want !== 'ok' ? await digest() : undefined;
      const status = await call(p, c, t);
      // past authorisation: anything but 401/403, and never a server error
      const passed = status !== 401 && status !== 403 && status < 500;
      if (want === 'ok' ? !passed : status !== want)
        wrong.push(`${c.kind} on ${t}: expected ${want}, got ${status}`);
      if (before) {
        const after = await digest();
        const changed = WATCHED.filter((k) => before[k] !== after[k]);
        if (changed.length)
          wrong.push(`${c.kind} on ${t}: refused but changed ${changed.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** The table as docs/security.md shows it (between the policy markers). */
function policyMarkdown(): string {
  const who = (p: Policy) =>
    p.allow === 'public'
      ? 'everyone (no sign-in)'
      : p.allow === 'anyone'
        ? 'anyone (a presented credential must be valid)'
        : p.allow === 'registry-token'
          ? 'registry systems (`REGISTRY_EVENTS_TOKEN` or a service client with the role registry)'
          : p.allow.join(', ') + (p.scoped ? ' — reviewer, supervisor: own bodies only' : '');
  return [
    '| method | route | who may call it |',
    '|---|---|---|',
    ...POLICY.map((p) => `| ${p.method} | \`${p.path}\` | ${who(p)} |`),
  ].join('\n');
}

describe('docs/security.md', () => {
  it('given the policy table, when compared with the document, then the document shows exactly it', () => {
    const file = path.join(projectRoot, 'docs', 'security.md');
    const text = fs.readFileSync(file, 'utf8');
    const re = /(<!-- policy:start -->\n)([\s\S]*?)(\n<!-- policy:end -->)/;
    // UPDATE_SECURITY_DOC=1 rewrites the block after a change to the table
    if (process.env.UPDATE_SECURITY_DOC === '1')
      fs.writeFileSync(
        file,
        text.replace(re, (_m, a, _b, c) => a + policyMarkdown() + c),
      );
    expect(re.exec(fs.readFileSync(file, 'utf8'))?.[2]).toBe(policyMarkdown());
  });
});

describe('the screens', () => {
  it('given no sign-in, when opening any screen address, then the app page is served', async () => {
    for (const path of SCREENS) {
      const res = await fetch(base + path);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        200,
        expect.stringContaining('text/html'),
      ]);
    }
  });
});
