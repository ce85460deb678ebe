import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createApp, type ApiDeps } from '../../src/api/app.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { as, PORTAL } from '../support/auth.js';
import { completeForm, createDraft, SIGNED } from '../support/applications.js';
import { DATE_TIME, validate, type Schema } from '../support/json-schema.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

/**
 * Issue #15 ("Everywhere"): the OpenAPI document is the contract of every route — each mounted
 * route has its operation, each operation that reads a body declares its schema, a property name
 * has one type and one date format across routes, and real answers conform to the document
 * (every instant with its offset).
 */

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

/** The document is built once the routers are imported (they register their paths). */
const doc = openApiDocument() as Doc;
const components = doc.components.schemas;
const resolve = (s: Schema | undefined): Schema | undefined =>
  s?.$ref ? resolve(components[s.$ref.replace('#/components/schemas/', '')]) : s;

interface MountedRoute {
  method: string;
  path: string;
  source: string;
}

/** Every route the express app mounts, with its handlers' source (to see whether it reads a body). */
function mountedRoutes(): MountedRoute[] {
  const deps = {
    pool: {},
    log: pino({ level: 'silent' }),
    engineReady: () => Promise.resolve(true),
    onEngineMessagesQueued: () => undefined,
    auth: { sessionHours: 8 },
  } as unknown as ApiDeps;
  const app = createApp(deps) as unknown as { router: { stack: Layer[] } };
  interface Layer {
    route?: {
      path: string;
      methods: Record<string, boolean>;
      stack: { handle: (...args: never[]) => unknown }[];
    };
    handle?: { stack?: Layer[] };
  }
  const out: MountedRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) {
        const source = l.route.stack.map((s) => s.handle.toString()).join('\n');
        for (const m of Object.keys(l.route.methods))
          out.push({ method: m, path: l.route.path, source });
      } else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk(app.router.stack);
  return out;
}

const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ method, path, op })),
);
const express = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Every (property name, schema) of a schema tree, by where it was found. */
function properties(
  s: Schema | undefined,
  where: string,
  out: { name: string; schema: Schema; where: string }[],
  seen = new Set<Schema>(),
): void {
  if (!s || seen.has(s)) return;
  seen.add(s);
  if (s.$ref) return properties(resolve(s), where, out, seen);
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    out.push({ name, schema: p, where });
    properties(p, where, out, seen);
  }
  properties(s.items, where, out, seen);
  if (typeof s.additionalProperties === 'object')
    properties(s.additionalProperties, where, out, seen);
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])])
    properties(alt, where, out, seen);
}

/** A property's JSON type (without null) and its date format, alternatives unfolded. */
function shapeOf(s: Schema | undefined): { types: string[]; format?: string } {
  s = resolve(s);
  if (!s) return { types: [] };
  const alts = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  if (alts.length) {
    const shapes = alts.map(shapeOf);
    return {
      types: [...new Set(shapes.flatMap((x) => x.types))].sort(),
      format: shapes.find((x) => x.format)?.format,
    };
  }
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : [])
    .filter((t) => t !== 'null')
    .map((t) => (t === 'integer' ? 'number' : t));
  const format = s.format === 'date' || s.format === 'date-time' ? s.format : undefined;
  return { types, format };
}

/**
 * Names that mean different things in different places; each says why it is not one field.
 * (Renaming them would break the screens and outside clients for no gain in clarity.)
 */
const DIFFERENT_MEANINGS: Record<string, string> = {
  status: 'RFC 9457 fixes a problem’s status as the HTTP code; elsewhere a case or check state',
  errors: 'RFC 9457 problem: the fields at fault; the analyst view: a count of lint errors',
  entries: 'a page of list entries, or the number of entries a re-verification run covered',
  active: 'an account is active (yes/no), or the count of active tokens on a diagram element',
  incidents: 'the incidents of an instance, or their count on a diagram element',
  casesOpened: 'the cases one registry event opened, or how many a re-verification run opened',
  bodies: 'the bodies an account serves (codes), or the dashboard rows per body',
  'bodies[]': 'the bodies an account serves (codes), or the dashboard rows per body',
  overdue: 'a query flag (only overdue tasks), or the count of overdue tasks on the dashboard',
  unassigned: 'a query flag (only unassigned tasks), or the count on the dashboard',
  checks: 'readiness: one entry per dependency; an application: its automated checks (a list)',
  decision:
    'the legal-grounds filter by decision kind (grant, refuse, …), or an application’s recorded decision',
  assignedToMe: 'a query flag (only my tasks), or the count of my tasks in the inbox counts',
  cancelled: 'a review task was cancelled (yes/no), or the count of cancelled instances of a model',
  category:
    'an application’s category (1–11); the inbox’s category is that or a waitlist list kind, so text',
  name: 'a thing’s name (text), or a person’s name as the identity registry gave it (its parts)',
  ground:
    'the code or citation of a ground (seizure, cancellation), or a check’s ground with its texts',
  actorName:
    'the calendar audit’s actor as text, or a case file’s staff account (display name and roles)',
  grounds:
    'the legal grounds a decision form may offer (a list), or a re-verification run’s counts by ground',
  representative:
    'a transfer’s representative (who files), or a signatory row’s flag: this one is the representative',
  deadlines: 'a transfer case’s deadlines by name, or an instance’s open deadlines (a list)',
  deadline:
    'a day the calendar computes, or the cabinet’s next deadline (its code, day and working days left)',
  apartments:
    'an announcement’s apartments (a list to draft), how many were drafted, or their counts by state',
  accepted:
    'a document line was accepted (yes/no), the kinds a receipt accepted, or which mortgage e-system event was taken',
};

describe('OpenAPI contract: the document', () => {
  it('given the mounted routes, then each has an operation in the document and each operation a route', () => {
    const routes = mountedRoutes();
    const documented = new Set(operations.map((o) => `${o.method} ${express(o.path)}`));
    const mounted = new Set(routes.map((r) => `${r.method} ${r.path}`));
    // the document itself is the one route it does not describe
    const missing = [...mounted].filter((r) => !documented.has(r) && r !== 'get /api/openapi.json');
    expect(missing).toEqual([]);
    expect([...documented].filter((o) => !mounted.has(o))).toEqual([]);
  });

  it('given a route whose handler reads a body, then its operation declares a request body schema', () => {
    const byRoute = new Map(operations.map((o) => [`${o.method} ${express(o.path)}`, o.op]));
    const readsBody = mountedRoutes().filter((r) =>
      /req\.body|,\s*["']body["']\s*\)/.test(r.source),
    );
    expect(readsBody.length).toBeGreaterThan(20);
    const undeclared = readsBody
      .filter((r) => {
        const content = byRoute.get(`${r.method} ${r.path}`)?.requestBody?.content ?? {};
        const schema = resolve(Object.values(content)[0]?.schema);
        return !schema?.properties && !schema?.anyOf && !schema?.oneOf;
      })
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('given a route that can refuse (parse → 400, a named 409), then its operation documents that refusal as a problem', () => {
    const byRoute = new Map(operations.map((o) => [`${o.method} ${express(o.path)}`, o.op]));
    const undocumented: string[] = [];
    for (const r of mountedRoutes()) {
      const op = byRoute.get(`${r.method} ${r.path}`);
      if (!op) continue;
      const problemBody = (code: string) =>
        !!op.responses?.[code]?.content?.['application/problem+json']?.schema;
      if (/\bparse\(/.test(r.source) && !problemBody('400'))
        undocumented.push(`${r.method} ${r.path} 400`);
      if (/\b409\b/.test(r.source) && !problemBody('409'))
        undocumented.push(`${r.method} ${r.path} 409`);
    }
    expect(undocumented).toEqual([]);
  });

  it('given every operation, then each success answer with a body declares its schema', () => {
    const missing = operations
      .filter(({ op }) =>
        Object.entries(op.responses ?? {}).some(
          ([code, r]) =>
            code.startsWith('2') && code !== '204' && !Object.values(r.content ?? {})[0]?.schema,
        ),
      )
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing.sort()).toEqual([]);
  });

  it('given every operation, then each path parameter is declared with its schema', () => {
    const missing: string[] = [];
    for (const { method, path, op } of operations)
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
        if (!p?.schema || !p.required) missing.push(`${method} ${path} ${name}`);
      }
    expect(missing).toEqual([]);
  });

  it('given the uploads, then each declares its file part (binary) and the allowed types and sizes', () => {
    const uploads = operations.filter((o) => o.op.requestBody?.content?.['multipart/form-data']);
    expect(uploads.length).toBeGreaterThan(0);
    for (const { op } of uploads) {
      const schema = resolve(op.requestBody!.content!['multipart/form-data']!.schema)!;
      const file = Object.values(schema.properties ?? {}).find((p) => p.format === 'binary');
      expect(file).toBeDefined();
      expect((file as { description?: string }).description).toMatch(/\d+ ?MB/);
      expect(schema.required).toEqual(expect.arrayContaining(['file']));
      const encoding = (
        op.requestBody!.content!['multipart/form-data'] as { encoding?: Record<string, any> }
      ).encoding;
      expect(encoding?.file?.contentType).toBe('image/jpeg, image/png, application/pdf');
    }
  });

  it('given every property name, then it has one type and one date format across all routes', () => {
    const found: { name: string; schema: Schema; where: string }[] = [];
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      for (const p of op.parameters ?? [])
        found.push({ name: p.name, schema: p.schema ?? {}, where: `${where} (${p.in})` });
      for (const c of Object.values(op.requestBody?.content ?? {}))
        properties(c.schema, `${where} request`, found);
      for (const [code, r] of Object.entries(op.responses ?? {}))
        for (const c of Object.values(r.content ?? {}))
          properties(c.schema, `${where} ${code}`, found);
    }
    const byName = new Map<string, Map<string, string>>();
    for (const { name, schema, where } of found) {
      if (DIFFERENT_MEANINGS[name]) continue;
      const shape = shapeOf(schema);
      if (!shape.types.length) continue;
      const key = `${shape.types.join('|')}${shape.format ? ` (${shape.format})` : ''}`;
      const m = byName.get(name) ?? new Map<string, string>();
      if (!m.has(key)) m.set(key, where);
      byName.set(name, m);
    }
    const conflicts = [...byName]
      .filter(([, m]) => m.size > 1)
      .map(([name, m]) => `${name}: ${[...m].map(([k, w]) => `${k} at ${w}`).join('; ')}`);
    expect(conflicts).toEqual([]);
  });

  it('given a property named as an instant (…At) or a day (…On, …Date), then it is a date-time or a date', () => {
    const found: { name: string; schema: Schema; where: string }[] = [];
    for (const { method, path, op } of operations) {
      for (const p of op.parameters ?? [])
        found.push({ name: p.name, schema: p.schema ?? {}, where: `${method} ${path}` });
      for (const c of Object.values(op.requestBody?.content ?? {}))
        properties(c.schema, `${method} ${path} request`, found);
      for (const [code, r] of Object.entries(op.responses ?? {}))
        for (const c of Object.values(r.content ?? {}))
          properties(c.schema, `${method} ${path} ${code}`, found);
    }
    const wrong = found
      .filter(({ name, schema }) => {
        const { types, format } = shapeOf(schema);
        if (!types.includes('string')) return false;
        if (/[a-z]At$/.test(name)) return format !== 'date-time';
        if (/[a-z](On|Date)$/.test(name) || name === 'date') return format !== 'date';
        return false;
      })
      .map(({ name, where }) => `${name} at ${where}`);
    expect([...new Set(wrong)]).toEqual([]);
  });
});

describe('OpenAPI contract: real answers', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** The answer's body against the schema the document gives for its status. */
  function conforms(method: string, path: string, status: number, body: unknown): string[] {
    const op = doc.paths[path]?.[method];
    if (!op) return [`${method} ${path}: not in the document`];
    const response = op.responses?.[String(status)];
    if (!response) return [`${method} ${path}: ${status} is not documented`];
    const content = response.content ?? {};
    const schema = (content['application/json'] ?? content['application/problem+json'])?.schema;
    if (!schema) return [`${method} ${path} ${status}: no body schema`];
    return validate(schema, body, components).map((e) => `${method} ${path} ${status} ${e}`);
  }

  /** Every string in an answer that looks like an instant, whatever the schema says. */
  function instantsWithoutOffset(v: unknown, path = '$'): string[] {
    if (typeof v === 'string')
      return /^\d{4}-\d{2}-\d{2}T/.test(v) && !DATE_TIME.test(v) ? [`${path}: ${v}`] : [];
    if (v && typeof v === 'object')
      return Object.entries(v).flatMap(([k, x]) => instantsWithoutOffset(x, `${path}.${k}`));
    return [];
  }

  it('given the citizen portal’s calls, then each answer conforms to the document and every instant has its offset', async () => {
    const problems: string[] = [];
    const answers: unknown[] = [];
    const check = async (
      method: string,
      docPath: string,
      url: string,
      init: { body?: unknown; headers?: Record<string, string> },
      status: number,
    ) => {
      const res = await t.api(url, { method: method.toUpperCase(), ...init });
      expect({ url, status: res.status }).toEqual({ url, status });
      problems.push(...conforms(method, docPath, res.status, res.body));
      answers.push(res.body);
      return res.body as Record<string, any>;
    };
    const draft = await check(
      'post',
      '/api/v1/applications',
      '/api/v1/applications',
      { body: { applicantFin: '5CONTR1', form: completeForm() }, headers: PORTAL },
      201,
    );
    await check(
      'patch',
      '/api/v1/applications/{id}',
      `/api/v1/applications/${draft.id}`,
      { body: { form: { rooms: 3 } }, headers: PORTAL },
      200,
    );
    await check(
      'get',
      '/api/v1/applications/{id}',
      `/api/v1/applications/${draft.id}`,
      { headers: PORTAL },
      200,
    );
    await check(
      'post',
      '/api/v1/applications/{id}/submit',
      `/api/v1/applications/${draft.id}/submit`,
      { body: SIGNED, headers: PORTAL },
      200,
    );
    await check(
      'get',
      '/api/v1/applications/{id}',
      `/api/v1/applications/${draft.id}`,
      { headers: PORTAL },
      200,
    );
    // a refusal: the problem body of the document
    await check(
      'post',
      '/api/v1/applications',
      '/api/v1/applications',
      { body: { applicantFin: '12', form: {} }, headers: PORTAL },
      400,
    );
    const other = await createDraft(t, '5CONTR2', completeForm());
    await check(
      'post',
      '/api/v1/applications/{id}/cancel',
      `/api/v1/applications/${other.id}/cancel`,
      { headers: PORTAL },
      200,
    );
    expect(problems).toEqual([]);
    expect(answers.flatMap((a) => instantsWithoutOffset(a))).toEqual([]);
  });

  it('given the fields the document requires at submission (000 §2.1, §2.1.5), when a draft lacks one, then submitting it is refused naming that field', async () => {
    const form = components.SubmittableApplicationForm!;
    expect(form.required).toEqual(
      expect.arrayContaining(['category', 'maritalStatus', 'email', 'mobilePhone']),
    );
    const refusedFields: Record<string, string[]> = {};
    let n = 0;
    const submitWithout = async (label: string, body: Record<string, unknown>) => {
      const { id } = await createDraft(t, `5CREQ${String(n++).padStart(2, '0')}`, body);
      const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
      expect({ label, status: res.status }).toEqual({ label, status: 400 });
      expect(conforms('post', '/api/v1/applications/{id}/submit', 400, res.body)).toEqual([]);
      refusedFields[label] = (res.body.errors as { field: string }[]).map((e) => e.field);
    };
    for (const field of form.required!) {
      const body = completeForm();
      delete body[field];
      await submitWithout(field, body);
    }
    // the conditional requirements: a married applicant (000 §2.1.5), category 8's diploma country
    const married = form.allOf!.find((c) => JSON.stringify(c.if).includes('married'))!;
    await submitWithout('married', completeForm({ maritalStatus: 'married' }));
    const category8 = form.allOf!.find((c) =>
      (JSON.stringify(c.if?.properties?.category) ?? '').includes('8'),
    )!;
    await submitWithout('category 8', completeForm({ category: 8 }));
    expect(refusedFields).toEqual({
      ...Object.fromEntries(form.required!.map((f) => [f, expect.arrayContaining([f])])),
      married: expect.arrayContaining(married.then!.required!),
      'category 8': expect.arrayContaining(
        category8.then!.properties!.categoryDetails!.required!.map((q) => `categoryDetails.${q}`),
      ),
    });
    const documents = components.SubmittableDocument!;
    expect(documents.required).toEqual(expect.arrayContaining(['issueDate', 'issuer']));
  });

  it('given staff calls (session, calendar, legal periods and grounds, inbox), then each answer conforms to the document', async () => {
    const problems: string[] = [];
    const answers: unknown[] = [];
    const calls: [string, string, string, Record<string, string>][] = [
      ['get', '/healthz', '/healthz', {}],
      ['get', '/api/v1/session', '/api/v1/session', as('operator-1')],
      ['get', '/api/v1/bodies', '/api/v1/bodies', as('operator-1')],
      ['get', '/api/v1/legal-grounds', '/api/v1/legal-grounds', as('reviewer-1')],
      ['get', '/api/v1/legal-periods', '/api/v1/legal-periods', as('operator-1')],
      [
        'get',
        '/api/v1/calendar/working-days',
        '/api/v1/calendar/working-days?from=2026-03-03&add=5',
        as('operator-1'),
      ],
      [
        'get',
        '/api/v1/calendar/years/{year}/days',
        '/api/v1/calendar/years/2026/days',
        as('operator-1'),
      ],
      ['get', '/api/v1/calendar/audit', '/api/v1/calendar/audit?year=2026', as('operator-1')],
      ['get', '/api/v1/review-tasks', '/api/v1/review-tasks', as('supervisor-1')],
      ['get', '/api/v1/accounts', '/api/v1/accounts', as('admin-1')],
      ['get', '/api/v1/operator/deadlines', '/api/v1/operator/deadlines', as('operator-1')],
      [
        'get',
        '/api/v1/operator/process-definitions',
        '/api/v1/operator/process-definitions',
        as('operator-1'),
      ],
    ];
    for (const [method, docPath, url, headers] of calls) {
      const res = await t.api(url, { method: method.toUpperCase(), headers });
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      problems.push(...conforms(method, docPath, res.status, res.body));
      answers.push(res.body);
    }
    expect(problems).toEqual([]);
    expect(answers.flatMap((a) => instantsWithoutOffset(a))).toEqual([]);
  });

  it('given a deployed model uploaded again unchanged, then the analyst’s deployment answer conforms to the document', async () => {
    const models = await t.api('/api/v1/analyst/process-definitions', { headers: as('analyst-1') });
    expect(models.status).toBe(200);
    const newest = models.body.processes[0].versions[0];
    const xml = await t.api(`/api/v1/analyst/process-definitions/${newest.definitionId}/xml`, {
      headers: as('analyst-1'),
    });
    expect(xml.status).toBe(200);
    const res = await t.api('/api/v1/analyst/process-definitions', {
      body: { fileName: newest.resourceName, xml: xml.body },
      headers: as('analyst-1'),
    });
    expect(res.status).toBe(200);
    expect(conforms('post', '/api/v1/analyst/process-definitions', 200, res.body)).toEqual([]);
    expect(res.body.created).toBe(false);
  });

  it('given a review task of a submitted application, then its case file answer conforms to the document', async () => {
    const { id } = await createDraft(t, '5CONTR3', completeForm());
    expect((await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED })).status).toBe(200);
    const task = await eventually(async () => {
      const res = await t.api('/api/v1/review-tasks', { headers: as('supervisor-1') });
      return (res.body.tasks as { taskId: string; applicationId: string | null }[]).find(
        (x) => x.applicationId === id,
      );
    }, 60_000);
    const res = await t.api(`/api/v1/review-tasks/${task.taskId}/case`, {
      headers: as('supervisor-1'),
    });
    expect(res.status).toBe(200);
    expect(conforms('get', '/api/v1/review-tasks/{taskId}/case', 200, res.body)).toEqual([]);
    expect(instantsWithoutOffset(res.body)).toEqual([]);
  });
});
