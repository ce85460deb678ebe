import { Router, type Request } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/principal.js';
import { recordAudit } from '../cases/audit.js';
import { openDeadlines } from '../cases/instance-deadlines.js';
import type { Pool } from '../db/pool.js';
import {
  ENGINE_ID,
  INSTANCE_STATES,
  type EngineHistory,
  type IncidentActionResult,
} from '../engine/history.js';
import { deadlineEnd, isCivilDate, BAKU_UTC_OFFSET_MINUTES } from '../domain/calendar.js';
import type {
  BatchRetryRequest,
  BatchRetryResult,
  DefinitionElements,
  IncidentActionResult as IncidentActionAnswer,
  Incident,
  InstanceDetail,
  InstanceSummary,
  Page,
  RetryRequest,
} from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * The operator console's view of the engine: process instances, their steps and variables,
 * deployed models, and incidents with retry and resolve — all read from and done through the
 * engine (src/engine/history.ts). What the console does not show is one link away in Cockpit.
 */

const EngineId = z.string().regex(ENGINE_ID, { message: 'must be an engine id' });

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
        'a case id (the instance’s business key), an instance id, or another business key',
    }),
    process: z.string().min(1).max(200).optional().openapi({ description: 'BPMN process id' }),
    version: z.coerce
      .number({ message: 'must be a version number' })
      .int({ message: 'must be a version number' })
      .min(1, { message: 'must be a version number' })
      .optional()
      .openapi({ description: 'a version of `process` (needs it)' }),
    state: z
      .enum(INSTANCE_STATES, { message: `must be one of ${INSTANCE_STATES.join(', ')}` })
      .optional()
      .openapi({ description: 'incident: running with an open incident; active: without one' }),
    startedFrom: DateOrDateTime.optional(),
    startedTo: DateOrDateTime.optional(),
    endedFrom: DateOrDateTime.optional(),
    endedTo: DateOrDateTime.optional(),
    ...Paging,
  })
  .strict()
  .refine((q) => q.version === undefined || q.process !== undefined, {
    message: 'a version needs a process',
    path: ['version'],
  });

const IncidentQuery = z
  .object({
    state: z.enum(['active', 'resolved'], { message: 'must be active or resolved' }).optional(),
    process: z.string().min(1).max(200).optional(),
    ...Paging,
  })
  .strict();

const IdParams = z.object({ id: EngineId });

const Retries = z
  .number({ message: 'must be a whole number 1..10' })
  .int({ message: 'must be a whole number 1..10' })
  .min(1, { message: 'must be a whole number 1..10' })
  .max(10, { message: 'must be a whole number 1..10' });

export const RetryBody = registry.register(
  'IncidentRetry',
  z
    .object({
      retries: Retries.openapi({ description: 'new retries of the failed job or external task' }),
    })
    .strict(),
);
export const BatchRetryBody = registry.register(
  'IncidentBatchRetry',
  z
    .object({
      ids: z
        .array(EngineId)
        .min(1, { message: 'at least one id' })
        .max(100, { message: 'at most 100 ids' }),
      retries: Retries,
    })
    .strict(),
);

type _RetryBody = Assert<SameShape<z.input<typeof RetryBody>, RetryRequest>>;
type _BatchRetryBody = Assert<SameShape<z.input<typeof BatchRetryBody>, BatchRetryRequest>>;

const INSTANCE_STATE_ENUM = z.enum(INSTANCE_STATES);

const InstanceSummarySchema = registry.register(
  'ProcessInstanceSummary',
  z.object({
    id: z.string(),
    bpmnProcessId: z.string(),
    version: z.number().int(),
    processDefinitionId: z.string(),
    businessKey: z.string().nullable().openapi({ description: 'the case id' }),
    state: INSTANCE_STATE_ENUM,
    startedAt: InstantSchema,
    endedAt: InstantSchema.nullable(),
    parentId: z.string().nullable(),
    caseType: z.string().nullable(),
    caseId: z.string().nullable(),
    incidentCount: z.number().int(),
  }),
);

const IncidentSchema = registry.register(
  'Incident',
  z.object({
    id: z.string(),
    processInstanceId: z.string(),
    processDefinitionId: z.string().nullable(),
    bpmnProcessId: z.string(),
    elementId: z.string(),
    incidentType: z.string().openapi({ description: 'failedJob, failedExternalTask or custom' }),
    configuration: z.string().nullable().openapi({ description: 'the failed job or task' }),
    errorMessage: z.string(),
    state: z.enum(['active', 'resolved', 'deleted']),
    createdAt: InstantSchema,
    resolvedAt: InstantSchema.nullable(),
    causeIncidentId: z.string().nullable(),
    rootCauseIncidentId: z.string().nullable(),
  }),
);

const ElementCountsSchema = z.object({
  elementId: z.string(),
  active: z.number().int(),
  completed: z.number().int(),
  terminated: z.number().int(),
  incidents: z.number().int(),
});

const InstanceDetailSchema = registry.register(
  'ProcessInstanceDetail',
  z.object({
    instance: InstanceSummarySchema,
    elements: z.array(ElementCountsSchema),
    history: z.array(
      z.object({
        id: z.string(),
        elementId: z.string(),
        elementName: z.string().nullable(),
        elementType: z.string(),
        state: z.enum(['active', 'completed', 'terminated']),
        startedAt: InstantSchema,
        endedAt: InstantSchema.nullable(),
        calledProcessInstanceId: z.string().nullable(),
        assignee: z.string().nullable(),
      }),
    ),
    variables: z.array(
      z.object({
        name: z.string(),
        value: z.unknown(),
        type: z.string(),
        scope: z.string().nullable().openapi({ description: 'null: the instance itself' }),
      }),
    ),
    incidents: z.array(IncidentSchema),
    deadlines: z.array(
      z.object({
        taskId: z.string(),
        elementId: z.string(),
        dueAt: InstantSchema.nullable(),
        citation: z.string().nullable(),
        assignee: z.string().nullable(),
        candidateGroups: z.array(z.string()),
        overdueEscalatedAt: InstantSchema.nullable(),
      }),
    ),
    cockpitUrl: z
      .string()
      .nullable()
      .openapi({ description: 'the instance in the engine’s Cockpit (operators and admins)' }),
  }),
);

const RetryResultSchema = registry.register(
  'IncidentActionResult',
  z.object({
    id: z.string(),
    status: z.enum(['retried', 'resolved', 'not-found', 'already-resolved', 'refused', 'failed']),
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
const engineDown = { 503: problemResponse('no engine is connected') };

registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-instances',
  summary: 'Operators: search process instances by case, process, version, state and time',
  request: { query: InstanceQuery },
  responses: {
    200: json(page(InstanceSummarySchema), 'one page, newest first'),
    400: problemResponse('bad filter; the field is named'),
    ...forbidden,
    ...engineDown,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-instances/{id}',
  summary:
    'Operators: one instance — element counts, history of steps, variables, incidents, open deadlines, Cockpit link',
  request: { params: IdParams },
  responses: {
    200: json(InstanceDetailSchema, 'the instance'),
    404: problemResponse('no such instance'),
    ...forbidden,
    ...engineDown,
  },
});
const ProcessDefinitionsSchema = registry.register(
  'ProcessDefinitions',
  z.object({
    processes: z.array(
      z.object({
        bpmnProcessId: z.string(),
        name: z.string().nullable(),
        versions: z
          .array(
            z.object({
              id: z.string(),
              bpmnProcessId: z.string(),
              name: z.string().nullable(),
              version: z.number().int(),
              versionTag: z.string().nullable(),
              resourceName: z.string(),
              deploymentId: z.string(),
              deployedAt: InstantSchema.nullable(),
              instances: z.object({
                active: z.number().int(),
                incident: z.number().int(),
                completed: z.number().int(),
                cancelled: z.number().int(),
              }),
            }),
          )
          .openapi({ description: 'newest first' }),
      }),
    ),
  }),
);
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-definitions',
  summary: 'Operators: deployed processes with their versions and instance counts per state',
  responses: {
    200: jsonResponse('processes', ProcessDefinitionsSchema),
    ...forbidden,
    ...engineDown,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-definitions/{id}/xml',
  summary: 'Operators: the BPMN XML of one deployed version',
  request: { params: IdParams },
  responses: {
    200: { description: 'BPMN 2.0 XML', content: { 'application/xml': { schema: z.string() } } },
    404: problemResponse('no such definition'),
    ...forbidden,
    ...engineDown,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/process-definitions/{id}/elements',
  summary:
    'Operators: per element of one deployed version, its running instances, open incidents and ended counts',
  request: { params: IdParams },
  responses: {
    200: json(z.object({ elements: z.array(ElementCountsSchema) }), 'per element'),
    404: problemResponse('no such definition'),
    ...forbidden,
    ...engineDown,
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
    ...engineDown,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/incidents/{id}/retry',
  summary:
    'Operators: give the failed job or external task new retries, which resolves the incident (audited)',
  request: {
    params: IdParams,
    body: { content: { 'application/json': { schema: RetryBody } } },
  },
  responses: {
    200: json(RetryResultSchema, 'retried'),
    400: problemResponse('bad retries'),
    404: problemResponse('no such incident'),
    409: problemResponse('already resolved'),
    422: problemResponse('the incident has no job to retry'),
    502: problemResponse('the engine refused or is unreachable'),
    ...forbidden,
    ...engineDown,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/incidents/{id}/resolve',
  summary:
    'Operators: resolve a custom incident whose cause was fixed (audited); failed jobs and tasks are resolved by a retry',
  request: { params: IdParams },
  responses: {
    200: json(RetryResultSchema, 'resolved'),
    404: problemResponse('no such incident'),
    409: problemResponse('already resolved'),
    422: problemResponse('a failed job or external task: retry it instead'),
    502: problemResponse('the engine refused or is unreachable'),
    ...forbidden,
    ...engineDown,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/incidents/retry',
  summary: 'Operators: retry several incidents; one result per id',
  request: { body: { content: { 'application/json': { schema: BatchRetryBody } } } },
  responses: {
    200: json(z.object({ results: z.array(RetryResultSchema) }), 'per id'),
    400: problemResponse('bad ids or retries'),
    ...forbidden,
    ...engineDown,
  },
});

/** The acting operator, recorded in the audit trail. */
function actor(req: Request): string {
  return principalOf(req).id;
}

type ActionResult = Omit<IncidentActionResult, 'incident'>;

/** Retries or resolves one incident through the engine; audited on success. */
async function act(
  pool: Pool,
  history: EngineHistory,
  id: string,
  who: string,
  retries: number | undefined,
): Promise<ActionResult> {
  const r =
    retries !== undefined
      ? await history.retryIncident(id, retries)
      : await history.resolveIncident(id);
  const { incident, ...result } = r;
  if ((result.status !== 'retried' && result.status !== 'resolved') || !incident) return result;
  // In the trail of the case the instance serves, else of the instance itself.
  const instance = await history.instanceSummary(incident.processInstanceId).catch(() => undefined);
  const serves = instance?.caseId && instance.caseType;
  await recordAudit(pool, {
    caseType: serves ? instance.caseType! : 'process-instance',
    caseId: serves ? instance.caseId! : incident.processInstanceId,
    actor: who,
    action: retries !== undefined ? 'incident-retried' : 'incident-resolved',
    after: {
      incidentId: id,
      ...(incident.id !== id ? { rootCauseIncidentId: incident.id } : {}),
      processInstanceId: incident.processInstanceId,
      bpmnProcessId: incident.bpmnProcessId,
      elementId: incident.elementId,
      incidentType: incident.incidentType,
      configuration: incident.configuration,
      ...(retries !== undefined ? { retries } : {}),
    },
  });
  return result;
}

function answer(r: ActionResult): ActionResult {
  if (r.status === 'not-found')
    throw new HttpProblem(404, 'Not found', r.detail, [
      { field: 'id', message: 'no such incident' },
    ]);
  if (r.status === 'already-resolved')
    throw new HttpProblem(409, 'Conflict', r.detail, [
      { field: 'id', message: 'already resolved' },
    ]);
  if (r.status === 'refused')
    throw new HttpProblem(422, 'Not possible', r.detail, [{ field: 'id', message: r.detail! }]);
  if (r.status === 'failed') throw new HttpProblem(502, 'Engine unavailable', r.detail);
  return r;
}

export function operatorRouter(deps: { pool: Pool; history?: EngineHistory }): Router {
  const r = Router();
  const guard = requireRole('operator', 'administrator');
  const engine = (): EngineHistory => {
    if (!deps.history) throw new HttpProblem(503, 'Engine unavailable', 'no engine is connected');
    return deps.history;
  };

  r.get('/api/v1/operator/process-instances', guard, async (req, res) => {
    const q = parse(InstanceQuery, req, 'query');
    const { total, items } = await engine().searchInstances({
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
    // what people call the case: the application's number and its applicant, not the UUIDs
    const caseIds = items
      .map((i) => i.caseId ?? i.businessKey)
      .filter((k): k is string => !!k && /^[0-9a-f-]{36}$/i.test(k));
    const { rows } = caseIds.length
      ? await deps.pool.query<{
          id: string;
          registrationNumber: number | null;
          applicantName: InstanceSummary['applicantName'];
        }>(
          `SELECT id::text, registration_number AS "registrationNumber", applicant_name AS "applicantName"
             FROM application WHERE id = ANY($1::uuid[])`,
          [caseIds],
        )
      : { rows: [] };
    const byCase = new Map(rows.map((r) => [r.id, r]));
    const named = items.map((i) => {
      const c = byCase.get(i.caseId ?? i.businessKey ?? '');
      return {
        ...i,
        registrationNumber: c?.registrationNumber ?? null,
        applicantName: c?.applicantName ?? null,
      };
    });
    res.json({
      total,
      limit: q.limit,
      offset: q.offset,
      items: named,
    } satisfies Page<InstanceSummary>);
  });

  r.get('/api/v1/operator/process-instances/:id', guard, async (req, res) => {
    const { id } = parse(IdParams, req, 'params');
    const detail = await engine().getInstance(id);
    if (!detail)
      throw new HttpProblem(404, 'Not found', `no process instance ${id}`, [
        { field: 'id', message: 'no such process instance' },
      ]);
    // The citation of a review deadline is a variable every review process sets.
    const citation = detail.variables.find(
      (v) => v.scope === null && v.name === 'reviewDeadlineCitation',
    )?.value;
    const deadlines = (await openDeadlines(deps.pool, id)).map((d) => ({
      ...d,
      citation: citation == null ? null : String(citation),
    }));
    res.json({ ...detail, deadlines } satisfies InstanceDetail);
  });

  r.get('/api/v1/operator/process-definitions', guard, async (_req, res) => {
    res.json({
      processes: await engine().listDefinitions(),
    } satisfies z.infer<typeof ProcessDefinitionsSchema>);
  });

  r.get('/api/v1/operator/process-definitions/:id/xml', guard, async (req, res) => {
    const { id } = parse(IdParams, req, 'params');
    const xml = await engine().definitionXml(id);
    if (xml === undefined)
      throw new HttpProblem(404, 'Not found', `no process definition ${id}`, [
        { field: 'id', message: 'no such process definition' },
      ]);
    res.type('application/xml').send(xml);
  });

  r.get('/api/v1/operator/process-definitions/:id/elements', guard, async (req, res) => {
    const { id } = parse(IdParams, req, 'params');
    const elements = await engine().definitionElements(id);
    if (elements === undefined)
      throw new HttpProblem(404, 'Not found', `no process definition ${id}`, [
        { field: 'id', message: 'no such process definition' },
      ]);
    res.json({ elements } satisfies DefinitionElements);
  });

  r.get('/api/v1/operator/incidents', guard, async (req, res) => {
    const q = parse(IncidentQuery, req, 'query');
    const { total, items } = await engine().listIncidents(q);
    res.json({ total, limit: q.limit, offset: q.offset, items } satisfies Page<Incident>);
  });

  // Before '/:id/retry' so "retry" is never taken for an id.
  r.post('/api/v1/operator/incidents/retry', guard, async (req, res) => {
    const body = parse(BatchRetryBody, req, 'body');
    const history = engine();
    const who = actor(req);
    const results: ActionResult[] = [];
    for (const id of [...new Set(body.ids)])
      results.push(await act(deps.pool, history, id, who, body.retries));
    res.json({ results } satisfies BatchRetryResult);
  });

  r.post('/api/v1/operator/incidents/:id/retry', guard, async (req, res) => {
    const { id } = parse(IdParams, req, 'params');
    const { retries } = parse(RetryBody, req, 'body');
    res.json(
      answer(
        await act(deps.pool, engine(), id, actor(req), retries),
      ) satisfies IncidentActionAnswer,
    );
  });

  r.post('/api/v1/operator/incidents/:id/resolve', guard, async (req, res) => {
    const { id } = parse(IdParams, req, 'params');
    res.json(
      answer(
        await act(deps.pool, engine(), id, actor(req), undefined),
      ) satisfies IncidentActionAnswer,
    );
  });

  return r;
}
