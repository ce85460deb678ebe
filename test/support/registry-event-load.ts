import { civilDateInBaku } from '../../src/domain/calendar.js';
import type { EngineRest } from '../../src/engine/rest.js';
import { ok } from '../../src/engine/rest.js';
import { as } from './auth.js';
import type { Pool } from '../../src/db/pool.js';
import { sleep } from './load.js';
import { insertEntry } from './waitlist-entries.js';

/**
 * Registry events under load (issue 14, fault 5): for each of n registered people on the
 * Nasimi general list, the residence registry reports a move away (Housing Code 55.1.3) — the
 * same event twice at once; the seizure case it opens is decided (removal, sent twice at once)
 * by a scripted reviewer; after the case ended the same event comes once more, and so does a
 * new event about the same person (a death) and a redelivery of the engine message that
 * started the case. Each must have exactly one effect.
 */
export interface RegistryLoadCase {
  index: number;
  fin: string;
  entryId?: string;
  eventId: string;
  /** HTTP statuses of the two deliveries sent at once, sorted */
  firstPair?: number[];
  /** both answers named the same single case */
  sameResult?: boolean;
  caseId?: string;
  /** statuses of the two removal decisions sent at once, sorted */
  decisionPair?: number[];
  ended?: boolean;
  /** the same event after the case ended: status, and whether it gave the first result */
  lateRepeat?: { status: number; sameResult: boolean };
  /** a new event (death) about the removed person: status and entries it matched */
  lateOther?: { status: number; matchedEntries: number; casesOpened: number };
  problem?: string;
}

export const REGISTRY_DECISION = {
  outcome: 'remove',
  legalGround: 'remove-moved-away',
  reason: 'Yaşayış yeri registri başqa yerə köçdüyünü təsdiq edir (Mənzil Məcəlləsi 55.1.3).',
};

/** The same JSON whatever the order of its keys (a stored result comes back from jsonb sorted). */
export function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

interface Answer {
  status: number;
  body: any;
}

export class RegistryEventLoad {
  readonly cases: RegistryLoadCase[];
  private readonly reviewer = as('nasimi-reviewer-1');

  constructor(
    private readonly deps: { apiUrl: string; pool: Pool; engine: EngineRest; token: string },
    n: number,
    finPrefix: string,
  ) {
    this.cases = Array.from({ length: n }, (_, i) => ({
      index: i,
      fin: `${finPrefix}${String(i).padStart(7 - finPrefix.length, '0')}`,
      eventId: `residence:load:${finPrefix}:${i}`,
    }));
  }

  private async post(path: string, headers: Record<string, string>, body: unknown) {
    try {
      const res = await fetch(`${this.deps.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed } as Answer;
    } catch (err) {
      return { status: 0, body: String(err) } as Answer;
    }
  }

  private event(c: RegistryLoadCase) {
    return {
      eventId: c.eventId,
      source: 'residence',
      kind: 'moved-away',
      fin: c.fin,
      occurredOn: civilDateInBaku(new Date()),
    };
  }

  private sendEvent(body: unknown) {
    return this.post(
      '/api/v1/registry-events',
      { authorization: `Bearer ${this.deps.token}` },
      body,
    );
  }

  /** One person's whole story; a problem is recorded on the case, never thrown. */
  private async one(c: RegistryLoadCase, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const q = (sql: string, p: unknown[]) => this.deps.pool.query(sql, p);
    c.entryId = await insertEntry(this.deps.pool, { fin: c.fin, registrationDate: '2012-04-01' });
    // the same event twice at once (a registry retrying a request whose answer it lost)
    const ev = this.event(c);
    let pair: Answer[] = [];
    while (Date.now() < deadline) {
      pair = await Promise.all([this.sendEvent(ev), this.sendEvent(ev)]);
      if (pair.every((a) => a.status === 200 || a.status === 201)) break;
      // the API busy or down for a moment (0, 503): the registry tries again
      await sleep(500);
    }
    c.firstPair = pair.map((a) => a.status).sort();
    const opened = pair.map((a) => (a.body?.casesOpened ?? []) as string[]);
    c.sameResult = sameJson(pair[0]?.body, pair[1]?.body) && opened[0]?.length === 1;
    c.caseId = opened[0]?.[0];
    if (!c.caseId) {
      c.problem = `no case opened: ${JSON.stringify(c.firstPair)}`;
      return;
    }
    // the reviewer decides the removal when the task shows (sent twice at once: a double click)
    let taskId: string | undefined;
    while (!taskId && Date.now() < deadline) {
      const { rows } = await q(
        `SELECT task_id AS "taskId" FROM review_task
          WHERE case_id = $1 AND completed_at IS NULL AND outcome IS NULL`,
        [c.caseId],
      ).catch(() => ({ rows: [] as any[] }));
      taskId = (rows[0] as { taskId?: string } | undefined)?.taskId;
      if (!taskId) await sleep(300);
    }
    if (!taskId) {
      c.problem = 'no review task';
      return;
    }
    let decided: Answer[] = [];
    while (Date.now() < deadline) {
      const path = `/api/v1/review-tasks/${taskId}/decision`;
      decided = await Promise.all([
        this.post(path, this.reviewer, REGISTRY_DECISION),
        this.post(path, this.reviewer, REGISTRY_DECISION),
      ]);
      if (decided.some((a) => a.status === 200) || decided.every((a) => a.status === 409)) break;
      await sleep(500);
    }
    c.decisionPair = decided.map((a) => a.status).sort();
    // the case ends: the slot released and the engine's instance finished
    while (!c.ended && Date.now() < deadline) {
      try {
        const { rows } = await q(
          `SELECT e.status FROM waitlist_entry e JOIN waitlist_case k ON k.entry_id = e.id
            WHERE k.id = $1 AND k.outcome = 'removed'`,
          [c.caseId],
        );
        const running = ok(
          await this.deps.engine.GET('/process-instance', {
            params: { query: { businessKey: c.caseId } },
          }),
        );
        c.ended =
          (rows[0] as { status?: string } | undefined)?.status === 'removed' && !running.length;
      } catch {
        /* engine or database busy: next round */
      }
      if (!c.ended) await sleep(500);
    }
    if (!c.ended) {
      c.problem = 'case did not end';
      return;
    }
    // late: the same event again, and a new event about the same person
    const again = await this.sendEvent(ev);
    c.lateRepeat = {
      status: again.status,
      sameResult: sameJson(again.body, pair[0]?.body),
    };
    const death = await this.sendEvent({
      eventId: `civil-status:load:${c.fin}`,
      source: 'civil-status',
      kind: 'death',
      fin: c.fin,
      occurredOn: civilDateInBaku(new Date()),
    });
    c.lateOther = {
      status: death.status,
      matchedEntries: death.body?.matchedEntries ?? -1,
      casesOpened: (death.body?.casesOpened ?? []).length,
    };
  }

  /** Runs every person's story, a few at a time (registries push events as they happen). */
  async run(concurrency = 4, timeoutMs = 600_000): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < this.cases.length) {
          const c = this.cases[next++]!;
          try {
            await this.one(c, timeoutMs);
          } catch (err) {
            c.problem = `failed: ${(err as Error).message}`;
          }
        }
      }),
    );
  }
}
