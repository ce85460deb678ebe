import { principalOf, requireRole, requireSignedIn, reviewerGroups } from '../auth/principal.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { claimTask, decide, DECISION_OUTCOMES, type Reviewer } from '../cases/decision.js';
import { listOpenReviewTasks } from '../cases/review-task.js';
import type { Pool } from '../db/pool.js';
import { problemResponse, registry } from './openapi.js';
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
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const TaskKey = z.object({
  jobKey: z.string().regex(/^\d+$/, { message: 'must be a task key (digits)' }),
});

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

const GroundsQuery = z
  .object({ decision: z.enum(['grant', 'refuse', 'discrepancy', 'extend']).optional() })
  .strict();

registry.registerPath({
  method: 'get',
  path: '/api/v1/review-tasks',
  summary: "The reviewer's inbox: open tasks of their bodies, earliest due first",
  request: { query: InboxQuery },
  responses: {
    200: { description: 'tasks with counts' },
    400: problemResponse('bad filter'),
    401: problemResponse('no reviewer identity'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{jobKey}/claim',
  summary: 'Claim a task',
  request: { params: TaskKey },
  responses: {
    204: { description: 'claimed' },
    404: problemResponse('no such task'),
    409: problemResponse('claimed by another'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{jobKey}/unclaim',
  summary: 'Release a task',
  request: { params: TaskKey },
  responses: { 204: { description: 'released' }, 409: problemResponse('not yours') },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/review-tasks/{jobKey}/decision',
  summary:
    'Decide: grant, refuse, discrepancy (with items) or extend (once), with a legal ground and a written reason',
  request: { params: TaskKey, body: { content: { 'application/json': { schema: DecisionBody } } } },
  responses: {
    200: { description: 'recorded' },
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
  responses: { 200: { description: 'grounds' } },
});

/**
 * The reviewer's identity. Until sign-in arrives (issue: sign-in and roles) the caller states
 * it in headers; every action is still checked against the task's candidate groups.
 */
function reviewer(req: Request): Reviewer {
  const p = principalOf(req);
  return { id: p.id, groups: reviewerGroups(p) };
}

export function reviewerRouter(deps: { pool: Pool; onEngineMessagesQueued(): void }): Router {
  const r = Router();
  r.use('/api/v1/review-tasks', requireRole('reviewer', 'supervisor'));
  r.get('/api/v1/review-tasks', async (req, res) => {
    const who = reviewer(req);
    const q = parse(InboxQuery, req, 'query');
    const groups = q.body ? who.groups.filter((g) => g === `${q.body}-reviewers`) : who.groups;
    if (q.body && groups.length === 0) {
      throw new HttpProblem(403, 'Forbidden', `you review no tasks of body ${q.body}`, [
        { field: 'body', message: 'not one of your bodies' },
      ]);
    }
    const { total, tasks } = await listOpenReviewTasks(deps.pool, {
      groups,
      process: q.process,
      overdue: q.overdue === 'true',
      dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
      assignee: q.assignedToMe === 'true' ? who.id : undefined,
      unassigned: q.unassigned === 'true',
      now: new Date(),
      limit: q.limit,
      offset: q.offset,
    });
    res.json({ total, limit: q.limit, offset: q.offset, tasks });
  });
  r.post('/api/v1/review-tasks/:jobKey/claim', async (req, res) => {
    const { jobKey } = parse(TaskKey, req, 'params');
    await claimTask(deps.pool, jobKey, reviewer(req), true).catch(caseProblem);
    res.status(204).end();
  });
  r.post('/api/v1/review-tasks/:jobKey/unclaim', async (req, res) => {
    const { jobKey } = parse(TaskKey, req, 'params');
    await claimTask(deps.pool, jobKey, reviewer(req), false).catch(caseProblem);
    res.status(204).end();
  });
  r.post('/api/v1/review-tasks/:jobKey/decision', async (req, res) => {
    const who = reviewer(req);
    const { jobKey } = parse(TaskKey, req, 'params');
    const body = parse(DecisionBody, req, 'body');
    const result = await decide(deps.pool, jobKey, who, body).catch(caseProblem);
    deps.onEngineMessagesQueued();
    res.json(result);
  });
  r.get('/api/v1/legal-grounds', requireSignedIn(), async (req, res) => {
    const q = parse(GroundsQuery, req, 'query');
    const { rows } = await deps.pool.query(
      `SELECT code, citation, decision, process, text_az AS "textAz", text_en AS "textEn" FROM legal_ground
        WHERE $1::text IS NULL OR decision = $1 ORDER BY decision, code`,
      [q.decision ?? null],
    );
    res.json(rows);
  });
  return r;
}
