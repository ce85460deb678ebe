import { principalOf } from '../auth/principal.js';
import { bodyParam, bodyScoped } from '../auth/scope.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { recordAudit } from '../cases/audit.js';
import { loadCalendar, loadLegalPeriods } from '../cases/calendar-repository.js';
import {
  bodyExists,
  findWaitlist,
  listEntries,
  positionOf,
  WAITLIST_KINDS,
  type WaitlistKind,
} from '../cases/waitlist-queue.js';
import { inTransaction, type Pool } from '../db/pool.js';
import {
  CalendarDataMissingError,
  civilDateInBaku,
  compareCivilDates,
  deadlineEnd,
  isCivilDate,
  toBakuIsoString,
} from '../domain/calendar.js';
import { requirePeriod } from '../domain/legal-periods.js';
import {
  applyOfferRefusal,
  REFUSED_OFFER_BAR_PERIOD,
  REFUSED_OFFER_CITATION,
} from '../domain/offer-refusal.js';
import { DaySchema, InstantSchema, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * The housing waitlists (uçot) of the registering bodies: an entry's place in its list, the
 * lists in queue order (56.1, 004 §9, §22), and refusals of offered dwellings (004 §37).
 */

export const WAITLIST_ENTRY_CASE_TYPE = 'waitlist-entry';

const BodyCode = z
  .string()
  .regex(/^[a-z0-9-]{1,50}$/, { message: 'must be a registering body code, e.g. baku-nasimi' })
  .openapi({ example: 'baku-nasimi', description: 'registering body code' });
const EntryId = z.uuid({ message: 'must be a waitlist entry id (UUID)' });
const Kind = z.enum(WAITLIST_KINDS as [WaitlistKind, ...WaitlistKind[]], {
  message: `must be one of ${WAITLIST_KINDS.join(', ')}`,
});

const EntryParams = z.object({ body: BodyCode, id: EntryId });
const ListParams = z.object({ body: BodyCode, kind: Kind });

const Count = (max: number, fallback: number, min: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: `must be an integer ${min}..${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `must be an integer ${min}..${max}` })
        .max(max, { message: `must be an integer ${min}..${max}` }),
    )
    .optional()
    .transform((v) => v ?? fallback)
    .openapi({ type: 'integer', minimum: min, maximum: max, default: fallback });
const PageQuery = z
  .object({
    offset: Count(100_000_000, 0, 0).openapi({
      description: 'entries to skip (position of the first one − 1); default 0',
    }),
    limit: Count(500, 50, 1).openapi({ description: 'entries per page, 1..500; default 50' }),
  })
  .strict();

const CivilDate = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .refine(isCivilDate, { message: 'must be a real date YYYY-MM-DD' })
  .openapi({ example: '2026-03-19', format: 'date' });

export const OfferRefusalBody = registry.register(
  'OfferRefusal',
  z
    .object({
      refusedOn: CivilDate.openapi({ description: 'the day the offered dwelling was refused' }),
      goodReason: z.boolean({ error: 'must be true or false' }).openapi({
        description:
          'the refusal has a good reason (üzrlü səbəb): nothing is barred; without one the next offer comes no earlier than a year later (004 §37)',
      }),
      note: z
        .string({ error: 'must be text' })
        .trim()
        .min(1)
        .max(2000)
        .optional()
        .openapi({ description: 'what the reason was, for the audit trail' }),
    })
    .strict(),
);

const ListRef = z.object({
  id: z.string(),
  body: z.string(),
  kind: z.enum(WAITLIST_KINDS as [WaitlistKind, ...WaitlistKind[]]),
});
const PositionSchema = registry.register(
  'WaitlistPosition',
  z.object({
    entryId: z.string(),
    status: z.enum(['active', 'held', 'removed', 'housed']),
    list: ListRef,
    position: z.number().int().nullable().openapi({
      description: '1-based place among the active and held entries; null when removed or housed',
    }),
    ahead: z.number().int().nullable(),
    total: z.number().int().openapi({ description: 'active and held entries in the list' }),
  }),
);
const ListPageSchema = registry.register(
  'WaitlistPage',
  z.object({
    list: ListRef,
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    entries: z.array(
      z.object({
        id: z.string(),
        position: z.number().int(),
        registrationDate: DaySchema,
        needDegree: z.number().int(),
        seniorityDate: DaySchema.nullable(),
        publicBenefit: z.number().int(),
        status: z.enum(['active', 'held']),
        decisionNumber: z.string(),
        offerBarredUntil: DaySchema.nullable(),
      }),
    ),
  }),
);
const RefusalResult = registry.register(
  'OfferRefusalResult',
  z.object({
    entryId: z.string(),
    refusedOn: DaySchema,
    goodReason: z.boolean(),
    offerBarredUntil: DaySchema.nullable().openapi({
      description:
        'no dwelling is offered up to and including this day (Asia/Baku); null = not barred',
    }),
    offerBarredUntilEndsAt: InstantSchema.nullable(),
    previousOfferBarredUntil: DaySchema.nullable(),
    legalGround: z.literal(REFUSED_OFFER_CITATION),
  }),
);

registry.registerPath({
  method: 'get',
  path: '/api/v1/waitlist/{body}/entries/{id}/position',
  summary: "An entry's place in its list (56.1; same date: need, then seniority, 004 §22)",
  request: { params: EntryParams },
  responses: {
    200: { description: 'the place', content: { 'application/json': { schema: PositionSchema } } },
    400: problemResponse('malformed body or id; the field is named'),
    404: problemResponse('no such entry in that body'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/waitlist/{body}/lists/{kind}/entries',
  summary: 'A list in queue order, by page (general, first-turn, out-of-turn: 004 §9, 56.2)',
  request: { params: ListParams, query: PageQuery },
  responses: {
    200: { description: 'the page', content: { 'application/json': { schema: ListPageSchema } } },
    400: problemResponse('malformed body, kind, offset or limit; the field is named'),
    404: problemResponse('no such body, or the body keeps no such list'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/{body}/entries/{id}/offer-refusals',
  summary:
    'Record the refusal of an offered dwelling: without good reason the next offer waits a year (004 §37); audited',
  request: {
    params: EntryParams,
    body: { content: { 'application/json': { schema: OfferRefusalBody } } },
  },
  responses: {
    200: { description: 'recorded', content: { 'application/json': { schema: RefusalResult } } },
    400: problemResponse('invalid input; every field at fault is named'),
    404: problemResponse('no such entry in that body'),
    409: problemResponse('the entry holds no place (removed or housed)'),
    422: problemResponse('the year of the bar reaches a year without calendar data'),
  },
});

/** The signed-in operator (calendar) or reviewer (waitlist) is the actor of the audit entry. */
function actorOf(req: Request): string {
  return principalOf(req).id;
}

async function entryNotFound(pool: Pool, body: string, id: string): Promise<never> {
  if (!(await bodyExists(pool, body)))
    throw new HttpProblem(404, 'Not found', `no registering body ${body}`, [
      { field: 'body', message: `no registering body ${body}` },
    ]);
  throw new HttpProblem(404, 'Not found', `no waitlist entry ${id} in body ${body}`, [
    { field: 'id', message: `no waitlist entry ${id} in body ${body}` },
  ]);
}

export function waitlistRouter(deps: { pool: Pool }): Router {
  const r = Router();

  r.get(
    '/api/v1/waitlist/:body/entries/:id/position',
    bodyScoped(bodyParam(deps.pool), ['portal', 'operator', 'administrator']),
    async (req, res) => {
      const { body, id } = parse(EntryParams, req, 'params');
      const place = await positionOf(deps.pool, id, body);
      if (!place) return entryNotFound(deps.pool, body, id);
      res.json(place);
    },
  );

  r.get(
    '/api/v1/waitlist/:body/lists/:kind/entries',
    bodyScoped(bodyParam(deps.pool), ['operator', 'administrator']),
    async (req, res) => {
      const { body, kind } = parse(ListParams, req, 'params');
      const { offset, limit } = parse(PageQuery, req, 'query');
      const list = await findWaitlist(deps.pool, body, kind);
      if (!list) {
        if (!(await bodyExists(deps.pool, body)))
          throw new HttpProblem(404, 'Not found', `no registering body ${body}`, [
            { field: 'body', message: `no registering body ${body}` },
          ]);
        throw new HttpProblem(404, 'Not found', `body ${body} keeps no ${kind} list`, [
          { field: 'kind', message: `body ${body} keeps no ${kind} list` },
        ]);
      }
      const page = await listEntries(deps.pool, list.id, { offset, limit });
      res.json({ list, ...page });
    },
  );

  r.post(
    '/api/v1/waitlist/:body/entries/:id/offer-refusals',
    bodyScoped(bodyParam(deps.pool)),
    async (req, res) => {
      const { body, id } = parse(EntryParams, req, 'params');
      const actor = actorOf(req);
      const refusal = parse(OfferRefusalBody, req, 'body');
      const today = civilDateInBaku(new Date());
      if (compareCivilDates(refusal.refusedOn, today) > 0) {
        const message = `must not be after today (${today}, Asia/Baku)`;
        throw new HttpProblem(400, 'Invalid input', `refusedOn: ${message}`, [
          { field: 'refusedOn', message },
        ]);
      }
      const [calendar, periods] = await Promise.all([
        loadCalendar(deps.pool),
        loadLegalPeriods(deps.pool),
      ]);
      const period = requirePeriod(periods, REFUSED_OFFER_BAR_PERIOD);

      const result = await inTransaction(deps.pool, async (tx) => {
        const { rows } = await tx.query<{
          status: string;
          body_code: string;
          registration_date: string;
          offer_barred_until: string | null;
        }>(
          `SELECT e.status, w.body_code, e.registration_date::text AS registration_date,
                e.offer_barred_until::text AS offer_barred_until
           FROM waitlist_entry e JOIN waitlist w ON w.id = e.waitlist_id
          WHERE e.id = $1 FOR UPDATE OF e`,
          [id],
        );
        const entry = rows[0];
        if (!entry || entry.body_code !== body) return undefined;
        if (entry.status !== 'active' && entry.status !== 'held') {
          throw new HttpProblem(
            409,
            'Conflict',
            `waitlist entry ${id} is ${entry.status}: it holds no place and is offered nothing`,
            [{ field: 'id', message: `the entry is ${entry.status}` }],
          );
        }
        if (compareCivilDates(refusal.refusedOn, entry.registration_date) < 0) {
          const message = `must not be before the entry's registration date ${entry.registration_date}`;
          throw new HttpProblem(400, 'Invalid input', `refusedOn: ${message}`, [
            { field: 'refusedOn', message },
          ]);
        }
        let outcome;
        try {
          outcome = applyOfferRefusal(entry.offer_barred_until, refusal, period, calendar);
        } catch (err) {
          if (err instanceof CalendarDataMissingError) {
            const message = `the year after it reaches ${err.year}, a year without working-day calendar data`;
            throw new HttpProblem(422, 'Outside calendar data', `refusedOn: ${message}`, [
              { field: 'refusedOn', message },
            ]);
          }
          throw err;
        }
        if (outcome.offerBarredUntil !== entry.offer_barred_until) {
          await tx.query(
            `UPDATE waitlist_entry SET offer_barred_until = $2, updated_at = now() WHERE id = $1`,
            [id, outcome.offerBarredUntil],
          );
        }
        await recordAudit(tx, {
          caseType: WAITLIST_ENTRY_CASE_TYPE,
          caseId: id,
          actor,
          action: refusal.goodReason ? 'offer-refused-with-good-reason' : 'offer-refused',
          legalGround: REFUSED_OFFER_CITATION,
          reason: refusal.note,
          before: { offerBarredUntil: entry.offer_barred_until },
          after: {
            refusedOn: refusal.refusedOn,
            goodReason: refusal.goodReason,
            offerBarredUntil: outcome.offerBarredUntil,
          },
        });
        return { previous: entry.offer_barred_until, barredUntil: outcome.offerBarredUntil };
      });
      if (!result) return entryNotFound(deps.pool, body, id);
      res.json({
        entryId: id,
        refusedOn: refusal.refusedOn,
        goodReason: refusal.goodReason,
        offerBarredUntil: result.barredUntil,
        offerBarredUntilEndsAt: result.barredUntil
          ? toBakuIsoString(deadlineEnd(result.barredUntil))
          : null,
        previousOfferBarredUntil: result.previous,
        legalGround: REFUSED_OFFER_CITATION,
      });
    },
  );

  return r;
}
