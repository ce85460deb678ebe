import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startSmsGatewayStandin, type SmsGatewayStandin } from '../../dev/sms-gateway-standin.js';
import type { EngineRest } from '../../src/engine/rest.js';
import { completeForm, SIGNED } from './applications.js';
import { as } from './auth.js';
import { fireTimer } from './timers.js';

/**
 * Many applications in flight at once, through every path of the application review, driven as
 * the portal and a reviewer would (the API), while a test breaks something underneath (issue 14).
 *
 * Paths (round-robin): grant; refuse; discrepancy then resubmission then grant; discrepancy
 * that lapses (its timer fired after checking its due date) then the reviewer's refusal on the file
 * as it stands, citing the lapsed deadline (003 §5.5; 000 §2.4); extension then grant. The scripted reviewer decides each open task in the inbox by its case's path.
 */
export type LoadPath = 'grant' | 'refuse' | 'resubmit' | 'lapse' | 'extend';
export const LOAD_PATHS: LoadPath[] = ['grant', 'refuse', 'resubmit', 'lapse', 'extend'];

/** The decisions of a path, in order. */
const DECISIONS: Record<LoadPath, string[]> = {
  grant: ['grant'],
  refuse: ['refuse'],
  resubmit: ['discrepancy', 'grant'],
  lapse: ['discrepancy', 'refuse'],
  extend: ['extend', 'grant'],
};
export const END_STATE: Record<LoadPath, 'approved' | 'refused'> = {
  grant: 'approved',
  refuse: 'refused',
  resubmit: 'approved',
  lapse: 'refused',
  extend: 'approved',
};

const BODIES: Record<string, Record<string, unknown>> = {
  grant: {
    outcome: 'grant',
    legalGround: 'grant-cabinet',
    reason: 'Kateqoriya təsdiqləndi, sənədlər tamdır.',
  },
  refuse: {
    outcome: 'refuse',
    legalGround: 'refuse-not-in-category',
    reason: 'Dövlət qulluğu stajı 15 ildən azdır.',
  },
  discrepancy: {
    outcome: 'discrepancy',
    legalGround: 'discrepancy-found',
    reason: 'Əmək kitabçasının surəti oxunmur.',
    items: [{ target: 'document', name: 'category-evidence', comment: 'Surəti yenidən yükləyin.' }],
  },
  // 003 §5.5 with 000 §2.4: after a lapsed discrepancy the refusal cites the lapsed deadline
  'refuse-lapsed': {
    outcome: 'refuse',
    legalGround: 'refuse-category-not-established-deadline-lapsed',
    reason: 'Uyğunsuzluq vaxtında aradan qaldırılmayıb; kateqoriya təsdiqlənmir.',
  },
  extend: {
    outcome: 'extend',
    legalGround: 'extend-further-inquiry',
    reason: 'Reyestrdən əlavə məlumat sorğusu göndərilib.',
  },
};

export interface LoadCase {
  index: number;
  path: LoadPath;
  fin: string;
  phone: string;
  email: string;
  id?: string;
  registrationNumber?: number;
  /** decisions the scripted reviewer got a 200 for, in order */
  decided: string[];
  resubmitted: boolean;
  lapseFired: boolean;
}

export interface LoadDeps {
  apiUrl: string;
  engine: EngineRest;
  /** the app's database, read-only here (statuses in bulk instead of N API calls a second) */
  query: (sql: string, params?: unknown[]) => Promise<{ rows: any[] }>;
}

type Answer = { status: number; body: any };

async function call(apiUrl: string, path: string, who: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(`${apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...as(who) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  } catch (err) {
    // the API itself unreachable or too slow: counted as a failed attempt, tried again
    return { status: 0, body: String(err) };
  }
}

/** FINs of 7 characters [0-9A-Z], none a synthetic registry citizen (those start with SY). */
function finOf(i: number, prefix: string): string {
  return `${prefix}${String(i).padStart(7 - prefix.length, '0')}`;
}

export class Load {
  readonly cases: LoadCase[];
  /** API answers by status code (the portal's and the reviewer's calls). */
  readonly answers = new Map<number, number>();
  /**
   * Send every decision and every resubmission twice at once (a double click, a retried
   * request): one of each pair must be taken, the other refused.
   */
  duplicateRequests = false;
  /** Pairs of which both requests were taken (must stay 0). */
  doubleAccepted = 0;
  private stopped = false;
  private readonly handledTasks = new Set<string>();

  constructor(
    private readonly deps: LoadDeps,
    n: number,
    finPrefix: string,
  ) {
    this.cases = Array.from({ length: n }, (_, i) => ({
      index: i,
      path: LOAD_PATHS[i % LOAD_PATHS.length]!,
      fin: finOf(i, finPrefix),
      phone: String(5_000_000 + i),
      email: `load${i}@example.az`,
      decided: [],
      resubmitted: false,
      lapseFired: false,
    }));
  }

  private count(a: Answer): Answer {
    this.answers.set(a.status, (this.answers.get(a.status) ?? 0) + 1);
    return a;
  }

  private api(path: string, who: string, body?: unknown) {
    return call(this.deps.apiUrl, path, who, body).then((a) => this.count(a));
  }

  /** Draft, sign and submit every case (a few at a time, as a portal would); retries refusals of the moment (503). */
  async submitAll(concurrency = 8): Promise<void> {
    let next = 0;
    const one = async (c: LoadCase) => {
      while (!this.stopped && !c.registrationNumber) {
        if (!c.id) {
          const d = await this.api('/api/v1/applications', 'portal', {
            applicantFin: c.fin,
            form: completeForm({
              mobilePhone: { operatorCode: '50', number: c.phone },
              email: c.email,
            }),
          });
          if (d.status === 201) c.id = d.body.id;
          else await sleep(500);
          continue;
        }
        const s = await this.api(`/api/v1/applications/${c.id}/submit`, 'portal', SIGNED);
        if (s.status === 200) c.registrationNumber = s.body.registrationNumber;
        else if (s.status === 409 && s.body?.registrationNumber)
          c.registrationNumber = s.body.registrationNumber;
        else if (s.status === 409) {
          // submitted by an attempt whose answer was lost: the case file says so
          const got = await this.api(`/api/v1/applications/${c.id}`, 'portal');
          if (got.status === 200 && got.body.registrationNumber)
            c.registrationNumber = got.body.registrationNumber;
          else await sleep(500);
        } else await sleep(500);
      }
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < this.cases.length) await one(this.cases[next++]!);
      }),
    );
  }

  /**
   * The scripted reviewer and applicant, until stop(): decides the open tasks by each case's
   * path (through the reviewer API), resubmits when a resubmission path is in discrepancy, fires
   * the lapse timer of a lapsing path (its due date checked against the case's deadline).
   */
  async drive(): Promise<void> {
    const byId = () => new Map(this.cases.filter((c) => c.id).map((c) => [c.id!, c]));
    while (!this.stopped) {
      const cases = byId();
      const inbox = await this.api('/api/v1/review-tasks?limit=200&sort=created', 'registrar-all');
      if (inbox.status === 200) {
        for (const task of inbox.body.tasks as { taskId: string; caseId: string }[]) {
          if (this.stopped) break;
          const c = cases.get(task.caseId);
          if (!c || this.handledTasks.has(task.taskId)) continue;
          const outcome = DECISIONS[c.path][c.decided.length];
          if (!outcome) continue;
          const body =
            BODIES[c.path === 'lapse' && outcome === 'refuse' ? 'refuse-lapsed' : outcome];
          const r = await this.twice(() =>
            this.api(`/api/v1/review-tasks/${task.taskId}/decision`, 'registrar-all', body),
          );
          if (r.status === 200) {
            c.decided.push(outcome);
            this.handledTasks.add(task.taskId);
          } else if (r.status === 409) this.handledTasks.add(task.taskId); // decided already
        }
      }
      // applicants: resubmit, or let the deadline pass
      const waiting = this.cases.filter(
        (c) =>
          c.id && (c.path === 'resubmit' ? !c.resubmitted : c.path === 'lapse' && !c.lapseFired),
      );
      if (waiting.length) {
        const { rows } = await this.deps
          .query(
            `SELECT a.id::text AS id, d.due_at AS "dueAt" FROM application a
               JOIN discrepancy_round d ON d.application_id = a.id AND d.resubmitted_at IS NULL AND d.lapsed_at IS NULL
              WHERE a.status = 'discrepancy' AND a.id = ANY($1::uuid[])`,
            [waiting.map((c) => c.id)],
          )
          .catch(() => ({ rows: [] as any[] }));
        for (const row of rows as { id: string; dueAt: Date }[]) {
          if (this.stopped) break;
          const c = cases.get(row.id)!;
          if (c.path === 'resubmit') {
            const r = await this.twice(() =>
              this.api(`/api/v1/applications/${c.id}/resubmit`, 'portal', SIGNED),
            );
            if (r.status === 200) c.resubmitted = true;
          } else {
            try {
              await fireTimer(
                this.deps.engine,
                { businessKey: c.id!, activityId: 'resubmission-lapsed' },
                row.dueAt,
              );
              c.lapseFired = true; // the file returns to a reviewer, who refuses (above)
            } catch {
              /* the timer job not there yet, or the engine down: next round */
            }
          }
        }
      }
      await sleep(300);
    }
  }

  /** The request once, or twice at once when duplicateRequests: the taken one's answer. */
  private async twice(send: () => Promise<Answer>): Promise<Answer> {
    if (!this.duplicateRequests) return send();
    const pair = await Promise.all([send(), send()]);
    const taken = pair.filter((a) => a.status === 200);
    if (taken.length > 1) this.doubleAccepted++;
    return taken[0] ?? pair.find((a) => a.status !== 409) ?? pair[0]!;
  }

  stop(): void {
    this.stopped = true;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- outside systems the notices go to, with what they received ----

export interface SmtpStandin {
  url: string;
  port: number;
  /** one entry per mail received: its Message-ID and recipients */
  mails: { messageId: string; rcptTo: string[] }[];
  /** true while it refuses connections (an outage) */
  down: boolean;
  close(): Promise<void>;
  /** An outage: the port stops listening until restart(). */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startSmtpStandin(): Promise<SmtpStandin> {
  const mails: SmtpStandin['mails'] = [];
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const id = /^message-id:\s*(\S+)/im.exec(raw)?.[1] ?? '';
          mails.push({ messageId: id, rcptTo: session.envelope.rcptTo.map((a) => a.address) });
          callback();
        });
      },
    });
  let server = make();
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen(0);
  const port = (server.server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const s: SmtpStandin = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    down: false,
    close,
    async stop() {
      s.down = true;
      await close();
    },
    async restart() {
      server = make();
      await listen(port);
      s.down = false;
    },
  };
  return s;
}

/** The SMS gateway stand-in on a port that stays the same across an outage (stop, start again). */
export async function startSmsOnPort(port = 0): Promise<SmsGatewayStandin> {
  return startSmsGatewayStandin(port);
}

// ---- the tally every fault test prints ----

export interface Tally {
  fault: string;
  inFlight: number;
  completed: number;
  lost: number;
  duplicated: number;
  detail?: string;
}

export function printTally(t: Tally): string {
  const line = `FAULT ${t.fault}: in flight ${t.inFlight} / completed ${t.completed} / lost ${t.lost} / duplicated ${t.duplicated}${t.detail ? ` (${t.detail})` : ''}`;
  process.stdout.write(`${line}\n`);
  return line;
}

// ---- what a run came to ----

export interface LoadOutcome {
  tally: Tally;
  /** case index → what is wrong with it (empty when every case is as its path says) */
  problems: string[];
  /** application status by case id */
  statuses: Map<string, string>;
}

/**
 * Reads what the run came to: every case in its path's end state, its decisions exactly the
 * path's (none lost, none twice), every notice sent (none pending or failed), and at the SMS
 * gateway and the SMTP server no notice twice (the same text to the same number, the same
 * Message-ID). Cabinet notices are rows of their own table (unique per notice).
 */
export async function outcomeOf(
  fault: string,
  load: Load,
  query: LoadDeps['query'],
  sms: SmsGatewayStandin,
  smtp: SmtpStandin,
): Promise<LoadOutcome> {
  const ids = load.cases.map((c) => c.id).filter(Boolean) as string[];
  const problems: string[] = [];
  const statuses = new Map<string, string>(
    (
      await query(`SELECT id::text AS id, status FROM application WHERE id = ANY($1::uuid[])`, [
        ids,
      ])
    ).rows.map((r: { id: string; status: string }) => [r.id, r.status]),
  );
  const decisions = new Map<string, string[]>(
    (
      await query(
        `SELECT application_id::text AS id, array_agg(outcome ORDER BY decided_at, id) AS outcomes
           FROM decision WHERE application_id = ANY($1::uuid[]) GROUP BY application_id`,
        [ids],
      )
    ).rows.map((r: { id: string; outcomes: string[] }) => [r.id, r.outcomes]),
  );
  let completed = 0;
  let lost = 0;
  let duplicated = 0;
  for (const c of load.cases) {
    if (!c.id || !c.registrationNumber) {
      lost++;
      problems.push(`case ${c.index} (${c.path}): never submitted`);
      continue;
    }
    const status = statuses.get(c.id);
    const want = DECISIONS[c.path];
    const got = decisions.get(c.id) ?? [];
    if (status === END_STATE[c.path] && got.join() === want.join()) completed++;
    else problems.push(`case ${c.index} (${c.path}): ${status}, decisions [${got.join()}]`);
    if (got.length < want.length) lost++;
    if (got.length > want.length) duplicated++;
  }
  const notices = (
    await query(
      `SELECT channel, status, count(*)::int AS n FROM notice_outbox
        WHERE case_id = ANY($1::uuid[]) GROUP BY channel, status`,
      [ids],
    )
  ).rows as { channel: string; status: string; n: number }[];
  const sent = (ch: string) =>
    notices.filter((r) => r.channel === ch && r.status === 'sent').reduce((a, r) => a + r.n, 0);
  const unsent = notices.filter((r) => r.status !== 'sent').reduce((a, r) => a + r.n, 0);
  if (unsent) {
    lost += unsent;
    problems.push(
      `notices not sent: ${JSON.stringify(notices.filter((r) => r.status !== 'sent'))}`,
    );
  }
  const phones = new Set(load.cases.map((c) => c.phone));
  const ours = sms.messages.filter((m) => [...phones].some((p) => m.to.endsWith(p)));
  const smsTwice = countRepeats(ours.map((m) => `${m.to}\n${m.text}`));
  const emails = new Set(load.cases.map((c) => c.email));
  const mails = smtp.mails.filter((m) => m.rcptTo.some((r) => emails.has(r)));
  const mailTwice = countRepeats(mails.map((m) => m.messageId));
  duplicated += smsTwice + mailTwice;
  if (smsTwice) problems.push(`${smsTwice} SMS received twice`);
  if (mailTwice) problems.push(`${mailTwice} e-mails received twice`);
  if (ours.length !== sent('sms'))
    problems.push(`SMS: ${sent('sms')} marked sent, ${ours.length} at the gateway`);
  if (mails.length !== sent('email'))
    problems.push(`e-mail: ${sent('email')} marked sent, ${mails.length} at the SMTP server`);
  const tally: Tally = {
    fault,
    inFlight: load.cases.length,
    completed,
    lost,
    duplicated,
    detail: `notices sent: sms ${ours.length}, e-mail ${mails.length}, cabinet ${sent('cabinet')}; API answers ${JSON.stringify(Object.fromEntries(load.answers))}`,
  };
  return { tally, problems, statuses };
}

function countRepeats(keys: string[]): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const k of keys) {
    if (seen.has(k)) repeats++;
    seen.add(k);
  }
  return repeats;
}

/** Until every case is in its end state and no notice waits (or the time is up). */
export async function settled(
  load: Load,
  query: LoadDeps['query'],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ids = load.cases.map((c) => c.id).filter(Boolean) as string[];
    if (ids.length === load.cases.length && load.cases.every((c) => c.registrationNumber)) {
      try {
        const { rows } = await query(
          `SELECT
             (SELECT count(*)::int FROM application WHERE id = ANY($1::uuid[])
                AND status IN ('approved', 'refused')) AS done,
             (SELECT count(*)::int FROM notice_outbox WHERE case_id = ANY($1::uuid[])
                AND status = 'pending') AS waiting`,
          [ids],
        );
        const r = rows[0] as { done: number; waiting: number };
        const ended = load.cases.filter((c) => c.decided.length === DECISIONS[c.path].length);
        if (r.done === ids.length && r.waiting === 0 && ended.length === load.cases.length)
          return true;
      } catch {
        /* the database down for a moment */
      }
    }
    await sleep(1000);
  }
  return false;
}

/** How many cases have a registration number and how many are decided, for choosing the moment of a fault. */
export function progress(load: Load): { submitted: number; decided: number } {
  return {
    submitted: load.cases.filter((c) => c.registrationNumber).length,
    decided: load.cases.filter((c) => c.decided.length > 0).length,
  };
}
