import type { Logger } from 'pino';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { inTransaction, type Pool, type PoolClient } from '../db/pool.js';
import {
  NOTICE_CHANNEL_NAMES,
  PermanentNoticeError,
  type NoticeChannel,
  type NoticeChannelName,
  type NoticeRecipient,
} from './channels.js';
import {
  DEFAULT_NOTICE_LANG,
  NOTICE_TEMPLATE_NAMES,
  renderNotice,
  type NoticeLang,
  type NoticeTemplateName,
} from './templates.js';

export interface Notice {
  /** Stable across retries of whatever sends it, e.g. `${processInstanceKey}:${elementInstanceKey}`. */
  idempotencyKey: string;
  caseType: string;
  caseId: string;
  recipient: NoticeRecipient;
  template: NoticeTemplateName;
  params: Record<string, unknown>;
  channels: NoticeChannelName[];
}

const noticeSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  caseType: z.string().min(1),
  caseId: z.uuid(),
  recipient: z.object({
    cabinetFin: z.string().min(1).optional(),
    email: z.string().min(3).optional(),
    phone: z.string().min(3).optional(),
    lang: z.enum(['az', 'en']).optional(),
  }),
  template: z.enum(NOTICE_TEMPLATE_NAMES),
  params: z.record(z.string(), z.unknown()),
  channels: z.array(z.enum(NOTICE_CHANNEL_NAMES)).min(1),
});

const ADDRESS_OF: Record<NoticeChannelName, keyof NoticeRecipient> = {
  cabinet: 'cabinetFin',
  email: 'email',
  sms: 'phone',
};

/**
 * Call inside the transaction that records the business change. Renders the notice now (a
 * missing parameter fails the caller, not the dispatcher later) and stores one row per channel;
 * UNIQUE (idempotency_key, channel) makes a second enqueue of the same notice (a retried job)
 * a no-op. Returns the rows' ids and how many were new.
 */
export async function enqueueNotice(
  tx: PoolClient,
  notice: Notice,
): Promise<{ ids: string[]; inserted: number }> {
  const parsed = noticeSchema.safeParse(notice);
  if (!parsed.success) {
    // Paths only: the values may be personal data.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'notice'))];
    throw new Error(`invalid notice: ${fields.join(', ')}`);
  }
  const n = parsed.data;
  const lang: NoticeLang = n.recipient.lang ?? DEFAULT_NOTICE_LANG;
  const rendered = renderNotice(n.template, lang, n.params);
  let inserted = 0;
  for (const channel of [...new Set(n.channels)]) {
    const address = n.recipient[ADDRESS_OF[channel]];
    if (typeof address !== 'string' || address === '') {
      throw new Error(`notice ${n.idempotencyKey}: no recipient address for channel ${channel}`);
    }
    const res = await tx.query(
      `INSERT INTO notice_outbox
         (idempotency_key, channel, case_type, case_id, template, lang, address, subject, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (idempotency_key, channel) DO NOTHING`,
      [
        n.idempotencyKey,
        channel,
        n.caseType,
        n.caseId,
        n.template,
        lang,
        address,
        rendered.subject,
        channel === 'sms' ? rendered.sms : rendered.text,
      ],
    );
    inserted += res.rowCount ?? 0;
  }
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id::text AS id FROM notice_outbox WHERE idempotency_key = $1 ORDER BY id`,
    [n.idempotencyKey],
  );
  return { ids: rows.map((r) => r.id), inserted };
}

/**
 * Removes what looks like personal data (e-mail addresses, phone numbers, FINs) from provider
 * error messages before they reach the logs or the operators' error column.
 */
export function scrubPersonalData(message: string): string {
  return message
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[redacted]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, (m) => (m.replace(/\D/g, '').length >= 9 ? '[redacted]' : m))
    .replace(/\b(?=[0-9A-Z]*\d)(?=[0-9A-Z]*[A-Z])[0-9A-Z]{7}\b/g, '[redacted]');
}

export interface NoticeDispatcherOptions {
  /** Attempts before a row is marked failed (NOTICE_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** First retry delay, doubled per attempt (NOTICE_RETRY_BASE_MS). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Poll interval (NOTICE_DISPATCH_INTERVAL_MS). */
  intervalMs?: number;
  /** How long a claimed row stays this dispatcher's (default 2 min; longer than a send). */
  leaseMs?: number;
}

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
}

interface OutboxRow {
  id: string;
  idempotency_key: string;
  channel: NoticeChannelName;
  case_type: string;
  case_id: string;
  template: string;
  lang: NoticeLang;
  address: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Sends due outbox rows. Each row is claimed with a lease (locked_until, in one short statement
 * with SKIP LOCKED, so several app instances dispatch side by side); a network channel (SMTP,
 * SMS gateway) is called outside any transaction, so a provider that hangs or is down never holds
 * a database connection or lock; the outcome is recorded in another short statement. A crash
 * between the provider's acceptance and that record leaves the row pending; after its lease the
 * re-send carries the same idempotency key, which the provider deduplicates on (SMS gateway) or
 * the mail systems recognise (Message-ID). The cabinet channel writes in the database, in the
 * transaction that marks the row sent, so it is exactly once. Failures back off exponentially;
 * after maxAttempts, or at once for a permanent refusal, the row is 'failed' for operators.
 */
export class NoticeDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly channels: Map<NoticeChannelName, NoticeChannel>;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly intervalMs: number;
  private readonly leaseMs: number;
  private readonly id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly pool: Pool,
    channels: NoticeChannel[],
    private readonly log: Logger,
    opts: NoticeDispatcherOptions = {},
  ) {
    this.channels = new Map(channels.map((c) => [c.name, c]));
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.retryBaseMs = opts.retryBaseMs ?? 30_000;
    this.retryMaxMs = opts.retryMaxMs ?? 60 * 60_000;
    this.intervalMs = opts.intervalMs ?? 2_000;
    this.leaseMs = opts.leaseMs ?? 120_000;
  }

  start(): void {
    const missing = NOTICE_CHANNEL_NAMES.filter((c) => !this.channels.has(c));
    if (missing.length) {
      this.log.warn(
        { channels: missing },
        'notice channels not configured; their notices wait in the outbox',
      );
    }
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.kick();
  }

  /** Dispatch now (e.g. right after a commit that enqueued notices). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.dispatch()
      .then(() => undefined)
      .catch((err: unknown) =>
        this.log.warn(
          { err: scrubPersonalData((err as Error).message) },
          'notice dispatch failed; will retry',
        ),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Sends up to `limit` due rows, one transaction each; a row is tried at most once per call. */
  async dispatch(limit = 50): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, retrying: 0, failed: 0 };
    const seen: string[] = [];
    while (seen.length < limit) {
      const outcome = await this.dispatchOne(seen);
      if (!outcome) break;
      result[outcome]++;
    }
    return result;
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.retryBaseMs * 2 ** Math.max(0, attempts - 1), this.retryMaxMs);
  }

  private async dispatchOne(seen: string[]): Promise<keyof DispatchResult | undefined> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE notice_outbox o
          SET locked_until = now() + make_interval(secs => $3::double precision / 1000), locked_by = $4
        WHERE o.id = (SELECT id FROM notice_outbox
                       WHERE status = 'pending' AND next_attempt_at <= now()
                         AND (locked_until IS NULL OR locked_until < now())
                         AND channel = ANY($1::text[]) AND NOT (id = ANY($2::bigint[]))
                       ORDER BY next_attempt_at, id
                       LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING o.id::text AS id, o.idempotency_key, o.channel, o.case_type,
                  o.case_id::text AS case_id, o.template, o.lang, o.address, o.subject, o.body,
                  o.attempts`,
      [[...this.channels.keys()], seen, this.leaseMs, this.id],
    );
    const row = rows[0];
    if (!row) return undefined;
    seen.push(row.id);
    const channel = this.channels.get(row.channel)!;
    const recipient: NoticeRecipient = { [ADDRESS_OF[row.channel]]: row.address, lang: row.lang };
    const logCtx = { noticeId: row.id, channel: row.channel, template: row.template };
    const rendered = { lang: row.lang, subject: row.subject, text: row.body };
    const ctx = {
      noticeId: row.id,
      caseType: row.case_type,
      caseId: row.case_id,
      template: row.template,
    };
    try {
      if (channel.name === 'cabinet') {
        // a database write, no network: sent and marked sent in one transaction
        await inTransaction(this.pool, async (tx) => {
          const { providerId } = await channel.send(rendered, recipient, row.idempotency_key, {
            ...ctx,
            tx,
          });
          await this.markSent(tx, row, providerId);
        });
      } else {
        const { providerId } = await channel.send(rendered, recipient, row.idempotency_key, ctx);
        await this.markSent(this.pool, row, providerId);
      }
      return 'sent';
    } catch (err) {
      if (isDatabaseError(err)) throw err; // the bookkeeping failed: the lease brings it back
      const attempts = row.attempts + 1;
      const permanent = err instanceof PermanentNoticeError;
      const giveUp = permanent || attempts >= this.maxAttempts;
      const error = scrubPersonalData((err as Error).message).slice(0, 500);
      await this.pool.query(
        `UPDATE notice_outbox
            SET attempts = $2, last_error = $3,
                status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END,
                failed_at = CASE WHEN $4 THEN now() END,
                next_attempt_at = now() + make_interval(secs => $5::double precision / 1000),
                locked_until = NULL, locked_by = NULL
          WHERE id = $1`,
        [row.id, attempts, error, giveUp, giveUp ? 0 : this.backoffMs(attempts)],
      );
      if (giveUp) {
        this.log.error(
          { ...logCtx, attempts, permanent, err: error },
          'notice failed; left for operators',
        );
      } else {
        this.log.warn({ ...logCtx, attempts, err: error }, 'notice not sent; will retry');
      }
      return giveUp ? 'failed' : 'retrying';
    }
  }

  private async markSent(
    db: Pick<PoolClient, 'query'>,
    row: OutboxRow,
    providerId: string,
  ): Promise<void> {
    await db.query(
      `UPDATE notice_outbox
          SET status = 'sent', provider_id = $2, sent_at = now(), attempts = attempts + 1,
              locked_until = NULL, locked_by = NULL
        WHERE id = $1`,
      [row.id, providerId],
    );
    this.log.info(
      {
        noticeId: row.id,
        channel: row.channel,
        template: row.template,
        attempts: row.attempts + 1,
        providerId,
      },
      'notice sent',
    );
  }

  /** Stops polling, waits for the dispatch in hand, then closes the channels' connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.again = false;
    await this.running;
    for (const c of this.channels.values()) await c.close?.();
  }
}

export interface FailedNotice {
  id: string;
  caseType: string;
  caseId: string;
  channel: NoticeChannelName;
  template: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}

/** Notices given up on, for operators (no recipient addresses). */
export async function listFailedNotices(
  db: Pool | PoolClient,
  limit = 100,
): Promise<FailedNotice[]> {
  const { rows } = await db.query<FailedNotice>(
    `SELECT id::text AS id, case_type AS "caseType", case_id::text AS "caseId", channel, template,
            attempts, last_error AS "lastError", failed_at AS "failedAt"
       FROM notice_outbox WHERE status = 'failed' ORDER BY failed_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/** A pg error (it carries a SQLSTATE and a severity) or a lost connection: not the channel's. */
function isDatabaseError(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && typeof e.severity === 'string') return true;
  return (
    typeof e?.message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect/.test(e.message)
  );
}
