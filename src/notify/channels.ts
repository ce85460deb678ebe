import { createHash } from 'node:crypto';
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import type { PoolClient } from '../db/pool.js';
import type { NoticeConfig } from './config.js';
import type { NoticeLang } from './templates.js';

export const NOTICE_CHANNEL_NAMES = ['cabinet', 'email', 'sms'] as const;
export type NoticeChannelName = (typeof NOTICE_CHANNEL_NAMES)[number];

export interface NoticeRecipient {
  cabinetFin?: string;
  email?: string;
  phone?: string;
  lang?: NoticeLang;
}

/** What one channel sends: for SMS, `text` is the template's short SMS text. */
export interface OutgoingNotice {
  lang: NoticeLang;
  subject: string;
  text: string;
}

/**
 * What the dispatcher knows of the row. `tx`: only the cabinet channel, which writes in the
 * database, gets the transaction that also marks the row sent; the network channels are called
 * outside any transaction (a provider that hangs must not hold a database connection).
 */
export interface SendContext {
  tx?: PoolClient;
  noticeId: string;
  caseType: string;
  caseId: string;
  template: string;
}

export interface NoticeChannel {
  readonly name: NoticeChannelName;
  /**
   * Delivers once per idempotency key as far as the provider allows: the key goes to the
   * provider so a re-send after a crash is recognised there. Throw PermanentNoticeError when
   * retrying cannot help; anything else is retried with backoff.
   */
  send(
    rendered: OutgoingNotice,
    recipient: NoticeRecipient,
    idempotencyKey: string,
    ctx: SendContext,
  ): Promise<{ providerId: string }>;
  close?(): Promise<void> | void;
}

/** The provider refused the notice for good (bad address, 4xx/5xx rejection): not retried. */
export class PermanentNoticeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentNoticeError';
  }
}

/**
 * The citizen's inbox in the electronic cabinet (000 §3, 003 §5.5-1). The row is written in the
 * dispatcher's transaction, which also marks the outbox row sent: exactly once.
 */
export class CabinetChannel implements NoticeChannel {
  readonly name = 'cabinet' as const;

  async send(
    rendered: OutgoingNotice,
    recipient: NoticeRecipient,
    idempotencyKey: string,
    ctx: SendContext,
  ): Promise<{ providerId: string }> {
    if (!recipient.cabinetFin) throw new PermanentNoticeError('no FIN for the cabinet notice');
    if (!ctx.tx) throw new Error('the cabinet channel writes in the dispatcher’s transaction');
    const inserted = await ctx.tx.query<{ id: string }>(
      `INSERT INTO cabinet_notice (fin, case_type, case_id, template, lang, subject, text, idempotency_key)
       VALUES (upper($1), $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        recipient.cabinetFin,
        ctx.caseType,
        ctx.caseId,
        ctx.template,
        rendered.lang,
        rendered.subject,
        rendered.text,
        idempotencyKey,
      ],
    );
    if (inserted.rows[0]) return { providerId: inserted.rows[0].id };
    // Already in the inbox (an operator re-queued the row): the same notice, not a second one.
    const existing = await ctx.tx!.query<{ id: string }>(
      `SELECT id FROM cabinet_notice WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return { providerId: existing.rows[0]!.id };
  }
}

function mailDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'mida.gov.az';
}

/**
 * Deterministic Message-ID from the idempotency key: a re-send after a crash carries the same
 * id, so mail systems that deduplicate on it (and the recipient's client) show one message.
 */
export function noticeMessageId(idempotencyKey: string, from: string): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<notice.${hash}@${mailDomain(from)}>`;
}

export interface SmtpChannelOptions {
  url: string;
  from: string;
  /** Socket inactivity limit; the outbox row stays locked while a message is being sent. */
  timeoutMs?: number;
}

/** E-mail over SMTP (nodemailer); one connection per message, notices are few. */
export class SmtpChannel implements NoticeChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly opts: SmtpChannelOptions) {
    this.transport = nodemailer.createTransport({
      url: opts.url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: opts.timeoutMs ?? 20_000,
    });
  }

  async send(
    rendered: OutgoingNotice,
    recipient: NoticeRecipient,
    idempotencyKey: string,
  ): Promise<{ providerId: string }> {
    if (!recipient.email) throw new PermanentNoticeError('no e-mail address');
    const messageId = noticeMessageId(idempotencyKey, this.opts.from);
    try {
      await this.transport.sendMail({
        from: this.opts.from,
        to: recipient.email,
        subject: rendered.subject,
        text: rendered.text,
        messageId,
        headers: {
          'Content-Language': rendered.lang,
          // RFC 3834: automatic notice, no auto-replies please.
          'Auto-Submitted': 'auto-generated',
        },
      });
    } catch (err) {
      const e = err as NodemailerError;
      // nodemailer marks 5xx replies (except 503) as permanent; 4xx and network errors are retried.
      if (e.permanent === true) {
        throw new PermanentNoticeError(`SMTP server rejected the message: ${e.message}`, {
          cause: err,
        });
      }
      throw err;
    }
    return { providerId: messageId };
  }

  close(): void {
    this.transport.close();
  }
}

export interface SmsGatewayChannelOptions {
  /** Base URL; messages are POSTed to `${url}/messages`. */
  url: string;
  token?: string;
  timeoutMs?: number;
}

// 408 timeout, 425 too early, 429 rate limited: the request may succeed later.
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * SMS through an HTTP gateway (paid by the applicant, 000 §2.1.8). The Idempotency-Key header
 * lets the gateway return the first message's id instead of sending again. 2xx = sent; 4xx =
 * refused for good (except 408/425/429); 5xx and network errors are retried.
 */
export class SmsGatewayChannel implements NoticeChannel {
  readonly name = 'sms' as const;
  private readonly endpoint: string;

  constructor(private readonly opts: SmsGatewayChannelOptions) {
    this.endpoint = `${opts.url.replace(/\/+$/, '')}/messages`;
  }

  async send(
    rendered: OutgoingNotice,
    recipient: NoticeRecipient,
    idempotencyKey: string,
  ): Promise<{ providerId: string }> {
    if (!recipient.phone) throw new PermanentNoticeError('no phone number');
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        body: JSON.stringify({ to: recipient.phone, text: rendered.text }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new Error(`SMS gateway unreachable: ${(err as Error).message}`, { cause: err });
    }
    const body = await res.text().catch(() => '');
    if (res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status)) {
      throw new PermanentNoticeError(
        `SMS gateway refused the message: HTTP ${res.status} ${body.slice(0, 200)}`,
      );
    }
    if (!res.ok) throw new Error(`SMS gateway error: HTTP ${res.status} ${body.slice(0, 200)}`);
    let id: unknown;
    try {
      id = (JSON.parse(body) as { id?: unknown }).id;
    } catch {
      /* handled below */
    }
    // Retrying is safe: the gateway answers a repeated key with the first message's id.
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new Error(`SMS gateway answered HTTP ${res.status} without a message id`);
    }
    return { providerId: String(id) };
  }
}

/** The channels the configuration allows; the cabinet needs nothing but the database. */
export function createNoticeChannels(cfg: NoticeConfig): NoticeChannel[] {
  const channels: NoticeChannel[] = [new CabinetChannel()];
  if (cfg.SMTP_URL) channels.push(new SmtpChannel({ url: cfg.SMTP_URL, from: cfg.MAIL_FROM }));
  if (cfg.SMS_GATEWAY_URL) {
    channels.push(
      new SmsGatewayChannel({ url: cfg.SMS_GATEWAY_URL, token: cfg.SMS_GATEWAY_TOKEN }),
    );
  }
  return channels;
}
