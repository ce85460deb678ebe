import type { Pool, PoolClient } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import { noticeDeliveredInTime, SELECTION_PERIODS } from '../domain/apartment-selection.js';
import { civilDateInBaku, deadlineEnd } from '../domain/calendar.js';
import { recordAudit } from './audit.js';

/**
 * 003 §6.1: the notice on the selected apartment is due within 5 working days of the selection,
 * in the cabinet and by one more channel the holder gave. When the selection process's timer
 * reaches that instant and the notice's delivery is not confirmed, MİDA missed it: the selection
 * is marked overdue (the officers' apartment list shows it) and the notice goes on the operators'
 * overdue deliveries list (notice_delivery, as the delivery periods of 51.6 / 53.3 / 55.2).
 */

/** The §6.1 notices (own funds: names the notary; mortgage: the bank in 10 working days). */
export const SELECTION_NOTICE_TEMPLATES = [
  'apartment-notice-own-funds',
  'apartment-notice-mortgage',
] as const;

/** The key of an escalation recorded before any §6.1 notice was queued (no notary named yet). */
const pendingKey = (selectionId: string, dueOn: string) =>
  `selection-notice-pending:${selectionId}:${dueOn}`;

export type NoticeEscalation =
  { outcome: 'not-live' } | { outcome: 'delivered' } | { outcome: 'escalated'; deliveryId: string };

export async function escalateSelectionNoticeIfUndelivered(
  pool: Pool,
  selectionId: string,
  at: Date,
): Promise<NoticeEscalation> {
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{
      state: string;
      position: number;
      payment_method: string;
      notice_due_on: string | null;
      became_applicant_at: Date | null;
      building: string;
      number: string;
      address: string;
    }>(
      `SELECT s.state, s.position, s.payment_method, to_char(s.notice_due_on, 'YYYY-MM-DD') AS notice_due_on,
              s.became_applicant_at, p.building, p.number, p.address
         FROM apartment_selection s JOIN apartment p ON p.id = s.apartment_id
        WHERE s.id = $1 FOR UPDATE OF s`,
      [selectionId],
    );
    const s = rows[0];
    // a selection that ended (cancelled, sold) or is not the applicant's owes no notice
    if (!s || s.state !== 'active' || s.position !== 0 || !s.notice_due_on)
      return { outcome: 'not-live' };
    const dueAt = deadlineEnd(s.notice_due_on);
    const sent = await tx.query<{
      idempotency_key: string;
      template: string;
      channel: string;
      sent_at: Date | null;
    }>(
      `SELECT idempotency_key, template, channel, CASE WHEN status = 'sent' THEN sent_at END AS sent_at
         FROM notice_outbox
        WHERE case_type = 'apartment-selection' AND case_id = $1 AND template = ANY($2)
        ORDER BY created_at, id`,
      [selectionId, SELECTION_NOTICE_TEMPLATES],
    );
    const byKey = new Map<string, { channel: string; sentAt: Date | null }[]>();
    for (const r of sent.rows)
      byKey.set(r.idempotency_key, [
        ...(byKey.get(r.idempotency_key) ?? []),
        { channel: r.channel, sentAt: r.sent_at },
      ]);
    if ([...byKey.values()].some((channels) => noticeDeliveredInTime(channels, dueAt)))
      return { outcome: 'delivered' };

    // Not confirmed: keyed like the queued notice, so its sending (late) shows as its delivery;
    // with none queued yet, the notice queued later takes the row over (sendSelectionNotice).
    const queuedKey = sent.rows[0]?.idempotency_key;
    const period = await tx.query<{ citation: string; description_az: string }>(
      `SELECT citation, description_az FROM legal_period WHERE code = $1`,
      [SELECTION_PERIODS.notice],
    );
    const { citation, description_az } = period.rows[0]!;
    const label = `${s.address}, ${s.building}, mənzil ${s.number}`;
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO notice_delivery (idempotency_key, case_type, case_id, template, route, period_code, citation,
                                    decided_on, due_date, due_at, lang, subject, body)
       VALUES ($1, 'apartment-selection', $2, $3, 'electronic', $4, $5, $6, $7, $8, 'az', $9, $10)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        queuedKey ?? pendingKey(selectionId, s.notice_due_on),
        selectionId,
        sent.rows[0]?.template ?? `apartment-notice-${s.payment_method}`,
        SELECTION_PERIODS.notice,
        citation,
        civilDateInBaku(s.became_applicant_at ?? at),
        s.notice_due_on,
        dueAt,
        `Seçilmiş mənzil barədə bildiriş (${citation})`,
        `${label}. ${description_az}`,
      ],
    );
    await tx.query(
      `UPDATE apartment_selection SET notice_overdue_at = COALESCE(notice_overdue_at, $2) WHERE id = $1`,
      [selectionId, at],
    );
    const deliveryId =
      ins.rows[0]?.id ??
      (
        await tx.query<{ id: string }>(
          `SELECT id FROM notice_delivery WHERE case_type = 'apartment-selection' AND case_id = $1 AND period_code = $2
            ORDER BY created_at DESC LIMIT 1`,
          [selectionId, SELECTION_PERIODS.notice],
        )
      ).rows[0]!.id;
    if (ins.rows[0])
      await recordAudit(tx, {
        caseType: 'apartment-selection',
        caseId: selectionId,
        actor: 'system:escalate-selection-notice',
        action: 'selection-notice-overdue',
        legalGround: citation,
        after: { dueDate: s.notice_due_on, queued: queuedKey !== undefined, deliveryId },
      });
    return { outcome: 'escalated', deliveryId };
  });
}

/**
 * A §6.1 notice is queued after its escalation was recorded with none queued (MİDA named the
 * notary late): the escalation row takes the notice's key, so the notice's sending shows as its
 * (late) delivery on the operators' list.
 */
export async function attachNoticeToEscalation(
  tx: PoolClient,
  selectionId: string,
  idempotencyKey: string,
  template: string,
): Promise<void> {
  await tx.query(
    `UPDATE notice_delivery SET idempotency_key = $2, template = $3
      WHERE case_type = 'apartment-selection' AND case_id = $1 AND period_code = $4
        AND idempotency_key LIKE 'selection-notice-pending:%' AND delivered_at IS NULL`,
    [selectionId, idempotencyKey, template, SELECTION_PERIODS.notice],
  );
}
