import { principalOf, requireRole, requireSignedIn } from '../auth/principal.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  CALENDAR_DAY_KINDS,
  deleteCalendarDay,
  getCalendarYear,
  listCalendarDays,
  loadCalendar,
  loadLegalPeriods,
  upsertCalendarDay,
} from '../cases/calendar-repository.js';
import { listCalendarAudit } from '../cases/calendar-audit.js';
import type { Pool } from '../db/pool.js';
import {
  BAKU_TIME_ZONE,
  CalendarDataMissingError,
  deadlineEnd,
  isCivilDate,
  isWeekend,
  toBakuIsoString,
  yearOf,
} from '../domain/calendar.js';
import { LEGAL_PERIOD_UNITS } from '../domain/legal-periods.js';
import type {
  CalendarAudit,
  CalendarDay,
  CalendarDayRequest,
  CalendarYearDays,
} from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { DaySchema, InstantSchema, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * The working-day calendar API (domain brief §8): deadlines in working days, the stored
 * non-working days per year (operators edit them, audited), and the legal periods.
 */

const CivilDate = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .refine(isCivilDate, { message: 'must be a real date YYYY-MM-DD' })
  .openapi({ example: '2026-03-19', format: 'date' });

/** A day that can be stored (calendar_year allows 2000–2200). */
// (zod runs every refinement even after one fails, so this one must accept any string)
const StorableDate = CivilDate.refine(
  (d) => !isCivilDate(d) || (yearOf(d) >= 2000 && yearOf(d) <= 2200),
  {
    message: 'must be a date in the years 2000–2200',
  },
);

export const WorkingDaysQuery = z.object({
  from: CivilDate.openapi({
    description: 'the day of the event that starts the period (it does not count, §8)',
  }),
  add: z
    .string({ error: 'must be an integer 0..400' })
    .regex(/^\d{1,3}$/, { message: 'must be an integer 0..400' })
    .transform(Number)
    .pipe(z.number().int().max(400, { message: 'must be an integer 0..400' }))
    .openapi({ type: 'integer', example: 5, description: 'number of working days, 0..400' }),
});

const WorkingDaysAnswer = registry.register(
  'WorkingDaysAnswer',
  z.object({
    from: DaySchema,
    add: z.number().int(),
    deadline: DaySchema.openapi({
      description: 'the Nth working day after `from` (YYYY-MM-DD, Asia/Baku)',
      example: '2026-04-06',
    }),
    deadlineEndsAt: InstantSchema.openapi({
      description: 'end of that day in Baku',
      example: '2026-04-06T23:59:59.999+04:00',
    }),
    timeZone: z.literal(BAKU_TIME_ZONE),
    provisional: z.boolean().openapi({
      description: 'the period runs through calendar data still to be confirmed (e.g. 2027)',
    }),
  }),
);

const YearParams = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, { message: 'must be a year YYYY' })
    .transform(Number)
    .openapi({ type: 'integer', example: 2026 }),
});

const DateParams = z.object({ date: StorableDate });

export const CalendarDayBody = registry.register(
  'CalendarDayInput',
  z
    .object({
      kind: z.enum(CALENDAR_DAY_KINDS, {
        message: `must be one of ${CALENDAR_DAY_KINDS.join(', ')}`,
      }),
      nameAz: z.string().trim().min(1).max(200).openapi({ example: 'Novruz bayramı' }),
      nameEn: z.string().trim().min(1).max(200).openapi({ example: 'Novruz' }),
      sourceAz: z
        .string({ error: 'the legal source of the day is required, in Azerbaijani' })
        .trim()
        .min(1, { message: 'the legal source of the day is required, in Azerbaijani' })
        .max(500)
        .openapi({
          example: 'Nazirlər Kabinetinin 2 dekabr 2025-ci il tarixli 362 nömrəli qərarı',
          description: 'the legal basis of the day, in Azerbaijani',
        }),
      sourceEn: z
        .string({ error: 'the legal source of the day is required, in English' })
        .trim()
        .min(1, { message: 'the legal source of the day is required, in English' })
        .max(500)
        .openapi({
          example: 'Cabinet decision No. 362 of 2 Dec 2025',
          description: 'the legal basis of the day, in English',
        }),
      provisional: z
        .boolean()
        .optional()
        .openapi({ description: 'a projection still to be confirmed; default false' }),
      reason: z
        .string()
        .trim()
        .min(1)
        .max(1000)
        .optional()
        .openapi({ description: 'why the operator made the change (audit trail)' }),
    })
    .strict(),
);

type _CalendarDayBody = Assert<SameShape<z.input<typeof CalendarDayBody>, CalendarDayRequest>>;

const CalendarDaySchema = registry.register(
  'CalendarDay',
  z.object({
    date: DaySchema,
    kind: z.enum(CALENDAR_DAY_KINDS),
    nameAz: z.string(),
    nameEn: z.string(),
    sourceAz: z.string(),
    sourceEn: z.string(),
    provisional: z.boolean(),
    updatedAt: InstantSchema,
    updatedBy: z.string(),
  }),
);

const CalendarYearDays = registry.register(
  'CalendarYearDays',
  z.object({
    year: z.number().int(),
    complete: z
      .boolean()
      .openapi({ description: 'the year is used for deadlines only when complete' }),
    source: z.string().nullable(),
    days: z.array(CalendarDaySchema),
  }),
);

const LegalPeriodSchema = registry.register(
  'LegalPeriod',
  z.object({
    code: z.string(),
    length: z.number().int(),
    unit: z.enum(LEGAL_PERIOD_UNITS as [string, ...string[]]),
    citation: z.string(),
    descriptionAz: z.string(),
    descriptionEn: z.string(),
    configurable: z.boolean(),
  }),
);

const AuditQuery = z.object({
  year: z
    .string({ error: 'must be a year YYYY' })
    .regex(/^\d{4}$/, { message: 'must be a year YYYY' })
    .transform(Number)
    .openapi({ type: 'integer', example: 2026 }),
});

const CalendarAuditEntry = registry.register(
  'CalendarAuditEntry',
  z.object({
    id: z.string(),
    date: DaySchema,
    actor: z.string(),
    actorName: z.string().nullable().openapi({ description: "the account's display name" }),
    action: z.enum(['calendar-day-added', 'calendar-day-changed', 'calendar-day-deleted']),
    reason: z.string().nullable(),
    legalGround: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    at: InstantSchema,
  }),
);

/** Deleting a day changes deadlines already computed: it needs a reason, kept in the audit. */
const DeleteReasonQuery = z.object({
  reason: z
    .string({ message: 'a deletion needs a reason (kept in the audit trail)' })
    .trim()
    .min(3, { message: 'a deletion needs a reason (kept in the audit trail)' })
    .max(1000),
});

registry.registerPath({
  method: 'get',
  path: '/api/v1/calendar/working-days',
  summary:
    'The deadline N working days after a date (the event day does not count, §8), in Asia/Baku',
  request: { query: WorkingDaysQuery },
  responses: {
    200: {
      description: 'the deadline',
      content: { 'application/json': { schema: WorkingDaysAnswer } },
    },
    400: problemResponse('invalid `from` or `add`'),
    422: problemResponse('the period reaches a year the calendar has no data for'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/calendar/years/{year}/days',
  summary: 'The non-working weekdays and working weekend days stored for a year',
  request: { params: YearParams },
  responses: {
    200: { description: 'the year', content: { 'application/json': { schema: CalendarYearDays } } },
    400: problemResponse('malformed year'),
    404: problemResponse('no data for that year'),
  },
});
registry.registerPath({
  method: 'put',
  path: '/api/v1/calendar/days/{date}',
  summary: 'Operator: add or change a non-working weekday or a working weekend day (audited)',
  request: {
    params: DateParams,
    body: { content: { 'application/json': { schema: CalendarDayBody } } },
  },
  responses: {
    200: { description: 'changed', content: { 'application/json': { schema: CalendarDaySchema } } },
    201: { description: 'added', content: { 'application/json': { schema: CalendarDaySchema } } },
    400: problemResponse('invalid input; every field at fault is named'),
  },
});
registry.registerPath({
  method: 'delete',
  path: '/api/v1/calendar/days/{date}',
  summary: 'Operator: remove a stored day; it becomes an ordinary weekday or weekend day (audited)',
  request: { params: DateParams, query: DeleteReasonQuery },
  responses: {
    204: { description: 'removed' },
    400: problemResponse('malformed date, or no reason given'),
    404: problemResponse('no day stored for that date'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/calendar/audit',
  summary: 'Operator: the audited changes to the days of a year, newest first',
  request: { query: AuditQuery },
  responses: {
    200: {
      description: 'the changes',
      content: {
        'application/json': {
          schema: z.object({ year: z.number().int(), entries: z.array(CalendarAuditEntry) }),
        },
      },
    },
    400: problemResponse('malformed or missing `year`'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/legal-periods',
  summary: 'Every legal period (§2–§7) with its length, unit and citation',
  responses: {
    200: {
      description: 'the periods',
      content: {
        'application/json': { schema: z.object({ periods: z.array(LegalPeriodSchema) }) },
      },
    },
  },
});

/** The signed-in operator (calendar) or reviewer (waitlist) is the actor of the audit entry. */
function actorOf(req: Request): string {
  return principalOf(req).id;
}

export function calendarRouter(deps: { pool: Pool }): Router {
  const r = Router();

  r.get('/api/v1/calendar/working-days', requireSignedIn(), async (req, res) => {
    const { from, add } = parse(WorkingDaysQuery, req, 'query');
    const calendar = await loadCalendar(deps.pool);
    let deadline: string;
    try {
      deadline = calendar.addWorkingDays(from, add);
    } catch (err) {
      if (err instanceof CalendarDataMissingError) {
        const field = err.year === yearOf(from) ? 'from' : 'add';
        throw new HttpProblem(422, 'Outside calendar data', err.message, [
          { field, message: `reaches ${err.year}, a year without working-day calendar data` },
        ]);
      }
      throw err;
    }
    res.json({
      from,
      add,
      deadline,
      deadlineEndsAt: toBakuIsoString(deadlineEnd(deadline)),
      timeZone: BAKU_TIME_ZONE,
      provisional: calendar.usesProvisionalData(from, deadline),
    });
  });

  r.get('/api/v1/calendar/years/:year/days', requireSignedIn(), async (req, res) => {
    const { year } = parse(YearParams, req, 'params');
    const [info, days] = await Promise.all([
      getCalendarYear(deps.pool, year),
      listCalendarDays(deps.pool, year),
    ]);
    if (!info && days.length === 0) {
      throw new HttpProblem(404, 'Not found', `no working-day calendar data for ${year}`, [
        { field: 'year', message: 'no data for this year' },
      ]);
    }
    res.json({
      year,
      complete: info?.complete ?? false,
      source: info?.source ?? null,
      days,
    } satisfies CalendarYearDays);
  });

  r.put(
    '/api/v1/calendar/days/:date',
    requireRole('operator', 'administrator'),
    async (req, res) => {
      const { date } = parse(DateParams, req, 'params');
      const actor = actorOf(req);
      const body = parse(CalendarDayBody, req, 'body');
      if ((body.kind === 'working_weekend') !== isWeekend(date)) {
        const message =
          body.kind === 'working_weekend'
            ? `${date} is a weekday: only a Saturday or Sunday can be a working weekend day`
            : `${date} is a Saturday or Sunday, already a day off: record the weekday the day off moves to (Labour Code 105.5)`;
        throw new HttpProblem(400, 'Invalid input', `kind: ${message}`, [
          { field: 'kind', message },
        ]);
      }
      const { day, created } = await upsertCalendarDay(
        deps.pool,
        {
          date,
          kind: body.kind,
          nameAz: body.nameAz,
          nameEn: body.nameEn,
          sourceAz: body.sourceAz,
          sourceEn: body.sourceEn,
          provisional: body.provisional ?? false,
        },
        actor,
        body.reason,
      );
      if (created) res.status(201).location(`/api/v1/calendar/days/${date}`);
      res.json(day satisfies CalendarDay);
    },
  );

  r.delete(
    '/api/v1/calendar/days/:date',
    requireRole('operator', 'administrator'),
    async (req, res) => {
      const { date } = parse(DateParams, req, 'params');
      const actor = actorOf(req);
      const { reason } = parse(DeleteReasonQuery, req, 'query');
      const removed = await deleteCalendarDay(deps.pool, date, actor, reason);
      if (!removed)
        throw new HttpProblem(404, 'Not found', `no calendar day stored for ${date}`, [
          { field: 'date', message: 'no day stored' },
        ]);
      res.status(204).end();
    },
  );

  r.get(
    '/api/v1/calendar/audit',
    requireRole('operator', 'administrator', 'supervisor'),
    async (req, res) => {
      const { year } = parse(AuditQuery, req, 'query');
      res.json({ year, entries: await listCalendarAudit(deps.pool, year) } satisfies CalendarAudit);
    },
  );

  r.get('/api/v1/legal-periods', requireSignedIn(), async (_req, res) => {
    res.json({ periods: await loadLegalPeriods(deps.pool) });
  });

  return r;
}
