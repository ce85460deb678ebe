import { requireRole } from '../auth/principal.js';
import { Router } from 'express';
import { z } from 'zod';
import { getReverification, listReverifications } from '../cases/reverification.js';
import type { Pool } from '../db/pool.js';
import { DaySchema, InstantSchema, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * Operators: progress of the annual re-verification of the waitlists (004 §18, first quarter;
 * workflows/waitlist-reverification.bpmn). Counts only — no personal data.
 */

const YearParams = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, { message: 'must be a year YYYY' })
    .transform(Number)
    .openapi({ type: 'integer', example: 2027 }),
});

const ProgressSchema = registry.register(
  'ReverificationProgress',
  z.object({
    year: z.number().int(),
    status: z.enum(['running', 'finished']),
    dueBy: DaySchema.openapi({ description: 'end of the first quarter (004 §18)' }),
    batchSize: z.number().int(),
    startedAt: InstantSchema,
    finishedAt: InstantSchema.nullable(),
    processInstanceKey: z.string().nullable(),
    batches: z.object({ done: z.number().int(), total: z.number().int() }),
    entries: z.object({
      total: z.number().int(),
      checked: z.number().int(),
      skipped: z
        .number()
        .int()
        .openapi({ description: 'left the list (or lost its FIN) before their turn' }),
    }),
    casesOpened: z.number().int(),
    groundsAddedToOpenCases: z.number().int(),
    grounds: z
      .record(z.string(), z.number().int())
      .openapi({ description: 'entries per removal ground found (legal_ground code)' }),
  }),
);

const RunDetailSchema = registry.register(
  'ReverificationRun',
  ProgressSchema.extend({
    batchList: z.array(
      z.object({
        id: z.string(),
        seq: z.number().int(),
        entries: z.number().int(),
        checked: z.number().int(),
        casesOpened: z.number().int(),
        startedAt: InstantSchema.nullable(),
        finishedAt: InstantSchema.nullable(),
      }),
    ),
  }),
);

registry.registerPath({
  method: 'get',
  path: '/api/v1/waitlist/reverifications',
  summary: 'Operators: every annual re-verification run of the waitlists (004 §18), newest first',
  responses: {
    200: {
      description: 'the runs',
      content: { 'application/json': { schema: z.object({ runs: z.array(ProgressSchema) }) } },
    },
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/waitlist/reverifications/{year}',
  summary: "Operators: one year's re-verification with its batches",
  request: { params: YearParams },
  responses: {
    200: { description: 'the run', content: { 'application/json': { schema: RunDetailSchema } } },
    400: problemResponse('malformed year'),
    404: problemResponse('no run for that year'),
  },
});

export function reverificationRouter(deps: { pool: Pool }): Router {
  const r = Router();
  r.use('/api/v1/waitlist/reverifications', requireRole('operator', 'supervisor', 'administrator'));
  r.get('/api/v1/waitlist/reverifications', async (_req, res) => {
    res.json({ runs: await listReverifications(deps.pool) });
  });
  r.get('/api/v1/waitlist/reverifications/:year', async (req, res) => {
    const { year } = parse(YearParams, req, 'params');
    const run = await getReverification(deps.pool, year);
    if (!run) {
      throw new HttpProblem(404, 'Not found', `no waitlist re-verification for ${year}`, [
        { field: 'year', message: 'no run for this year' },
      ]);
    }
    res.json(run);
  });
  return r;
}
