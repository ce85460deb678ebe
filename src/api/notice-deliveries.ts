import { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/principal.js';
import {
  listNoticeDeliveries,
  markPaperDelivered,
  type DeliveryFilter,
} from '../cases/notice-delivery.js';
import type { MarkDelivered, NoticeDelivery, Page } from '../contracts/index.js';
import type { Pool } from '../db/pool.js';
import { isCivilDate } from '../domain/calendar.js';
import type { Assert, SameShape } from './contract.js';
import { DaySchema, InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { caseProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * Delivery of decisions (Housing Code 51.6, 53.3, 55.2: within 3 working days): operators see
 * the deliveries whose period ended undelivered, and the paper ones (a citizen with no address)
 * waiting for the post, and record a paper delivery once it is handed over or posted.
 */

const FILTERS = ['overdue', 'open', 'paper', 'all'] as const satisfies readonly DeliveryFilter[];

const DeliveryQuery = z
  .object({
    state: z.enum(FILTERS).default('overdue').openapi({
      description:
        'overdue: period ended, not delivered; open: not delivered; paper: paper route not delivered; all',
    }),
    caseId: z.uuid({ message: 'must be a case id (UUID)' }).optional(),
    at: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' })
      .optional()
      .openapi({ description: 'the instant overdue is judged at (default now)' }),
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
  })
  .strict();

const DeliveryId = z.object({ id: z.uuid({ message: 'must be a delivery id (UUID)' }) });

const MarkDeliveredBody = registry.register(
  'MarkDelivered',
  z
    .object({
      deliveredOn: z
        .string()
        .refine(isCivilDate, { message: 'must be a date YYYY-MM-DD' })
        .openapi({
          format: 'date',
          description: 'the day the paper decision was handed over or posted (Baku)',
        }),
      note: z.string().trim().min(1).max(500).optional(),
    })
    .strict(),
);
type _MarkDelivered = Assert<SameShape<z.input<typeof MarkDeliveredBody>, MarkDelivered>>;

const NoticeDeliverySchema = registry.register(
  'NoticeDelivery',
  z.object({
    id: z.uuid(),
    caseType: z.string(),
    caseId: z.string(),
    template: z.string(),
    route: z.enum(['electronic', 'paper']).openapi({
      description: 'electronic: confirmed when a channel sent it; paper: an operator marks it',
    }),
    periodCode: z.string().nullable(),
    citation: z.string().nullable(),
    decidedOn: DaySchema.nullable(),
    dueDate: DaySchema.nullable(),
    dueAt: InstantSchema.nullable(),
    deliveredAt: InstantSchema.nullable(),
    deliveredOn: DaySchema.nullable(),
    deliveredBy: z.string().nullable(),
    deliveryNote: z.string().nullable(),
    overdue: z
      .boolean()
      .openapi({ description: 'the period ended (at the time asked) without delivery' }),
    lang: z.enum(['az', 'en']),
    subject: z.string().openapi({ description: 'the notice to print for the post' }),
    body: z.string(),
    createdAt: InstantSchema,
  }),
);
const NoticeDeliveryPageSchema = registry.register(
  'NoticeDeliveryPage',
  z.object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    items: z.array(NoticeDeliverySchema),
  }),
);
type _NoticeDelivery = Assert<SameShape<z.infer<typeof NoticeDeliverySchema>, NoticeDelivery>>;
type _NoticeDeliveryPage = Assert<
  SameShape<z.infer<typeof NoticeDeliveryPageSchema>, Page<NoticeDelivery>>
>;

registry.registerPath({
  method: 'get',
  path: '/api/v1/operator/notice-deliveries',
  summary:
    'Operators: decision deliveries (Housing Code 51.6, 53.3, 55.2 — 3 working days) that are overdue, open or on the paper route',
  request: { query: DeliveryQuery },
  responses: {
    200: jsonResponse('a page of deliveries, oldest due first', NoticeDeliveryPageSchema),
    400: problemResponse('invalid query; the field is named'),
    403: problemResponse('not an operator or administrator'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/operator/notice-deliveries/{id}/delivered',
  summary: 'Operators: a paper decision was handed over or posted',
  request: {
    params: DeliveryId,
    body: { content: { 'application/json': { schema: MarkDeliveredBody } } },
  },
  responses: {
    200: jsonResponse('the delivery', NoticeDeliverySchema),
    400: problemResponse('invalid day or note'),
    404: problemResponse('no such delivery'),
    409: problemResponse('not a paper delivery, or already delivered'),
  },
});

export function noticeDeliveriesRouter(deps: { pool: Pool }): Router {
  const r = Router();
  const guard = requireRole('operator', 'administrator');
  r.get('/api/v1/operator/notice-deliveries', guard, async (req, res) => {
    const q = parse(DeliveryQuery, req, 'query');
    const { total, items } = await listNoticeDeliveries(deps.pool, {
      filter: q.state,
      at: q.at ? new Date(q.at) : new Date(),
      caseId: q.caseId,
      limit: q.limit,
      offset: q.offset,
    });
    res.json({ total, limit: q.limit, offset: q.offset, items } satisfies Page<NoticeDelivery>);
  });
  r.post('/api/v1/operator/notice-deliveries/:id/delivered', guard, async (req, res) => {
    const { id } = parse(DeliveryId, req, 'params');
    const body = parse(MarkDeliveredBody, req, 'body');
    const who = principalOf(req);
    const delivery = await markPaperDelivered(deps.pool, id, who.id, body).catch(caseProblem);
    res.json(delivery satisfies NoticeDelivery);
  });
  return r;
}
