import { principalOf, requireRole, requireSignedIn, reviewerGroups } from '../auth/principal.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { getCaseDocument, getCaseView } from '../cases/case-view.js';
import { claimTask, decide, DECISION_OUTCOMES, type Reviewer } from '../cases/decision.js';
import { getInboxTask, LIST_KINDS, listInbox, reassignTask } from '../cases/reviewer-inbox.js';
import type { Pool } from '../db/pool.js';
import { EngineError } from '../engine/rest.js';
import type { EngineTasks } from '../engine/tasks.js';
import type {
  CaseFile,
  DecisionRecorded,
  DecisionRequest,
  InboxPage,
  LegalGround,
  Reassigned,
  ReassignRequest,
} from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { DaySchema, InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { caseProblem, HttpProblem } from './problem.js';
import { parse } from './validate.js';

const InboxQuery = z
  .object({
    process: z.string().min(1).optional(),
    /** one registering body of the reviewer's (e.g. mida); tasks of its reviewer group */
    body: z
      .string()
      .regex(/^[a-z0-9-]+$/, { message: 'must be a body code' })
      .optional(),
    overdue: z.enum(['true', 'false']).optional(),
    dueBefore: z.iso.datetime({ offset: true }).optional(),
    assignedToMe: z.enum(['true', 'false']).optional(),
    unassigned: z.enum(['true', 'false']).optional(),
    /** an application's preferential category (1–11, 000 §2.1.5) or a waitlist list kind (004 §9) */
    category: z
      .union([
        z.enum(LIST_KINDS),
        z
          .string()
          .regex(/^\d{1,2}$/)
          .refine((v) => Number(v) >= 1 && Number(v) <= 11),
      ])
      .optional()
      .openapi({ description: 'category 1–11, or general / first-turn / out-of-turn' }),
    /** not yet overdue and due by the end of the Nth working day from today */
    dueWithin: z.coerce.number().int().min(0).max(60).optional(),
    sort: z.enum(['due', 'created']).default('due'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** The engine's task id (a UUID with the engine's default id generator; digits with the DB one). */
const TaskKey = z.object({
  taskId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'must be a task id' }),
});
const DocumentParams = TaskKey.extend({
  documentId: z.uuid({ message: 'must be a document id' }),
});
const ReassignBody = registry.register(
  'Reassignment',
  z
    .object({
      assignee: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, { message: 'must be an account id' })
        .openapi({ description: 'an active reviewer of the task’s body' }),
    })
    .strict(),
);

export const DecisionBody = registry.register(
  'Decision',
  z
    .object({
      outcome: z.enum(DECISION_OUTCOMES),
      legalGround: z
        .string()
        .min(1)
        .openapi({ description: 'code from GET /api/v1/legal-grounds' }),
      reason: z
        .string()
        .trim()
        .min(10, {
          message: 'a reasoned decision needs the reviewer’s text (at least 10 characters)',
        })
        .max(4000),
      items: z
        .array(
          z
            .object({
              target: z.enum(['field', 'document']),
              name: z.string().min(1).max(100),
              comment: z.string().trim().min(3).max(1000),
            })
            .strict(),
        )
        .max(50)
        .optional(),
    })
    .strict(),
);

type _ReassignBody = Assert<SameShape<z.input<typeof ReassignBody>, ReassignRequest>>;
type _DecisionBody = Assert<SameShape<z.input<typeof DecisionBody>, DecisionRequest>>;

const PersonNameSchema = z.object({
  lastName: z.string(),
  firstName: z.string(),
  patronymic: z.string().nullable(),
});
const ReviewTaskSchema = registry.register(
  'ReviewTask',
  z.object({
    taskId: z.string(),
    caseType: z.string().openapi({ description: 'application or waitlist-case' }),
    caseId: z.string(),
    applicationId: z.string().nullable(),
    processInstanceId: z.string(),
    bpmnProcessId: z.string(),
    elementId: z.string(),
    businessKey: z.string().nullable(),
    candidateGroups: z.array(z.string()),
    assignee: z.string().nullable(),
    dueAt: InstantSchema.nullable(),
    followUpAt: InstantSchema.nullable(),
    createdAt: InstantSchema,
    completedAt: InstantSchema.nullable(),
    cancelled: z.boolean(),
    outcome: z.string().nullable(),
    overdueEscalatedAt: InstantSchema.nullable(),
    body: z.string(),
    category: z.string().nullable().openapi({
      description:
        'an application: its preferential category (1–11); a waitlist case: the list kind',
    }),
    registrationNumber: z.number().int().nullable(),
    caseKind: z.string().nullable(),
    remainingWorkingDays: z.number().int().nullable(),
    applicantName: PersonNameSchema.nullable(),
    applicantNotInRegistry: z.boolean().openapi({
      description: 'the identity registry was asked and does not know the person (no name)',
    }),
    failedChecks: z.number().int(),
    assigneeName: z.string().nullable(),
  }),
);
const InboxPageSchema = registry.register(
  'InboxPage',
  z.object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    counts: z.object({
      total: z.number().int(),
      overdue: z.number().int(),
      dueWithin3: z.number().int(),
      unassigned: z.number().int(),
      assignedToMe: z.number().int(),
    }),
    tasks: z.array(ReviewTaskSchema),
  }),
);
const ReassignedSchema = z.object({
  taskId: z.string(),
  assignee: z.string(),
  previous: z.string().nullable(),
});
const DecisionRecordedSchema = z.object({ decisionId: z.string() });
const LegalGroundSchema = registry.register(
  'LegalGround',
  z.object({
    code: z.string(),
    citation: z.string(),
    decision: z.string(),
    process: z.string(),
    textAz: z.string(),
    textEn: z.string(),
  }),
);
type _InboxPage = Assert<SameShape<z.infer<typeof InboxPageSchema>, InboxPage>>;
type _Reassigned = Assert<SameShape<z.infer<typeof ReassignedSchema>, Reassigned>>;
type _DecisionRecorded = Assert<
  SameShape<z.infer<typeof DecisionRecordedSchema>, DecisionRecorded>
>;
type _LegalGround = Assert<SameShape<z.infer<typeof LegalGroundSchema>, LegalGround>>;

const GroundsQuery = z
  .object({ decision: z.enum(['grant', 'refuse', 'discrepancy', 'extend']).optional() })
  .strict();

registry.registerPath({
  method: 'get',
  path: '/api/v1/review-tasks',
  summary:
    "The reviewer's inbox: open tasks of their bodies with remaining working days, filters, sorting and counts (total, overdue, due within 3 working days, unassigned, assigned to me)",
  request: { query: InboxQuery },
  responses: {
    200: jsonResponse('tasks with counts', InboxPageSchema),
    400: problemResponse('bad filter'),
    401: problemResponse('no reviewer identity'),
    403: problemResponse('not a reviewer, or not one of your bodies'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{taskId}/reassign',
  summary: 'A supervisor hands an open task to another active reviewer of its body (audited)',
  request: {
    params: TaskKey,
    body: { content: { 'application/json': { schema: ReassignBody } } },
  },
  responses: {
    200: jsonResponse('reassigned', ReassignedSchema),
    400: problemResponse('assignee is not an active reviewer of the task’s body'),
    403: problemResponse('not a supervisor'),
    404: problemResponse('no open task in your bodies'),
  },
});
/** The case file of a task (issue 15): rows of its tables are open objects (their columns). */
const CaseRowSchema = z.record(z.string(), z.unknown());
const ActorNameSchema = z.object({ displayName: z.string(), roles: z.array(z.string()) });
const GroundTextSchema = z.object({
  code: z.string(),
  citation: z.string(),
  textAz: z.string(),
  textEn: z.string(),
});
const CaseFileSchema = registry.register(
  'CaseFile',
  z.object({
    task: ReviewTaskSchema.extend({
      deadline: z.object({
        dueAt: InstantSchema.nullable(),
        dueDate: DaySchema.nullable(),
        citation: z.string().nullable(),
      }),
    }),
    case: CaseRowSchema.and(z.object({ type: z.string(), id: z.string() })),
    applicant: z.object({
      fin: z.string().nullable(),
      name: PersonNameSchema.nullable().openapi({
        description: 'as the identity registry gave it; null before the identity check',
      }),
      birthDate: DaySchema.nullable(),
      notInRegistry: z.boolean(),
      details: CaseRowSchema,
    }),
    family: z.array(CaseRowSchema),
    documents: z.array(CaseRowSchema),
    checks: z.array(
      z.object({
        name: z.string(),
        passed: z.boolean().nullable(),
        legalGround: z.string().nullable(),
        ground: GroundTextSchema.nullable(),
        reasons: z.array(z.string()),
        notes: z.array(z.string()),
        facts: z.record(z.string(), z.unknown()),
        detail: z.unknown(),
        checkedAt: InstantSchema.nullable(),
        sources: z.array(z.string()),
      }),
    ),
    decisions: z.array(
      z.object({
        outcome: z.string(),
        legalGround: z.string(),
        citation: z.string(),
        groundTextAz: z.string(),
        groundTextEn: z.string(),
        reason: z.string(),
        items: z.array(
          z.object({
            target: z.enum(['field', 'document']),
            name: z.string(),
            comment: z.string(),
          }),
        ),
        decidedBy: z.string(),
        decidedByName: ActorNameSchema.nullable(),
        decidedAt: InstantSchema,
      }),
    ),
    discrepancyRounds: z.array(CaseRowSchema),
    audit: z.array(
      z.object({
        actor: z.string(),
        actorName: ActorNameSchema.nullable(),
        action: z.string(),
        legalGround: z.string().nullable(),
        reason: z.string().nullable(),
        before: z.unknown(),
        after: z.unknown(),
        at: InstantSchema,
      }),
    ),
    decisionOptions: z.object({
      outcomes: z.array(z.string()),
      grounds: z.array(LegalGroundSchema),
    }),
  }),
);
type _CaseFile = Assert<SameShape<z.infer<typeof CaseFileSchema>, CaseFile>>;

registry.registerPath({
  method: 'get',
  path: '/api/v1/review-tasks/{taskId}/case',
  summary:
    'The case of a task: deadline with its citation, applicant and family, documents, registry checks with sources, earlier decisions and discrepancy rounds, audit trail',
  request: { params: TaskKey },
  responses: {
    200: jsonResponse('the case', CaseFileSchema),
    403: problemResponse('a task of another body'),
    404: problemResponse('no such task'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/review-tasks/{taskId}/documents/{documentId}',
  summary: "A document of the task's case, inline with its stored content type",
  request: { params: DocumentParams },
  responses: {
    200: {
      description: 'the file',
      content: {
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
      },
    },
    403: problemResponse('a task of another body'),
    404: problemResponse('no such task or no such document of its case'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{taskId}/claim',
  summary: 'Claim a task',
  request: { params: TaskKey },
  responses: {
    204: { description: 'claimed' },
    404: problemResponse('no such task'),
    409: problemResponse('claimed by another'),
    503: problemResponse('the engine is not connected'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{taskId}/unclaim',
  summary: 'Release a task',
  request: { params: TaskKey },
  responses: { 204: { description: 'released' }, 409: problemResponse('not yours') },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{taskId}/decision',
  summary:
    'Decide: grant, refuse, discrepancy (with items) or extend (once), with a legal ground and a written reason',
  request: { params: TaskKey, body: { content: { 'application/json': { schema: DecisionBody } } } },
  responses: {
    200: jsonResponse('recorded', DecisionRecordedSchema),
    400: problemResponse('invalid; fields named'),
    404: problemResponse('no such task'),
    409: problemResponse('already decided / claimed by another / not allowed now'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/legal-grounds',
  summary: 'Legal grounds a decision may cite',
  request: { query: GroundsQuery },
  responses: {
    200: jsonResponse('grounds', z.array(LegalGroundSchema)),
    400: problemResponse('unknown decision'),
  },
});

/**
 * The engine refused or did not answer a task command (down, timed out, its own error): 503, the
 * reviewer may try again; nothing changed in the engine nor in the projection.
 */
function engineProblem(req: Request) {
  return (err: unknown): never => {
    if (err instanceof HttpProblem) throw err;
    const e = err as Error;
    if (
      err instanceof EngineError ||
      e?.name === 'TimeoutError' ||
      e?.name === 'AbortError' ||
      /fetch failed/i.test(e?.message ?? '')
    ) {
      req.log?.warn({ err: e.message }, 'engine task command failed');
      throw new HttpProblem(
        503,
        'Service unavailable',
        'the process engine did not take the change; try again',
      );
    }
    throw err;
  };
}

/** The signed-in reviewer and the candidate groups of their bodies. */
function reviewer(req: Request): Reviewer {
  const p = principalOf(req);
  return { id: p.id, groups: reviewerGroups(p) };
}

export function reviewerRouter(deps: {
  pool: Pool;
  onEngineMessagesQueued(): void;
  /** claim / release / reassign go to the engine (absent: they answer 503) */
  tasks?: EngineTasks;
}): Router {
  const r = Router();
  const engineTasks = (): EngineTasks => {
    if (!deps.tasks)
      throw new HttpProblem(503, 'Service unavailable', 'the process engine is not connected');
    return deps.tasks;
  };
  r.use('/api/v1/review-tasks', requireRole('reviewer', 'supervisor'));
  r.get('/api/v1/review-tasks', async (req, res) => {
    const who = reviewer(req);
    const q = parse(InboxQuery, req, 'query');
    // bodies are a managed list: a typo such as `mdia` is refused, not an empty inbox
    if (q.body) {
      const listed = await deps.pool.query('SELECT 1 FROM registering_body WHERE code = $1', [
        q.body,
      ]);
      if (!listed.rowCount)
        throw new HttpProblem(400, 'Invalid input', `no such body: ${q.body}`, [
          { field: 'body', message: `no such body: ${q.body} (see GET /api/v1/bodies)` },
        ]);
    }
    const groups = q.body ? who.groups.filter((g) => g === `${q.body}-reviewers`) : who.groups;
    if (q.body && groups.length === 0) {
      throw new HttpProblem(403, 'Forbidden', `you review no tasks of body ${q.body}`, [
        { field: 'body', message: 'not one of your bodies' },
      ]);
    }
    const { total, tasks, counts } = await listInbox(deps.pool, {
      groups,
      me: who.id,
      process: q.process,
      category: q.category,
      overdue: q.overdue === 'true',
      dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
      dueWithin: q.dueWithin,
      assignedToMe: q.assignedToMe === 'true',
      unassigned: q.unassigned === 'true',
      sort: q.sort,
      order: q.order,
      now: new Date(),
      limit: q.limit,
      offset: q.offset,
    }).catch(caseProblem);
    res.json({ total, limit: q.limit, offset: q.offset, counts, tasks } satisfies InboxPage);
  });
  r.post('/api/v1/review-tasks/:taskId/reassign', requireRole('supervisor'), async (req, res) => {
    const { taskId } = parse(TaskKey, req, 'params');
    const { assignee } = parse(ReassignBody, req, 'body');
    res.json(
      (await reassignTask(deps.pool, engineTasks(), taskId, reviewer(req), assignee)
        .catch(caseProblem)
        .catch(engineProblem(req))) satisfies Reassigned,
    );
  });
  /** The task, if it exists; 403 when it belongs to none of the caller's bodies. */
  async function taskInScope(req: Request) {
    const who = reviewer(req);
    const { taskId } = parse(TaskKey, req, 'params');
    const task = await getInboxTask(deps.pool, taskId, new Date());
    if (!task)
      throw new HttpProblem(404, 'Not found', `no review task ${taskId}`, [
        { field: 'taskId', message: 'no such task' },
      ]);
    if (!task.candidateGroups.some((g) => who.groups.includes(g)))
      throw new HttpProblem(403, 'Forbidden', 'a task of another body', [
        { field: 'taskId', message: 'not a task of your bodies' },
      ]);
    return task;
  }
  r.get('/api/v1/review-tasks/:taskId/case', async (req, res) => {
    const task = await taskInScope(req);
    const view = await getCaseView(deps.pool, task);
    if (!view)
      throw new HttpProblem(404, 'Not found', `the case of task ${task.taskId} is gone`, [
        { field: 'taskId', message: 'no case' },
      ]);
    res.set('cache-control', 'no-store').json(view satisfies CaseFile);
  });
  r.get('/api/v1/review-tasks/:taskId/documents/:documentId', async (req, res) => {
    const { documentId } = parse(DocumentParams, req, 'params');
    const task = await taskInScope(req);
    const doc = await getCaseDocument(deps.pool, task, documentId);
    if (!doc)
      throw new HttpProblem(404, 'Not found', `no document ${documentId} in this case`, [
        { field: 'documentId', message: 'not a document of this task’s case' },
      ]);
    res
      .status(200)
      .set({
        'content-type': doc.contentType,
        'content-length': String(doc.content.length),
        'content-disposition': `inline; filename="${doc.kind}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      })
      .end(doc.content);
  });
  r.post('/api/v1/review-tasks/:taskId/claim', async (req, res) => {
    const { taskId } = parse(TaskKey, req, 'params');
    await claimTask(deps.pool, engineTasks(), taskId, reviewer(req), true)
      .catch(caseProblem)
      .catch(engineProblem(req));
    res.status(204).end();
  });
  r.post('/api/v1/review-tasks/:taskId/unclaim', async (req, res) => {
    const { taskId } = parse(TaskKey, req, 'params');
    await claimTask(deps.pool, engineTasks(), taskId, reviewer(req), false)
      .catch(caseProblem)
      .catch(engineProblem(req));
    res.status(204).end();
  });
  r.post('/api/v1/review-tasks/:taskId/decision', async (req, res) => {
    const who = reviewer(req);
    const { taskId } = parse(TaskKey, req, 'params');
    const body = parse(DecisionBody, req, 'body');
    const result = await decide(deps.pool, taskId, who, body).catch(caseProblem);
    deps.onEngineMessagesQueued();
    res.json(result satisfies DecisionRecorded);
  });
  r.get('/api/v1/legal-grounds', requireSignedIn(), async (req, res) => {
    const q = parse(GroundsQuery, req, 'query');
    const { rows } = await deps.pool.query<LegalGround>(
      `SELECT code, citation, decision, process, text_az AS "textAz", text_en AS "textEn" FROM legal_ground
        WHERE withdrawn_at IS NULL AND ($1::text IS NULL OR decision = $1) ORDER BY decision, code`,
      [q.decision ?? null],
    );
    res.json(rows satisfies LegalGround[]);
  });
  return r;
}
