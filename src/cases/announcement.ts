import type { Pool, PoolClient } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import {
  announcementProblems,
  type AnnouncementContent,
  type AnnouncementProblem,
  type PaymentMethod,
} from '../domain/apartment-announcement.js';
import { civilDateInBaku, type CivilDate } from '../domain/calendar.js';
import { enqueueMessage } from '../engine/messages.js';
import { recordAudit } from './audit.js';
import { loadLegalPeriods } from './calendar-repository.js';
import { CaseError } from './errors.js';

/**
 * Announcements of apartments (003 §3.5, §4) and their selection period (§4.3.8, §5.8): an
 * officer drafts, asks for publication; the apartment-announcement process checks and
 * publishes, opens selection on the start date and stops it when the period ends.
 */
export const ANNOUNCEMENT_MESSAGES = {
  submitted: 'apartment-announcement-submitted',
} as const;

export interface ApartmentInput {
  building: string;
  number: string;
  address: string;
  rooms: number;
  floor: number;
  areaM2: number;
  priceQepik: number;
}

export interface AnnouncementDraft {
  content: AnnouncementContent;
  builtPercent: number;
  apartments: ApartmentInput[];
}

export async function draftAnnouncement(
  pool: Pool,
  d: AnnouncementDraft,
  actor: string,
): Promise<{ id: string; status: 'draft'; apartments: number }> {
  const c = d.content;
  if (!c.paymentMethod || !c.selectionStartsOn || !c.selectionEndsOn)
    throw new CaseError(
      'invalid',
      'the announcement needs its payment method and selection period',
      [
        ...(!c.paymentMethod
          ? [{ field: 'content.paymentMethod', message: 'is required (003 §4.3.10)' }]
          : []),
        ...(!c.selectionStartsOn
          ? [{ field: 'content.selectionStartsOn', message: 'is required (003 §4.3.8)' }]
          : []),
        ...(!c.selectionEndsOn
          ? [{ field: 'content.selectionEndsOn', message: 'is required (003 §4.3.8)' }]
          : []),
      ],
    );
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO announcement (content, built_percent, payment_method, electronic, selection_starts_on, selection_ends_on, drafted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        JSON.stringify(c),
        d.builtPercent,
        c.paymentMethod,
        c.electronic ?? false,
        c.selectionStartsOn,
        c.selectionEndsOn,
        actor,
      ],
    );
    const id = rows[0]!.id;
    for (const a of d.apartments) {
      await tx.query(
        `INSERT INTO apartment (announcement_id, building, number, address, rooms, floor, area_m2, price_qepik)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, a.building, a.number, a.address, a.rooms, a.floor, a.areaM2, a.priceQepik],
      );
    }
    await recordAudit(tx, {
      caseType: 'announcement',
      caseId: id,
      actor,
      action: 'drafted',
      legalGround: '003 §4.3',
      after: { apartments: d.apartments.length, paymentMethod: c.paymentMethod },
    });
    return { id, status: 'draft' as const, apartments: d.apartments.length };
  });
}

/** The officer asks for publication: the process checks §3.5, §4.1–§4.4 and publishes. */
export async function submitAnnouncement(
  pool: Pool,
  id: string,
  actor: string,
): Promise<{ id: string; status: 'checking' }> {
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ status: string }>(
      `SELECT status FROM announcement WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!rows[0])
      throw new CaseError('not-found', `no announcement ${id}`, [
        { field: 'id', message: 'no such announcement' },
      ]);
    if (rows[0].status !== 'draft')
      throw new CaseError(
        'conflict',
        `announcement is ${rows[0].status}: only a draft can be published`,
        [{ field: 'status', message: `is ${rows[0].status}` }],
      );
    await tx.query(
      `UPDATE announcement SET status = 'checking', updated_at = now() WHERE id = $1`,
      [id],
    );
    await recordAudit(tx, {
      caseType: 'announcement',
      caseId: id,
      actor,
      action: 'publication-requested',
      legalGround: '003 §4',
    });
    await enqueueMessage(tx, {
      name: ANNOUNCEMENT_MESSAGES.submitted,
      correlationKey: id,
      messageId: `${ANNOUNCEMENT_MESSAGES.submitted}:${id}`,
      variables: { announcementId: id },
    });
    return { id, status: 'checking' as const };
  });
}

/** 00:00 in Baku of a civil date: when selection opens (§4.3.8). */
export function startOfDayBaku(date: CivilDate): string {
  return `${date}T00:00:00+04:00`;
}
/** The end of the last day of the period in Baku: when selection stops (§5.8). */
export function endOfDayBaku(date: CivilDate): string {
  return `${date}T23:59:59.999+04:00`;
}

type AnnouncementRow = {
  id: string;
  status: string;
  content: AnnouncementContent;
  built_percent: string;
  payment_method: PaymentMethod;
  selection_starts_on: CivilDate;
  selection_ends_on: CivilDate;
};

async function lockAnnouncement(tx: PoolClient, id: string): Promise<AnnouncementRow> {
  const { rows } = await tx.query<AnnouncementRow>(
    `SELECT id, status, content, built_percent, payment_method,
            to_char(selection_starts_on, 'YYYY-MM-DD') AS selection_starts_on,
            to_char(selection_ends_on, 'YYYY-MM-DD') AS selection_ends_on
       FROM announcement WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw new Error(`announcement ${id} not found`);
  return rows[0];
}

/** §4.3.3–4.3.4: the apartments offered match the counts and prices per room count announced. */
async function offerProblems(tx: PoolClient, a: AnnouncementRow): Promise<AnnouncementProblem[]> {
  const { rows } = await tx.query<{ rooms: number; n: number; prices: string[] }>(
    `SELECT rooms, count(*)::int AS n, array_agg(DISTINCT price_qepik::text) AS prices
       FROM apartment WHERE announcement_id = $1 GROUP BY rooms`,
    [a.id],
  );
  const problems: AnnouncementProblem[] = [];
  const offers = a.content.offers ?? [];
  for (const o of offers) {
    const r = rows.find((x) => x.rooms === o.rooms);
    if (!r || r.n !== o.count)
      problems.push({
        field: 'apartments',
        message: `${o.count} apartments with ${o.rooms} rooms are announced, ${r?.n ?? 0} are listed (003 §4.3.3)`,
        citation: '003 §4.3.3',
      });
    else if (r.prices.length !== 1 || Number(r.prices[0]) !== o.priceQepik)
      problems.push({
        field: 'apartments',
        message: `the apartments with ${o.rooms} rooms must have the announced price (003 §4.3.4)`,
        citation: '003 §4.3.4',
      });
  }
  for (const r of rows)
    if (!offers.some((o) => o.rooms === r.rooms))
      problems.push({
        field: 'apartments',
        message: `apartments with ${r.rooms} rooms are listed but not announced (003 §4.3.3)`,
        citation: '003 §4.3.3',
      });
  return problems;
}

export type CheckOutcome =
  | { published: true; publishedOn: CivilDate; opensAt: string; closesAt: string }
  | { published: false; problems: AnnouncementProblem[] };

/**
 * The check and the publication in one transaction, serialized with every other publication
 * (advisory lock): §3.5 compares with the announcement published just before, so two
 * own-funds-only announcements checked at the same time cannot both pass.
 */
export async function checkAndPublish(
  pool: Pool,
  id: string,
  at: Date,
  actor: string,
): Promise<CheckOutcome> {
  const periods = await loadLegalPeriods(pool);
  const publishedOn = civilDateInBaku(at);
  return inTransaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('announcement-publication'))`);
    const a = await lockAnnouncement(tx, id);
    if (a.status === 'published' || a.status === 'open' || a.status === 'closed') {
      const { rows } = await tx.query<{ published_on: CivilDate }>(
        `SELECT to_char(published_on, 'YYYY-MM-DD') AS published_on FROM announcement WHERE id = $1`,
        [id],
      );
      return {
        published: true,
        publishedOn: rows[0]!.published_on,
        opensAt: startOfDayBaku(a.selection_starts_on),
        closesAt: endOfDayBaku(a.selection_ends_on),
      };
    }
    if (a.status === 'refused') {
      const { rows } = await tx.query<{ refusal: { problems: AnnouncementProblem[] } }>(
        `SELECT refusal FROM announcement WHERE id = $1`,
        [id],
      );
      return { published: false, problems: rows[0]!.refusal.problems };
    }
    const prev = await tx.query<{ payment_method: PaymentMethod }>(
      `SELECT payment_method FROM announcement WHERE publication_seq IS NOT NULL ORDER BY publication_seq DESC LIMIT 1`,
    );
    const problems = [
      ...announcementProblems(
        a.content,
        {
          builtPercent: Number(a.built_percent),
          publishedOn,
          previousPaymentMethod: prev.rows[0]?.payment_method,
        },
        periods,
      ),
      ...(await offerProblems(tx, a)),
    ];
    if (problems.length > 0) {
      await tx.query(
        `UPDATE announcement SET status = 'refused', refusal = $2, updated_at = now() WHERE id = $1`,
        [id, JSON.stringify({ problems, at: at.toISOString() })],
      );
      await recordAudit(tx, {
        caseType: 'announcement',
        caseId: id,
        actor,
        action: 'refused',
        legalGround: [...new Set(problems.map((p) => p.citation))].join('; '),
        after: { problems },
      });
      return { published: false, problems };
    }
    await tx.query(
      `UPDATE announcement SET status = 'published', published_on = $2,
              publication_seq = nextval('announcement_publication_seq'), updated_at = now() WHERE id = $1`,
      [id, publishedOn],
    );
    await recordAudit(tx, {
      caseType: 'announcement',
      caseId: id,
      actor,
      action: 'published',
      legalGround: '003 §4.1, §4.2, §3.5',
      after: {
        publishedOn,
        selectionStartsOn: a.selection_starts_on,
        selectionEndsOn: a.selection_ends_on,
      },
    });
    return {
      published: true,
      publishedOn,
      opensAt: startOfDayBaku(a.selection_starts_on),
      closesAt: endOfDayBaku(a.selection_ends_on),
    };
  });
}

/** §4.3.8 the selection opens; §5.8 it stops when the period ends. Idempotent for retried jobs. */
export async function setSelectionOpen(
  pool: Pool,
  id: string,
  open: boolean,
  actor: string,
): Promise<void> {
  const [from, to] = open ? ['published', 'open'] : ['open', 'closed'];
  const res = await pool.query(
    `UPDATE announcement SET status = $3, updated_at = now() WHERE id = $1 AND status = $2`,
    [id, from, to],
  );
  if (res.rowCount === 1)
    await recordAudit(pool, {
      caseType: 'announcement',
      caseId: id,
      actor,
      action: open ? 'selection-opened' : 'selection-closed',
      legalGround: open ? '003 §4.3.8' : '003 §5.8',
    });
}

/** An announcement's life (the announcement table's check). */
export const ANNOUNCEMENT_STATUSES = [
  'draft',
  'checking',
  'refused',
  'published',
  'open',
  'closed',
] as const;

export interface AnnouncementView {
  id: string;
  status: (typeof ANNOUNCEMENT_STATUSES)[number];
  paymentMethod: PaymentMethod;
  builtPercent: number;
  selectionStartsOn: CivilDate;
  selectionEndsOn: CivilDate;
  publishedOn: CivilDate | null;
  content: AnnouncementContent;
  refusal: { problems: AnnouncementProblem[] } | null;
  apartments: { total: number; free: number; selected: number; sold: number; released: number };
}

export async function listAnnouncements(
  pool: Pool,
  where: { status?: string[] } = {},
): Promise<AnnouncementView[]> {
  const { rows } = await pool.query(
    `SELECT a.id, a.status, a.payment_method, a.built_percent::float AS built_percent,
            to_char(a.selection_starts_on, 'YYYY-MM-DD') AS starts, to_char(a.selection_ends_on, 'YYYY-MM-DD') AS ends,
            to_char(a.published_on, 'YYYY-MM-DD') AS published_on, a.content, a.refusal,
            count(p.id)::int AS total,
            count(p.id) FILTER (WHERE p.state = 'free')::int AS free,
            count(p.id) FILTER (WHERE p.state = 'selected')::int AS selected,
            count(p.id) FILTER (WHERE p.state = 'sold')::int AS sold,
            count(p.id) FILTER (WHERE p.state = 'released')::int AS released
       FROM announcement a LEFT JOIN apartment p ON p.announcement_id = a.id
      WHERE ($1::text[] IS NULL OR a.status = ANY($1))
      GROUP BY a.id ORDER BY a.created_at`,
    [where.status ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    paymentMethod: r.payment_method,
    builtPercent: r.built_percent,
    selectionStartsOn: r.starts,
    selectionEndsOn: r.ends,
    publishedOn: r.published_on,
    content: r.content,
    refusal: r.refusal,
    apartments: {
      total: r.total,
      free: r.free,
      selected: r.selected,
      sold: r.sold,
      released: r.released,
    },
  }));
}
