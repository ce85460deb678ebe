import { Router } from 'express';
import { z } from 'zod';
import { hasRole, principalOf, requireRole } from '../auth/principal.js';
import { loadCalendar } from '../cases/calendar-repository.js';
import { deadlineDashboard, DUE_SOON_WORKING_DAYS } from '../cases/deadline-dashboard.js';
import type { Pool } from '../db/pool.js';
import { CalendarDataMissingError } from '../domain/calendar.js';
import type { DeadlineDashboard } from '../contracts/index.js';
import { DaySchema, InstantSchema, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * The operators' deadlines dashboard (domain brief §8 working days, Baku time): open review
 * tasks per process by how close their deadline is, and each body's workload. Supervisors see
 * their own bodies only; operators and administrators see every body.
 */

export const DashboardQuery = z
  .object({
    at: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' })
      .optional()
      .openapi({
        example: '2026-11-06T12:00:00+04:00',
        description:
          'the instant the dashboard is computed for (default now), e.g. to plan the coming days',
      }),
    body: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, { message: 'must be a body code (a-z, 0-9, -)' })
      .optional()
      .openapi({ example: 'mida', description: 'only this body' }),
  })
  .strict();

const ProcessDeadlinesSchema = z.object({
  bpmnProcessId: z.string(),
  open: z.number().int(),
  overdue: z.number().int().openapi({ description: 'past due, or escalated by the engine' }),
  dueToday: z
    .number()
    .int()
    .openapi({ description: 'due by the end of today (Baku), not overdue' }),
  dueSoon: z
    .number()
    .int()
    .openapi({
      description: `due after today, within ${DUE_SOON_WORKING_DAYS} working days`,
    }),
});

const BodyWorkloadSchema = z.object({
  body: z.string(),
  open: z.number().int(),
  assigned: z.number().int(),
  unassigned: z.number().int(),
  overdue: z.number().int(),
});

const DeadlineDashboardSchema = registry.register(
  'DeadlineDashboard',
  z.object({
    at: InstantSchema,
    today: DaySchema.openapi({ description: 'today in Baku, YYYY-MM-DD' }),
    dueSoonUntil: DaySchema.openapi({
      description: 'the last day counted as due soon (a working day)',
    }),
    dueSoonWorkingDays: z.number().int(),
    processes: z.array(ProcessDeadlinesSchema),
    bodies: z.array(BodyWorkloadSchema),
  }),
);

registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/deadlines',
  summary:
    'Operators and supervisors: open review tasks per process by deadline (overdue, due today, due within 3 working days) and per body',
  request: { query: DashboardQuery },
  responses: {
    200: {
      description: 'the dashboard',
      content: { 'application/json': { schema: DeadlineDashboardSchema } },
    },
    400: problemResponse('invalid `at` or `body`'),
    403: problemResponse('not an operator, administrator or supervisor; or not your body'),
    422: problemResponse('the working-day calendar has no data for the days needed'),
  },
});

export function operatorDashboardRouter(deps: { pool: Pool }): Router {
  const r = Router();
  r.get(
    '/api/v1/operator/deadlines',
    requireRole('operator', 'administrator', 'supervisor'),
    async (req, res) => {
      const p = principalOf(req);
      const q = parse(DashboardQuery, req, 'query');
      // Operators and administrators see every body; a supervisor only their own.
      let bodies: string[] | undefined;
      if (hasRole(p, 'operator', 'administrator')) bodies = q.body ? [q.body] : undefined;
      else {
        if (q.body && !p.bodies.includes(q.body))
          throw new HttpProblem(403, 'Forbidden', `not one of your bodies: ${q.body}`, [
            { field: 'body', message: 'not one of your bodies' },
          ]);
        bodies = q.body ? [q.body] : p.bodies;
      }
      const at = q.at ? new Date(q.at) : new Date();
      const calendar = await loadCalendar(deps.pool);
      try {
        res.json(
          (await deadlineDashboard(deps.pool, calendar, at, bodies)) satisfies DeadlineDashboard,
        );
      } catch (err) {
        if (err instanceof CalendarDataMissingError)
          throw new HttpProblem(422, 'Outside calendar data', err.message, [
            { field: 'at', message: `needs ${err.year}, a year without working-day calendar data` },
          ]);
        throw err;
      }
    },
  );
  return r;
}
