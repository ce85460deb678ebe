import { Router, type Request } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/principal.js';
import { recordAudit } from '../cases/audit.js';
import {
  definitionXml,
  getIncident,
  getInstance,
  INSTANCE_STATES,
  listDefinitions,
  listIncidents,
  searchInstances,
  type Incident,
} from '../cases/engine-history.js';
import type { Pool } from '../db/pool.js';
import { deadlineEnd, isCivilDate, BAKU_UTC_OFFSET_MINUTES } from '../domain/calendar.js';
import { problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * The operator console's view of the engine: process instances, their steps and variables,
 * deployed models, and incidents with retry and resolve. Reads the history the broker's exporter
 * sends (src/engine/history-intake.ts); acts through the Zeebe gRPC API.
 */

/** What the router needs of the engine: the two incident commands. */
export interface IncidentActions {
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  resolveIncident(incidentKey: string): Promise<void>;
}

const MAX_KEY = 9223372036854775807n;
const EngineKey = z.string().refine((s) => /^\d{1,19}$/.test(s) && BigInt(s) <= MAX_KEY, {
  message: 'must be an engine key (digits)',
});

// A date (a day in Baku) or a date-time with offset.
const DateOrDateTime = z
  .string()
  .refine((s) => isCivilDate(s) || z.iso.datetime({ offset: true }).safeParse(s).success, {
    message: 'must be an ISO date (YYYY-MM-DD) or date-time with offset',
  });

/** A bound of a range: a date means the start of that day in Baku ("…To": the day included). */
function bound(s: string | undefined, end: boolean): Date | undefined {
  if (s === undefined) return undefined;
  if (!isCivilDate(s)) return new Date(s);
  return end
    ? new Date(deadlineEnd(s).getTime() + 1)
    : new Date(Date.parse(`${s}T00:00:00Z`) - BAKU_UTC_OFFSET_MINUTES * 60_000);
}

const Paging = {
  limit: z.coerce
    .number({ message: 'must be a number 1..100' })
    .int({ message: 'must be a number 1..100' })
    .min(1, { message: 'must be a number 1..100' })
    .max(100, { message: 'must be a number 1..100' })
    .default(20),
  offset: z.coerce
    .number({ message: 'must be a number ≥ 0' })
    .int({ message: 'must be a number ≥ 0' })
    .min(0, { message: 'must be a number ≥ 0' })
    .default(0),
};

const InstanceQuery = z
  .object({
    q: z.string().trim().min(1).max(200).optional().openapi({
      description:
        'application or case id; digits: the application’s registration number or the instance key',
    }),
    process: z.string().min(1).max(200).optional().openapi({ description: 'BPMN process id' }),
    version: z.coerce
      .number({ message: 'must be a version number' })
      .int({ message: 'must be a version number' })
      .min(1, { message: 'must be a version number' })
      .optional(),
    state: z
      .enum(INSTANCE_STATES, { message: `must be one of ${INSTANCE_STATES.join(', ')}` })
      .optional()
      .openapi({ description: 'incident: active with an open incident; active: without one' }),
    startedFrom: DateOrDateTime.optional(),
    startedTo: DateOrDateTime.optional(),
    endedFrom: DateOrDateTime.optional(),
    endedTo: DateOrDateTime.optional(),
    ...Paging,
  })
  .strict();

const IncidentQuery = z
  .object({
    state: z.enum(['active', 'resolved'], { message: 'must be active or resolved' }).optional(),
    process: z.string().min(1).max(200).optional(),
    ...Paging,
  })
  .strict();

const KeyParams = z.object({ key: EngineKey });

const Retries = z
  .number({ message: 'must be a whole number 1..10' })
  .int({ message: 'must be a whole number 1..10' })
  .min(1, { message: 'must be a whole number 1..10' })
  .max(10, { message: 'must be a whole number 1..10' });

export const RetryBody = registry.register(
  'IncidentRetry',
  z.object({ retries: Retries.openapi({ description: 'new retries of the failed job' }) }).strict(),
);
export const BatchRetryBody = registry.register(
  'IncidentBatchRetry',
  z
    .object({
      keys: z
        .array(EngineKey)
        .min(1, { message: 'at least one key' })
        .max(100, { message: 'at most 100 keys' }),
      retries: Retries,
    })
    .strict(),
);

const InstanceSummarySchema = registry.register(
  'ProcessInstanceSummary',
  z.object({
    key: z.string(),
    bpmnProcessId: z.string(),
    version: z.number().int(),
    processDefinitionKey: z.string(),
    state: z.enum(INSTANCE_STATES),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    parentKey: z.string().nullable(),
    caseType: z.string().nullable(),
    caseId: z.string().nullable(),
    applicationId: z.string().nullable(),
    incidentCount: z.number().int(),
  }),
);

const IncidentSchema = registry.register(
  'Incident',
  z.object({
    key: z.string(),
    processInstanceKey: z.string(),
    processDefinitionKey: z.string().nullable(),
    bpmnProcessId: z.string(),
    elementId: z.string(),
    elementInstanceKey: z.string(),
    jobKey: z.string().nullable(),
    errorType: z.string(),
    errorMessage: z.string(),
    state: z.enum(['active', 'resolved']),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    caseType: z.string().nullable(),
    caseId: z.string().nullable(),
  }),
);

const InstanceDetailSchema = registry.register(
  'ProcessInstanceDetail',
  z.object({
    instance: InstanceSummarySchema,
    elements: z.array(
      z.object({
        elementId: z.string(),
        active: z.number().int(),
        completed: z.number().int(),
        terminated: z.number().int(),
        incidents: z.number().int(),
      }),
    ),
    history: z.array(
      z.object({
        key: z.string(),
        elementId: z.string(),
        elementType: z.string(),
        state: z.enum(['active', 'completed', 'terminated']),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
      }),
    ),
    variables: z.array(z.object({ name: z.string(), value: z.unknown(), scopeKey: z.string() })),
    incidents: z.array(IncidentSchema),
    deadlines: z.array(
      z.object({
        jobKey: z.string(),
        elementId: z.string(),
        dueAt: z.string().nullable(),
        citation: z.string().nullable(),
        assignee: z.string().nullable(),
        candidateGroups: z.array(z.string()),
        overdueEscalatedAt: z.string().nullable(),
      }),
    ),
  }),
);

const RetryResultSchema = registry.register(
  'IncidentActionResult',
  z.object({
    key: z.string(),
    status: z.enum(['retried', 'resolved', 'not-found', 'already-resolved', 'failed']),
    detail: z.string().optional(),
  }),
);

const page = (schema: z.ZodType) =>
  z.object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    items: z.array(schema),
  });

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const forbidden = {
  401: problemResponse('not signed in'),
  403: problemResponse('not an operator or administrator'),
};

registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-instances',
  summary: 'Operators: search process instances by case, process, version, state and time',
  request: { query: InstanceQuery },
  responses: {
    200: json(page(InstanceSummarySchema), 'one page, newest first'),
    400: problemResponse('bad filter; the field is named'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-instances/{key}',
  summary:
    'Operators: one instance — element counts, history of steps, variables, incidents, open deadlines',
  request: { params: KeyParams },
  responses: {
    200: json(InstanceDetailSchema, 'the instance'),
    404: problemResponse('no such instance'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-definitions',
  summary: 'Operators: deployed processes with their versions and instance counts per state',
  responses: { 200: { description: 'processes' }, ...forbidden },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-definitions/{key}/xml',
  summary: 'Operators: the BPMN XML of one deployed version',
  request: { params: KeyParams },
  responses: {
    200: { description: 'BPMN 2.0 XML', content: { 'application/xml': { schema: z.string() } } },
    404: problemResponse('no such definition'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/incidents',
  summary: 'Operators: incidents with their error messages, newest first',
  request: { query: IncidentQuery },
  responses: {
    200: json(page(IncidentSchema), 'one page'),
    400: problemResponse('bad filter'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/incidents/{key}/retry',
  summary: 'Operators: give the failed job new retries and resolve the incident (audited)',
  request: {
    params: KeyParams,
    body: { content: { 'application/json': { schema: RetryBody } } },
  },
  responses: {
    200: json(RetryResultSchema, 'retried'),
    400: problemResponse('bad retries'),
    404: problemResponse('no such incident'),
    409: problemResponse('already resolved'),
    502: problemResponse('the engine refused or is unreachable'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/incidents/{key}/resolve',
  summary: 'Operators: resolve an incident whose cause was fixed (audited)',
  request: { params: KeyParams },
  responses: {
    200: json(RetryResultSchema, 'resolved'),
    404: problemResponse('no such incident'),
    409: problemResponse('already resolved'),
    502: problemResponse('the engine refused or is unreachable'),
    ...forbidden,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/incidents/retry',
  summary: 'Operators: retry several incidents; one result per key',
  request: { body: { content: { 'application/json': { schema: BatchRetryBody } } } },
  responses: {
    200: json(z.object({ results: z.array(RetryResultSchema) }), 'per key'),
    400: problemResponse('bad keys or retries'),
    ...forbidden,
  },
});

/** The acting operator, recorded in the audit trail. */
function actor(req: Request): string {
  return principalOf(req).id;
}

type ActionResult = {
  key: string;
  status: 'retried' | 'resolved' | 'not-found' | 'already-resolved' | 'failed';
  detail?: string;
};

function grpcCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'number') return e.code;
  const m = /^(\d+) [A-Z_]+:/.exec(String(e?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}

const GRPC_NOT_FOUND = 5;

/** Retries (new job retries, then resolve) or resolves one incident; audited on success. */
async function act(
  pool: Pool,
  engine: IncidentActions | undefined,
  key: string,
  who: string,
  retries: number | undefined,
): Promise<ActionResult> {
  const incident: Incident | undefined = await getIncident(pool, key);
  if (!incident) return { key, status: 'not-found', detail: `no incident ${key}` };
  if (incident.state === 'resolved')
    return { key, status: 'already-resolved', detail: `incident ${key} is already resolved` };
  if (!engine)
    throw new HttpProblem(503, 'Not configured', 'no engine client for incident commands');
  try {
    if (retries !== undefined && incident.jobKey)
      await engine.updateJobRetries(incident.jobKey, retries);
    await engine.resolveIncident(key);
  } catch (err) {
    // The engine resolved it already (the history catches up within a moment).
    if (grpcCode(err) === GRPC_NOT_FOUND)
      return { key, status: 'already-resolved', detail: `incident ${key} is no longer open` };
    return { key, status: 'failed', detail: 'the engine refused the command or is unreachable' };
  }
  // In the trail of the case the instance serves, else of the instance itself.
  const serves = incident.caseId && incident.caseType;
  await recordAudit(pool, {
    caseType: serves ? incident.caseType! : 'process-instance',
    caseId: serves ? incident.caseId! : incident.processInstanceKey,
    actor: who,
    action: retries !== undefined ? 'incident-retried' : 'incident-resolved',
    after: {
      incidentKey: key,
      processInstanceKey: incident.processInstanceKey,
      bpmnProcessId: incident.bpmnProcessId,
      elementId: incident.elementId,
      jobKey: incident.jobKey,
      errorType: incident.errorType,
      ...(retries !== undefined ? { retries } : {}),
    },
  });
  return { key, status: retries !== undefined ? 'retried' : 'resolved' };
}

function answer(r: ActionResult): ActionResult {
  if (r.status === 'not-found')
    throw new HttpProblem(404, 'Not found', r.detail, [
      { field: 'key', message: 'no such incident' },
    ]);
  if (r.status === 'already-resolved')
    throw new HttpProblem(409, 'Conflict', r.detail, [
      { field: 'key', message: 'already resolved' },
    ]);
  if (r.status === 'failed') throw new HttpProblem(502, 'Engine unavailable', r.detail);
  return r;
}

export function operatorRouter(deps: { pool: Pool; engine?: IncidentActions }): Router {
  const r = Router();
  const guard = requireRole('operator', 'administrator');

  r.get('/api/v1/operator/process-instances', guard, async (req, res) => {
    const q = parse(InstanceQuery, req, 'query');
    const { total, items } = await searchInstances(deps.pool, {
      q: q.q,
      process: q.process,
      version: q.version,
      state: q.state,
      startedFrom: bound(q.startedFrom, false),
      startedTo: bound(q.startedTo, true),
      endedFrom: bound(q.endedFrom, false),
      endedTo: bound(q.endedTo, true),
      limit: q.limit,
      offset: q.offset,
    });
    res.json({ total, limit: q.limit, offset: q.offset, items });
  });

  r.get('/api/v1/operator/process-instances/:key', guard, async (req, res) => {
    const { key } = parse(KeyParams, req, 'params');
    const detail = await getInstance(deps.pool, key);
    if (!detail)
      throw new HttpProblem(404, 'Not found', `no process instance ${key}`, [
        { field: 'key', message: 'no such process instance' },
      ]);
    res.json(detail);
  });

  r.get('/api/v1/operator/process-definitions', guard, async (_req, res) => {
    res.json({ processes: await listDefinitions(deps.pool) });
  });

  r.get('/api/v1/operator/process-definitions/:key/xml', guard, async (req, res) => {
    const { key } = parse(KeyParams, req, 'params');
    const xml = await definitionXml(deps.pool, key);
    if (xml === undefined)
      throw new HttpProblem(404, 'Not found', `no process definition ${key}`, [
        { field: 'key', message: 'no such process definition' },
      ]);
    res.type('application/xml').send(xml);
  });

  r.get('/api/v1/operator/incidents', guard, async (req, res) => {
    const q = parse(IncidentQuery, req, 'query');
    const { total, items } = await listIncidents(deps.pool, q);
    res.json({ total, limit: q.limit, offset: q.offset, items });
  });

  // Before '/:key/retry' so "retry" is never taken for a key (it is not digits anyway).
  r.post('/api/v1/operator/incidents/retry', guard, async (req, res) => {
    const body = parse(BatchRetryBody, req, 'body');
    const who = actor(req);
    const results: ActionResult[] = [];
    for (const key of [...new Set(body.keys)])
      results.push(await act(deps.pool, deps.engine, key, who, body.retries));
    res.json({ results });
  });

  r.post('/api/v1/operator/incidents/:key/retry', guard, async (req, res) => {
    const { key } = parse(KeyParams, req, 'params');
    const { retries } = parse(RetryBody, req, 'body');
    res.json(answer(await act(deps.pool, deps.engine, key, actor(req), retries)));
  });

  r.post('/api/v1/operator/incidents/:key/resolve', guard, async (req, res) => {
    const { key } = parse(KeyParams, req, 'params');
    res.json(answer(await act(deps.pool, deps.engine, key, actor(req), undefined)));
  });

  return r;
}
