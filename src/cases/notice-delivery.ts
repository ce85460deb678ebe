import type { NoticeDelivery } from '../contracts/operator.js';
import { inTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { civilDateInBaku, type CivilDate } from '../domain/calendar.js';
import { deliveryPeriodOf, deliveryRoute } from '../domain/delivery-periods.js';
import { renderNotice, type NoticeLang, type NoticeTemplateName } from '../notify/templates.js';
import { recordAudit } from './audit.js';
import { deadlineFromEvent, toVariables } from './deadlines.js';
import { CaseError } from './errors.js';

/**
 * Delivery of a decision notice (Housing Code 51.6, 53.3, 55.2: within 3 working days of the
 * decision). Recorded in the transaction that queues the notice, keyed like the notice (the task
 * instance), so a retried job records it once. The due date comes from legal_period and the
 * working-day calendar, counted from the decision day.
 */
export async function recordNoticeDelivery(
  pool: Pool,
  tx: PoolClient,
  d: {
    idempotencyKey: string;
    caseType: string;
    caseId: string;
    template: NoticeTemplateName;
    params: Record<string, unknown>;
    lang?: NoticeLang;
    channels: readonly string[];
    decidedOn: CivilDate;
  },
): Promise<{ id: string; route: 'electronic' | 'paper'; inserted: boolean } | undefined> {
  const periodCode = deliveryPeriodOf(d.template);
  const route = deliveryRoute(d.channels);
  // Only decisions with a delivery period are tracked, and every notice that has no address.
  if (!periodCode && route === 'electronic') return undefined;
  const due = periodCode
    ? toVariables(await deadlineFromEvent(pool, periodCode, d.decidedOn))
    : null;
  const lang = d.lang ?? 'az';
  const rendered = renderNotice(d.template, lang, d.params);
  const res = await tx.query<{ id: string }>(
    `INSERT INTO notice_delivery (idempotency_key, case_type, case_id, template, route, period_code, citation,
                                  decided_on, due_date, due_at, lang, subject, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [
      d.idempotencyKey,
      d.caseType,
      d.caseId,
      d.template,
      route,
      periodCode ?? null,
      due?.citation ?? null,
      d.decidedOn,
      due?.dueDate ?? null,
      due?.dueAt ?? null,
      lang,
      rendered.subject,
      rendered.text,
    ],
  );
  if (res.rows[0]) {
    await recordAudit(tx, {
      caseType: d.caseType,
      caseId: d.caseId,
      actor: 'system:notice-delivery',
      action: route === 'paper' ? 'paper-delivery-opened' : 'delivery-tracked',
      legalGround: due?.citation,
      after: { template: d.template, route, dueDate: due?.dueDate ?? null },
    });
    return { id: res.rows[0].id, route, inserted: true };
  }
  const existing = await tx.query<{ id: string }>(
    `SELECT id FROM notice_delivery WHERE idempotency_key = $1`,
    [d.idempotencyKey],
  );
  return { id: existing.rows[0]!.id, route, inserted: false };
}

/** The decision day of a waitlist case (Baku), for counting its delivery period. */
export async function waitlistDecisionDay(
  db: Pool | PoolClient,
  caseId: string,
  fallback: Date,
): Promise<CivilDate> {
  const { rows } = await db.query<{ decided_at: Date | null }>(
    `SELECT decided_at FROM waitlist_case WHERE id = $1`,
    [caseId],
  );
  return civilDateInBaku(rows[0]?.decided_at ?? fallback);
}

export type DeliveryFilter = 'overdue' | 'open' | 'paper' | 'all';

const SELECT = `
  SELECT d.id, d.case_type AS "caseType", d.case_id AS "caseId", d.template, d.route,
         d.period_code AS "periodCode", d.citation,
         to_char(d.decided_on, 'YYYY-MM-DD') AS "decidedOn",
         to_char(d.due_date, 'YYYY-MM-DD') AS "dueDate", d.due_at AS "dueAt",
         COALESCE(d.delivered_at, s.sent_at) AS "deliveredAt",
         to_char(d.delivered_on, 'YYYY-MM-DD') AS "deliveredOn", d.delivered_by AS "deliveredBy",
         d.delivery_note AS "deliveryNote", d.lang, d.subject, d.body, d.created_at AS "createdAt"
    FROM notice_delivery d
    LEFT JOIN LATERAL (
      -- electronic delivery: the first of its notices sent (cabinet, e-mail or SMS)
      SELECT min(o.sent_at) AS sent_at FROM notice_outbox o
       WHERE o.idempotency_key = d.idempotency_key AND o.status = 'sent'
    ) s ON d.route = 'electronic'`;

interface Row extends Omit<NoticeDelivery, 'overdue' | 'dueAt' | 'deliveredAt' | 'createdAt'> {
  dueAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

function view(r: Row, at: Date): NoticeDelivery {
  return {
    ...r,
    dueAt: r.dueAt?.toISOString() ?? null,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    overdue: r.dueAt !== null && r.deliveredAt === null && r.dueAt.getTime() < at.getTime(),
  };
}

/**
 * Deliveries for the operators: overdue ones (the period ended, not delivered), open ones (not
 * delivered yet), paper ones waiting for the post, or all — oldest due first.
 */
export async function listNoticeDeliveries(
  pool: Pool,
  q: {
    filter: DeliveryFilter;
    at: Date;
    caseId?: string;
    id?: string;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; items: NoticeDelivery[] }> {
  const where = [
    // $1 is typed here once: the filters below do not all use it
    `$1::timestamptz IS NOT NULL`,
    `($2::uuid IS NULL OR x."caseId" = $2)`,
    `($5::uuid IS NULL OR x.id = $5)`,
    {
      overdue: `x."deliveredAt" IS NULL AND x."dueAt" < $1`,
      open: `x."deliveredAt" IS NULL`,
      paper: `x.route = 'paper' AND x."deliveredAt" IS NULL`,
      all: 'true',
    }[q.filter],
  ].join(' AND ');
  const { rows } = await pool.query<Row & { total: number }>(
    `SELECT x.*, count(*) OVER ()::int AS total FROM (${SELECT}) x
      WHERE ${where}
      ORDER BY x."dueAt" NULLS LAST, x."createdAt", x.id
      LIMIT $3 OFFSET $4`,
    [q.at, q.caseId ?? null, q.limit, q.offset, q.id ?? null],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _t, ...r }) => view(r, q.at)),
  };
}

/**
 * An operator records that a paper decision was handed over or posted (the paper route of
 * 51.6 / 53.3 / 55.2). Only paper deliveries, once; audited on the case.
 */
export async function markPaperDelivered(
  pool: Pool,
  id: string,
  operator: string,
  input: { deliveredOn: CivilDate; note?: string },
  at = new Date(),
): Promise<NoticeDelivery> {
  await inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{
      route: string;
      delivered_at: Date | null;
      case_type: string;
      case_id: string;
      due_date: string | null;
      citation: string | null;
    }>(
      `SELECT route, delivered_at, case_type, case_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, citation
         FROM notice_delivery WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const d = rows[0];
    if (!d)
      throw new CaseError('not-found', `no delivery ${id}`, [
        { field: 'id', message: 'no such delivery' },
      ]);
    if (d.route !== 'paper')
      throw new CaseError('conflict', 'an electronic delivery is confirmed by its channel', [
        { field: 'id', message: 'not a paper delivery' },
      ]);
    if (d.delivered_at)
      throw new CaseError('conflict', 'already marked delivered', [
        { field: 'id', message: 'already delivered' },
      ]);
    if (input.deliveredOn > civilDateInBaku(at))
      throw new CaseError('invalid', 'the delivery day is in the future', [
        { field: 'deliveredOn', message: 'must not be after today (Baku)' },
      ]);
    await tx.query(
      `UPDATE notice_delivery SET delivered_at = $2, delivered_on = $3, delivered_by = $4, delivery_note = $5
        WHERE id = $1`,
      [id, at, input.deliveredOn, operator, input.note ?? null],
    );
    await recordAudit(tx, {
      caseType: d.case_type,
      caseId: d.case_id,
      actor: operator,
      action: 'paper-delivered',
      legalGround: d.citation ?? undefined,
      after: {
        deliveryId: id,
        deliveredOn: input.deliveredOn,
        dueDate: d.due_date,
        late: d.due_date !== null && input.deliveredOn > d.due_date,
      },
    });
  });
  const { items } = await listNoticeDeliveries(pool, {
    filter: 'all',
    at,
    id,
    limit: 1,
    offset: 0,
  });
  return items[0]!;
}
