import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SMTPServer } from 'smtp-server';
import { migrate } from '../../src/db/migrate.js';
import { createPool, inTransaction, type Pool } from '../../src/db/pool.js';
import type { JobContext } from '../../src/engine/worker.js';
import { createLogger } from '../../src/logger.js';
import {
  CabinetChannel,
  SmsGatewayChannel,
  SmtpChannel,
  noticeMessageId,
  type NoticeChannel,
} from '../../src/notify/channels.js';
import {
  NoticeDispatcher,
  enqueueNotice,
  listFailedNotices,
  type Notice,
  type NoticeDispatcherOptions,
} from '../../src/notify/outbox.js';
import { startSmsGatewayStandin, type SmsGatewayStandin } from '../../dev/sms-gateway-standin.js';
import sendNotice, { noticeContact } from '../../workers/send-notice.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { LogCapture, eventually } from '../support/stack.js';

// Test people: personal data that must reach the providers and never the logs.
const FIN = '5QX7K2M';
const EMAIL = 'aysel.mammadova@example.az';
const PHONE = '+994501234567';
const FROM = 'no-reply@mida.gov.az';

// ---- a real SMTP server (smtp-server) on a free loopback port, collecting what it receives ----

interface ReceivedMail {
  rcptTo: string[];
  headers: Record<string, string>;
  subject: string;
  body: string;
}

function qpBytes(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (nodemailer encodes non-ASCII subjects). */
function decodeWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[BQ]\?[^?]*\?=\s*)+/gi, (run) => {
    const parts = [...run.matchAll(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi)].map(([, enc, data]) =>
      enc!.toUpperCase() === 'B' ? Buffer.from(data!, 'base64') : qpBytes(data!.replace(/_/g, ' ')),
    );
    return Buffer.concat(parts).toString('utf8') + (/\s$/.test(run) ? ' ' : '');
  });
}

function parseMail(raw: string, rcptTo: string[]): ReceivedMail {
  const sep = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, sep)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(sep + 4);
  const cte = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (cte === 'quoted-printable') body = qpBytes(body.replace(/=\r\n/g, '')).toString('utf8');
  if (cte === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { rcptTo, headers, subject: decodeWords(headers.subject ?? ''), body };
}

async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce@')) {
        return callback(
          Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }),
        );
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rcpt = session.envelope.rcptTo.map((a) => a.address);
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), rcpt));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- the fixture ----

let db: TestDatabase;
let pool: Pool;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let sms: SmsGatewayStandin;
const logs = new LogCapture();
const log = createLogger('info', logs);
const opened: NoticeChannel[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool({ connectionString: db.url, max: 5 });
  await migrate(pool, createLogger('silent'));
  smtp = await startSmtpServer();
  sms = await startSmsGatewayStandin();
});

afterAll(async () => {
  for (const c of opened) await c.close?.();
  await sms?.stop();
  await smtp?.close();
  await pool?.end();
  await db?.drop();
});

// Each test starts with an empty queue: rows a test leaves pending must not be sent by the next.
afterEach(async () => {
  sms.failNext(0);
  await pool.query(`DELETE FROM notice_outbox WHERE status = 'pending'`);
});

function realChannels(): { cabinet: CabinetChannel; email: SmtpChannel; sms: SmsGatewayChannel } {
  const channels = {
    cabinet: new CabinetChannel(),
    email: new SmtpChannel({ url: smtp.url, from: FROM }),
    sms: new SmsGatewayChannel({ url: sms.url }),
  };
  opened.push(channels.email);
  return channels;
}

function dispatcher(
  channels: NoticeChannel[] = Object.values(realChannels()),
  opts: NoticeDispatcherOptions = {},
): NoticeDispatcher {
  return new NoticeDispatcher(pool, channels, log, { retryBaseMs: 0, maxAttempts: 3, ...opts });
}

function discrepancyNotice(over: Partial<Notice> = {}): Notice {
  return {
    idempotencyKey: `test-${randomUUID()}`,
    caseType: 'application',
    caseId: randomUUID(),
    recipient: { cabinetFin: FIN, email: EMAIL, phone: PHONE },
    template: 'discrepancy-found',
    params: {
      registrationNumber: 1017,
      dueDate: '2026-05-19',
      comments: [
        { target: 'document', name: 'Nikah haqqında şəhadətnamə', comment: 'Surət oxunmur' },
      ],
    },
    channels: ['cabinet', 'email', 'sms'],
    ...over,
  };
}

const enqueue = (n: Notice) => inTransaction(pool, (tx) => enqueueNotice(tx, n));

async function outboxRows(key: string) {
  const { rows } = await pool.query(
    `SELECT channel, status, attempts, provider_id, last_error, failed_at,
            next_attempt_at > now() AS backing_off
       FROM notice_outbox WHERE idempotency_key = $1 ORDER BY channel`,
    [key],
  );
  return rows as {
    channel: string;
    status: string;
    attempts: number;
    provider_id: string | null;
    last_error: string | null;
    failed_at: Date | null;
    backing_off: boolean;
  }[];
}

const mailsFor = (key: string) =>
  smtp.mails.filter((m) => m.headers['message-id'] === noticeMessageId(key, FROM));
const smsFor = (key: string) => sms.messages.filter((m) => m.idempotencyKey === key);
const smsRequestsFor = (key: string) => sms.requests.filter((r) => r.idempotencyKey === key);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notices: outbox and dispatcher', () => {
  it('given a notice for all three channels, when dispatched, then the cabinet inbox, one Azerbaijani e-mail and one SMS hold it', async () => {
    const notice = discrepancyNotice();
    const key = notice.idempotencyKey;
    await enqueue(notice);

    expect(await dispatcher().dispatch()).toEqual({ sent: 3, retrying: 0, failed: 0 });

    const inbox = await pool.query(
      `SELECT id, fin, case_id, template, lang, subject, text, read_at FROM cabinet_notice
        WHERE idempotency_key = $1`,
      [key],
    );
    expect(inbox.rows).toHaveLength(1);
    expect(inbox.rows[0]).toEqual(
      expect.objectContaining({
        fin: FIN,
        case_id: notice.caseId,
        template: 'discrepancy-found',
        lang: 'az',
        subject: 'Müraciətinizdə uyğunsuzluq aşkar edildi',
        read_at: null,
      }),
    );
    expect(inbox.rows[0].text).toContain('Sizin müraciətinizdə uyğunsuzluq mövcuddur');

    const mails = mailsFor(key);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.rcptTo).toEqual([EMAIL]);
    expect(mails[0]!.headers.from).toContain(FROM);
    expect(mails[0]!.headers['content-language']).toBe('az');
    expect(mails[0]!.headers['auto-submitted']).toBe('auto-generated');
    expect(mails[0]!.subject).toBe('Müraciətinizdə uyğunsuzluq aşkar edildi');
    expect(mails[0]!.body).toContain(
      'Uyğunsuzluqları aradan qaldırıb 19.05.2026 tarixinədək müraciəti yenidən təqdim edin.',
    );
    expect(mails[0]!.body).toContain('• Sənəd «Nikah haqqında şəhadətnamə»: Surət oxunmur');

    const texts = smsFor(key);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.to).toBe(PHONE);
    expect(texts[0]!.text).toContain('19.05.2026');

    const rows = await outboxRows(key);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['cabinet', 'sent', 1],
      ['email', 'sent', 1],
      ['sms', 'sent', 1],
    ]);
    expect(rows.map((r) => r.provider_id)).toEqual([
      inbox.rows[0].id,
      noticeMessageId(key, FROM),
      texts[0]!.id,
    ]);
  });

  it('given the same notice enqueued twice (a retried job), when dispatched twice, then each channel delivers it once', async () => {
    const notice = discrepancyNotice();
    const first = await enqueue(notice);
    const second = await enqueue(notice);
    expect(first.inserted).toBe(3);
    expect(second).toEqual({ ids: first.ids, inserted: 0 });

    const d = dispatcher();
    await d.dispatch();
    expect(await d.dispatch()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const inbox = await pool.query(
      `SELECT count(*)::int AS n FROM cabinet_notice WHERE idempotency_key = $1`,
      [notice.idempotencyKey],
    );
    expect(inbox.rows[0].n).toBe(1);
    expect(mailsFor(notice.idempotencyKey)).toHaveLength(1);
    expect(smsFor(notice.idempotencyKey)).toHaveLength(1);
  });

  it('given the SMS gateway fails twice, when dispatched over time, then the row backs off, is retried and delivered once with its attempts recorded', async () => {
    const notice = discrepancyNotice({ channels: ['sms'] });
    const key = notice.idempotencyKey;
    await enqueue(notice);
    sms.failNext(2);
    const d = dispatcher(undefined, { retryBaseMs: 300 });

    expect(await d.dispatch()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [row] = await outboxRows(key);
    expect(row).toEqual(
      expect.objectContaining({ status: 'pending', attempts: 1, backing_off: true }),
    );
    expect(row!.last_error).toMatch(/HTTP 503/);
    // Not due yet: an immediate dispatch leaves it alone.
    expect(await d.dispatch()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    await sleep(350);
    expect(await d.dispatch()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const delay = await pool.query(
      `SELECT extract(epoch FROM next_attempt_at - now()) * 1000 AS ms FROM notice_outbox
        WHERE idempotency_key = $1`,
      [key],
    );
    expect(Number(delay.rows[0].ms)).toBeGreaterThan(450); // doubled: 600 ms after the 2nd failure

    await sleep(650);
    expect(await d.dispatch()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    [row] = await outboxRows(key);
    expect(row).toEqual(expect.objectContaining({ status: 'sent', attempts: 3 }));
    expect(smsRequestsFor(key).map((r) => r.status)).toEqual([503, 503, 201]);
    expect(smsFor(key)).toHaveLength(1);
  });

  it('given the commit was lost after the providers accepted, when dispatched again, then the gateway sees the same key and keeps one SMS, and the e-mail repeats its Message-ID', async () => {
    const notice = discrepancyNotice({ channels: ['email', 'sms'] });
    const key = notice.idempotencyKey;
    await enqueue(notice);
    const d = dispatcher();
    await d.dispatch();
    const before = await outboxRows(key);

    // The crash window: providers accepted, the transaction that marked the rows rolled back.
    await pool.query(
      `UPDATE notice_outbox SET status = 'pending', provider_id = NULL, sent_at = NULL, attempts = 0
        WHERE idempotency_key = $1`,
      [key],
    );
    expect(await d.dispatch()).toEqual({ sent: 2, retrying: 0, failed: 0 });

    expect(smsRequestsFor(key).map((r) => r.status)).toEqual([201, 200]);
    expect(smsFor(key)).toHaveLength(1);
    const after = await outboxRows(key);
    expect(after.map((r) => r.provider_id)).toEqual(before.map((r) => r.provider_id));
    // SMTP itself cannot deduplicate; the repeated Message-ID lets mail systems and clients do it.
    const mails = mailsFor(key);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.headers['message-id']).toBe(mails[0]!.headers['message-id']);
  });

  it('given the gateway accepted but its answer was lost, when retried, then the gateway returns the first id and one SMS exists', async () => {
    const notice = discrepancyNotice({ channels: ['sms'] });
    const key = notice.idempotencyKey;
    await enqueue(notice);
    const real = realChannels().sms;
    const answerLost: NoticeChannel = {
      name: 'sms',
      async send(rendered, recipient, key) {
        await real.send(rendered, recipient, key);
        throw new Error('socket hang up');
      },
    };

    expect(await dispatcher([answerLost]).dispatch()).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    expect(await dispatcher([real]).dispatch()).toEqual({ sent: 1, retrying: 0, failed: 0 });

    const texts = smsFor(key);
    expect(texts).toHaveLength(1);
    expect(smsRequestsFor(key)).toHaveLength(2);
    const [row] = await outboxRows(key);
    expect(row).toEqual(
      expect.objectContaining({ status: 'sent', attempts: 2, provider_id: texts[0]!.id }),
    );
  });

  it('given the cabinet write succeeded but the send then failed, when retried, then the inbox holds the notice once', async () => {
    const notice = discrepancyNotice({ channels: ['cabinet'] });
    const key = notice.idempotencyKey;
    await enqueue(notice);
    const real = new CabinetChannel();
    const failsAfterWrite: NoticeChannel = {
      name: 'cabinet',
      async send(...args) {
        await real.send(...args);
        throw new Error('failure after the inbox write');
      },
    };

    await dispatcher([failsAfterWrite]).dispatch();
    const count = async () =>
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM cabinet_notice WHERE idempotency_key = $1`,
          [key],
        )
      ).rows[0].n;
    expect(await count()).toBe(0); // rolled back with the failed attempt
    await dispatcher([real]).dispatch();
    expect(await count()).toBe(1);
  });

  it('given the SMS gateway refuses the number (4xx), when dispatched, then the row fails at once and operators see it without the number', async () => {
    const notice = discrepancyNotice({ channels: ['sms'], recipient: { phone: 'not-a-phone' } });
    const key = notice.idempotencyKey;
    await enqueue(notice);

    expect(await dispatcher().dispatch()).toEqual({ sent: 0, retrying: 0, failed: 1 });

    const [row] = await outboxRows(key);
    expect(row).toEqual(expect.objectContaining({ status: 'failed', attempts: 1 }));
    expect(row!.failed_at).toBeInstanceOf(Date);
    expect(row!.last_error).toMatch(/HTTP 422/);
    const failed = await listFailedNotices(pool);
    const listed = failed.find((f) => f.caseId === notice.caseId);
    expect(listed).toEqual(
      expect.objectContaining({
        channel: 'sms',
        template: 'discrepancy-found',
        attempts: 1,
        lastError: expect.stringMatching(/HTTP 422/),
      }),
    );
    expect(JSON.stringify(listed)).not.toContain('not-a-phone');
  });

  it('given the SMTP server rejects the mailbox (550), when dispatched, then the e-mail row fails at once', async () => {
    const notice = discrepancyNotice({
      channels: ['email'],
      recipient: { email: 'bounce@example.az' },
    });
    await enqueue(notice);

    expect(await dispatcher().dispatch()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const [row] = await outboxRows(notice.idempotencyKey);
    expect(row).toEqual(expect.objectContaining({ status: 'failed', attempts: 1 }));
    expect(row!.last_error).toMatch(/550/);
    expect(row!.last_error).not.toContain('bounce@example.az');
  });

  it('given a gateway that keeps failing, when the row reaches the maximum attempts, then it is failed for operators', async () => {
    const notice = discrepancyNotice({ channels: ['sms'] });
    await enqueue(notice);
    sms.failNext(10);
    const d = dispatcher(undefined, { maxAttempts: 2 });

    expect(await d.dispatch()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await d.dispatch()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const [row] = await outboxRows(notice.idempotencyKey);
    expect(row).toEqual(expect.objectContaining({ status: 'failed', attempts: 2 }));
    expect(row!.last_error).toMatch(/HTTP 503/);
    expect(smsFor(notice.idempotencyKey)).toHaveLength(0);
  });

  it('given the e-mail channel is not configured, when dispatched, then e-mail rows wait and go out once it is', async () => {
    const notice = discrepancyNotice({ channels: ['cabinet', 'email'] });
    const key = notice.idempotencyKey;
    await enqueue(notice);

    expect(await dispatcher([new CabinetChannel()]).dispatch()).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect((await outboxRows(key)).map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['cabinet', 'sent', 1],
      ['email', 'pending', 0],
    ]);

    expect(await dispatcher().dispatch()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(mailsFor(key)).toHaveLength(1);
  });

  it('given a started dispatcher, when a notice is enqueued and kicked, then it is sent without an explicit dispatch and stop() waits for it', async () => {
    const d = dispatcher(undefined, { intervalMs: 60_000 });
    d.start();
    try {
      const notice = discrepancyNotice({ channels: ['cabinet'] });
      await enqueue(notice);
      d.kick();
      await eventually(async () => (await outboxRows(notice.idempotencyKey))[0]?.status === 'sent');
    } finally {
      await d.stop();
    }
  });

  it('given a notice with a missing parameter, when enqueued, then nothing is stored and the error names it', async () => {
    const notice = discrepancyNotice({ params: { registrationNumber: 5, comments: [] } });
    await expect(enqueue(notice)).rejects.toThrow('missing params: dueDate, comments');
    expect(await outboxRows(notice.idempotencyKey)).toEqual([]);
  });

  it('given a channel without a recipient address, when enqueued, then the notice is refused', async () => {
    const notice = discrepancyNotice({ recipient: { cabinetFin: FIN } });
    await expect(enqueue(notice)).rejects.toThrow(/no recipient address for channel email/);
    expect(await outboxRows(notice.idempotencyKey)).toEqual([]);
  });
});

describe('send-notice worker', () => {
  const deps = () => ({ pool, log, now: () => new Date() });
  const job = (variables: Record<string, unknown>): JobContext<never> => {
    const ctx = {
      key: String(Date.now()),
      processInstanceKey: `2251799813${Math.floor(Math.random() * 1e6)}`,
      bpmnProcessId: 'application-review',
      elementId: 'notify-applicant',
      elementInstanceKey: `2251799814${Math.floor(Math.random() * 1e6)}`,
      retries: 3,
      engineTime: new Date(),
      variables: variables as never,
      headers: {},
    };
    return ctx;
  };

  async function application(fin: string, form: Record<string, unknown>): Promise<string> {
    // The review migration adds `form`; the worker must work with or without it.
    await pool.query(
      `ALTER TABLE application ADD COLUMN IF NOT EXISTS form jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO application (registration_number, applicant_fin, category, status, submitted_at, form)
       VALUES (next_registration_number(), $1, 3, 'under_review', now(), $2)
       RETURNING id`,
      [fin, JSON.stringify(form)],
    );
    return rows[0]!.id;
  }

  const registered = { registeredAt: '2026-05-12', reviewDueDate: '2026-05-19' };

  it('given an applicant with e-mail and SMS opt-in, when the job runs twice (a retry), then one notice per channel is queued, audited once, and not sent by the worker', async () => {
    const id = await application(FIN, { email: EMAIL, mobilePhone: PHONE, smsOptIn: true });
    const j = job({
      applicationId: id,
      noticeTemplate: 'application-registered',
      noticeParams: registered,
    });
    expect(await sendNotice.handle(j, deps())).toEqual({});
    expect(await sendNotice.handle(j, deps())).toEqual({});

    const key = `${j.processInstanceKey}:${j.elementInstanceKey}`;
    const { rows } = await pool.query(
      `SELECT channel, status, address, lang, body FROM notice_outbox WHERE idempotency_key = $1
        ORDER BY channel`,
      [key],
    );
    expect(rows.map((r) => [r.channel, r.status, r.address, r.lang])).toEqual([
      ['cabinet', 'pending', FIN, 'az'],
      ['email', 'pending', EMAIL, 'az'],
      ['sms', 'pending', PHONE, 'az'],
    ]);
    expect(rows[0].body).toMatch(/qeydiyyat sıra nömrəsi/);
    const audit = await pool.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND action = 'notice-queued'`,
      [id],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('given an applicant without e-mail and without SMS opt-in, when the job runs, then only the cabinet gets the notice', async () => {
    const id = await application('6RT8P3L', { mobilePhone: PHONE, smsOptIn: false });
    const j = job({
      applicationId: id,
      noticeTemplate: 'review-extended',
      noticeParams: { newDueDate: '2026-06-02' },
    });
    await sendNotice.handle(j, deps());
    const { rows } = await pool.query(
      `SELECT channel FROM notice_outbox WHERE idempotency_key = $1`,
      [`${j.processInstanceKey}:${j.elementInstanceKey}`],
    );
    expect(rows.map((r) => r.channel)).toEqual(['cabinet']);
  });

  it('given English chosen on the form, when the job runs, then the notice is in English', async () => {
    const id = await application('7WE2R4T', { email: EMAIL, lang: 'en' });
    const j = job({
      applicationId: id,
      noticeTemplate: 'application-registered',
      noticeParams: registered,
    });
    await sendNotice.handle(j, deps());
    const { rows } = await pool.query(
      `SELECT DISTINCT lang, subject FROM notice_outbox WHERE idempotency_key = $1`,
      [`${j.processInstanceKey}:${j.elementInstanceKey}`],
    );
    expect(rows).toEqual([{ lang: 'en', subject: 'Your application has been registered' }]);
  });

  it('given a missing notice parameter, when the job runs, then it fails naming the parameter and queues nothing', async () => {
    const id = await application('8YU3I5O', { email: EMAIL });
    const j = job({
      applicationId: id,
      noticeTemplate: 'application-registered',
      noticeParams: { registeredAt: '2026-05-12' },
    });
    await expect(sendNotice.handle(j, deps())).rejects.toThrow('missing params: reviewDueDate');
    const { rows } = await pool.query(`SELECT 1 FROM notice_outbox WHERE case_id = $1`, [id]);
    expect(rows).toEqual([]);
  });

  it('given a decision recorded on the application, when the approval notice gets only the registration number (as the model passes it), then the decision date comes from the application', async () => {
    const id = await application('9OP4A6S', { email: EMAIL });
    // The review migration adds decided_at; set by the grant/refusal workers.
    await pool.query(`ALTER TABLE application ADD COLUMN IF NOT EXISTS decided_at timestamptz`);
    await pool.query(`UPDATE application SET decided_at = '2026-05-14T20:30:00Z' WHERE id = $1`, [
      id,
    ]);
    const j = job({
      applicationId: id,
      noticeTemplate: 'application-approved',
      noticeParams: { registrationNumber: null },
    });
    await sendNotice.handle(j, deps());
    const { rows } = await pool.query(
      `SELECT body FROM notice_outbox WHERE idempotency_key = $1 AND channel = 'email'`,
      [`${j.processInstanceKey}:${j.elementInstanceKey}`],
    );
    expect(rows[0].body).toContain('15.05.2026'); // 00:30 in Baku
    expect(rows[0].body).toMatch(/\d+ saylı müraciətinizə baxılmış/);
  });

  it('given an application row without a form, then the cabinet alone is used', () => {
    expect(noticeContact({ applicant_fin: FIN })).toEqual({
      recipient: { cabinetFin: FIN },
      channels: ['cabinet'],
    });
  });

  it('given dedicated notify columns and a structured mobile number, then the columns win and the number is joined', () => {
    expect(
      noticeContact({
        applicant_fin: FIN,
        notify_email: 'cabinet@example.az',
        notify_sms: true,
        form: { email: EMAIL, mobilePhone: { operatorCode: '50', number: '123 45 67' } },
      }),
    ).toEqual({
      recipient: { cabinetFin: FIN, email: 'cabinet@example.az', phone: '+994501234567' },
      channels: ['cabinet', 'email', 'sms'],
    });
  });
});

describe('personal data', () => {
  it('given every notice above, then no FIN, e-mail address or phone number reached the logs', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.text).not.toMatch(
      /5QX7K2M|6RT8P3L|7WE2R4T|8YU3I5O|9OP4A6S|@example\.az|501234567|not-a-phone/,
    );
  });
});
