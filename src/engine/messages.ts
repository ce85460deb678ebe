/**
 * The transactional outbox to the engine: messages (start a process / reach a waiting one), user
 * task completions and instance cancellations, written in the transaction of the case change that
 * causes them and dispatched after it commits.
 *
 * Operaton neither buffers nor deduplicates messages, so this module does:
 * - a message that starts a process starts it with business key = the correlation key, after
 *   checking (in the history, which holds running instances too) that no instance of that process
 *   has that business key: a crash between the start and the row's outcome never creates a second
 *   instance;
 * - a message for a catch event is correlated by the event's correlation variable; when no instance
 *   waits yet it is retried with backoff until the row's deadline (then dropped, logged); when the
 *   case's instances have all ended it is a late message: dropped at once, logged once;
 * - a message that both starts one process and is caught by another does both, each part once.
 *
 * No database transaction is held across an engine call: rows are claimed with a lease in a short
 * transaction (SKIP LOCKED, so several app instances dispatch side by side), the engine is called,
 * and the outcome is recorded in another short transaction.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Pool, PoolClient } from '../db/pool.js';
import { workflowsDir } from '../paths.js';
import { type EngineRest, EngineError, ok } from './rest.js';
import { toEngineVariables } from './variables.js';

// ---------------------------------------------------------------------------------------------
// Enqueue (inside the caller's transaction)

export interface EngineMessage {
  name: string;
  /** The case id: the business key of a started process, the correlation variable's value. */
  correlationKey: string;
  /** Unique per business event: a second enqueue with the same id is a no-op. */
  messageId: string;
  variables: Record<string, unknown>;
  /** How long a message may wait for its catch event (default 24 h). */
  ttlMs?: number;
}

export const DEFAULT_MESSAGE_TTL_MS = 24 * 60 * 60 * 1000;

/** Call inside the transaction that records the business change. */
export async function enqueueMessage(tx: PoolClient, m: EngineMessage): Promise<void> {
  await tx.query(
    `INSERT INTO engine_outbox (kind, message_name, correlation_key, message_id, variables, deadline_at)
     VALUES ('message', $1, $2, $3, $4, now() + make_interval(secs => $5::double precision / 1000))
     ON CONFLICT (message_id) DO NOTHING`,
    [
      m.name,
      m.correlationKey,
      m.messageId,
      JSON.stringify(m.variables),
      m.ttlMs ?? DEFAULT_MESSAGE_TTL_MS,
    ],
  );
}

/**
 * A person's decision completes the engine's user task: the decision is committed first and the
 * completion sent after (again after a crash; a task already completed or gone counts as done).
 */
export async function enqueueTaskCompletion(
  tx: PoolClient,
  c: { taskId: string; variables: Record<string, unknown>; commandId: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO engine_outbox (kind, task_id, message_id, variables)
     VALUES ('complete-task', $1, $2, $3) ON CONFLICT (message_id) DO NOTHING`,
    [c.taskId, c.commandId, JSON.stringify(c.variables)],
  );
}

/** Cancels a process instance (e.g. a withdrawn application); one already ended counts as done. */
export async function enqueueCancelInstance(
  tx: PoolClient,
  c: { processInstanceKey: string; commandId: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO engine_outbox (kind, correlation_key, message_id) VALUES ('cancel-instance', $1, $2)
     ON CONFLICT (message_id) DO NOTHING`,
    [c.processInstanceKey, c.commandId],
  );
}

// ---------------------------------------------------------------------------------------------
// The message catalog (workflows/messages.json, written from the models)

export interface MessageCatalogEntry {
  /** The process variable a catch event is correlated by (null: the message only starts). */
  correlationVariable: string | null;
  /** Process definition keys this message starts. */
  starts: string[];
  /** `processKey#activityId` of the events that wait for it. */
  catches: string[];
}
export type MessageCatalog = Record<string, MessageCatalogEntry>;

export const defaultMessageCatalogFile = () => path.join(workflowsDir, 'messages.json');

export function loadMessageCatalog(file = defaultMessageCatalogFile()): MessageCatalog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as MessageCatalog;
}

// ---------------------------------------------------------------------------------------------
// Pure rules (unit-tested)

/** Backoff before the next attempt: base, 2×base, 4×base … up to max. */
export function nextAttemptDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempts, 30)));
}

export type NoMatchDecision = 'late' | 'expired' | 'retry';

/**
 * No instance waits for a message. Late: the case's instances (of the catching processes, with
 * this correlation value) exist and have all ended — nothing will ever wait again. Expired: the
 * row's deadline passed. Otherwise the instance may not have reached its catch event yet: retry.
 */
export function decideNoMatch(i: {
  now: Date;
  deadlineAt: Date;
  instances: { ended: boolean }[];
}): NoMatchDecision {
  if (i.instances.length > 0 && i.instances.every((x) => x.ended)) return 'late';
  if (i.now >= i.deadlineAt) return 'expired';
  return 'retry';
}

// ---------------------------------------------------------------------------------------------
// Dispatcher

export interface OutboxRow {
  id: string;
  kind: 'message' | 'complete-task' | 'cancel-instance';
  message_name: string | null;
  correlation_key: string | null;
  task_id: string | null;
  message_id: string;
  variables: Record<string, unknown>;
  attempts: number;
  deadline_at: Date;
  started_instance_id: string | null;
  correlated_at: Date | null;
}

/** What one attempt at a row came to. */
export type RowOutcome =
  | { kind: 'published'; note?: string }
  | { kind: 'dropped'; reason: string }
  | { kind: 'retry'; error: string }
  | { kind: 'progress'; startedInstanceId?: string; correlated?: boolean; error: string };

export interface OutboxDispatcherOptions {
  /** Message catalog; default: workflows/messages.json, re-read when the file changes. */
  catalog?: MessageCatalog;
  catalogFile?: string;
  /** Poll for due rows (default 2 s); kick() dispatches at once. */
  intervalMs?: number;
  batch?: number;
  /** How long a claimed row stays ours (default 2 min). */
  leaseMs?: number;
  /** Backoff of a row that could not be delivered yet (default 1 s doubling up to 5 min). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Timeout of one engine call (default 30 s). */
  requestTimeoutMs?: number;
  /** Identifies this dispatcher's leases (default hostname-pid-random). */
  dispatcherId?: string;
}

class NotWaiting extends Error {}

/**
 * No engine listens (connection refused, no route): a crashed or stopped engine, not a slow one.
 * A timeout or a dropped connection still counts as an attempt (the engine may be working).
 */
function engineUnreachable(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code);
}

export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;
  private catalogCache: { mtimeMs: number; catalog: MessageCatalog } | undefined;
  private readonly id: string;
  private readonly opts: Required<Omit<OutboxDispatcherOptions, 'catalog' | 'dispatcherId'>> &
    Pick<OutboxDispatcherOptions, 'catalog'>;

  constructor(
    private readonly pool: Pool,
    private readonly rest: EngineRest,
    private readonly log: Logger,
    opts: OutboxDispatcherOptions = {},
  ) {
    this.id =
      opts.dispatcherId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.opts = {
      catalog: opts.catalog,
      catalogFile: opts.catalogFile ?? defaultMessageCatalogFile(),
      intervalMs: opts.intervalMs ?? 2000,
      batch: opts.batch ?? 20,
      leaseMs: opts.leaseMs ?? 120_000,
      retryBaseMs: opts.retryBaseMs ?? 1000,
      retryMaxMs: opts.retryMaxMs ?? 5 * 60_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
    };
  }

  start(): void {
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.opts.intervalMs);
    this.kick();
  }

  /** Dispatch now (called right after a commit that enqueued something). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.dispatch()
      .then(() => undefined)
      .catch((err: unknown) =>
        this.log.warn({ err: (err as Error).message }, 'engine outbox dispatch failed; will retry'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again && this.timer) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Finishes the row in hand (not the whole batch: the engine may be down) and gives the rest back. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.again = false;
    await this.running;
  }

  private catalog(): MessageCatalog {
    if (this.opts.catalog) return this.opts.catalog;
    const mtimeMs = fs.statSync(this.opts.catalogFile).mtimeMs;
    if (this.catalogCache?.mtimeMs !== mtimeMs)
      this.catalogCache = { mtimeMs, catalog: loadMessageCatalog(this.opts.catalogFile) };
    return this.catalogCache.catalog;
  }

  /** Claims due rows (short transaction), delivers them, records each outcome. Returns rows finished. */
  async dispatch(): Promise<number> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE engine_outbox o SET locked_until = now() + make_interval(secs => $2::double precision / 1000),
              locked_by = $3
        WHERE o.id IN (SELECT id FROM engine_outbox
                        WHERE status = 'pending' AND next_attempt_at <= now()
                          AND (locked_until IS NULL OR locked_until < now())
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING o.id::text AS id, o.kind, o.message_name, o.correlation_key, o.task_id, o.message_id,
                  o.variables, o.attempts, o.deadline_at, o.started_instance_id, o.correlated_at`,
      [this.opts.batch, this.opts.leaseMs, this.id],
    );
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    let finished = 0;
    for (const [i, row] of rows.entries()) {
      if (this.stopping) {
        // stopping: the rows not tried yet are released now instead of after their lease
        await this.pool.query(
          `UPDATE engine_outbox SET locked_until = NULL, locked_by = NULL
            WHERE id = ANY($1::bigint[]) AND locked_by = $2`,
          [rows.slice(i).map((r) => r.id), this.id],
        );
        break;
      }
      let outcome: RowOutcome;
      try {
        outcome = await this.deliver(row);
      } catch (err) {
        if (engineUnreachable(err)) {
          // Our engine is down, not the row at fault: the row and the rest of the batch go back
          // at once, with no attempt counted, so that an app whose engine still answers (another
          // node) delivers them instead of finding them pushed back by our backoff.
          await this.pool.query(
            `UPDATE engine_outbox SET locked_until = NULL, locked_by = NULL
              WHERE id = ANY($1::bigint[]) AND locked_by = $2`,
            [rows.slice(i).map((r) => r.id), this.id],
          );
          this.log.debug({ err: (err as Error).message }, 'engine unreachable; rows given back');
          break;
        }
        outcome = { kind: 'retry', error: (err as Error).message };
      }
      if (await this.record(row, outcome)) finished++;
    }
    return finished;
  }

  /** Records an attempt's outcome in its own short transaction; true when the row is finished. */
  private async record(row: OutboxRow, o: RowOutcome): Promise<boolean> {
    const rlog = this.log.child({
      outboxId: row.id,
      kind: row.kind,
      message: row.message_name ?? undefined,
    });
    switch (o.kind) {
      case 'published':
        await this.pool.query(
          `UPDATE engine_outbox SET status = 'published', published_at = now(), attempts = attempts + 1,
                  last_error = $2, locked_until = NULL, locked_by = NULL WHERE id = $1`,
          [row.id, o.note ?? null],
        );
        rlog.debug('engine outbox row delivered');
        return true;
      case 'dropped':
        await this.pool.query(
          `UPDATE engine_outbox SET status = 'dropped', dropped_at = now(), drop_reason = $2,
                  attempts = attempts + 1, locked_until = NULL, locked_by = NULL WHERE id = $1`,
          [row.id, o.reason],
        );
        rlog.warn({ reason: o.reason }, 'engine message dropped');
        return true;
      case 'retry':
      case 'progress': {
        const delay = nextAttemptDelayMs(row.attempts, this.opts.retryBaseMs, this.opts.retryMaxMs);
        await this.pool.query(
          `UPDATE engine_outbox SET attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
                  started_instance_id = coalesce($4, started_instance_id),
                  correlated_at = CASE WHEN $5 THEN now() ELSE correlated_at END,
                  locked_until = NULL, locked_by = NULL
            WHERE id = $1`,
          [
            row.id,
            o.error.slice(0, 500),
            delay,
            o.kind === 'progress' ? (o.startedInstanceId ?? null) : null,
            o.kind === 'progress' && !!o.correlated,
          ],
        );
        const level = row.attempts === 0 ? 'info' : 'debug';
        rlog[level](
          { attempts: row.attempts + 1, retryInMs: delay, err: o.error },
          'engine outbox row will be retried',
        );
        return false;
      }
    }
  }

  private async deliver(row: OutboxRow): Promise<RowOutcome> {
    if (row.kind === 'complete-task') return this.completeTask(row);
    if (row.kind === 'cancel-instance') return this.cancelInstance(row);
    return this.deliverMessage(row);
  }

  private signal = () => AbortSignal.timeout(this.opts.requestTimeoutMs);

  private async completeTask(row: OutboxRow): Promise<RowOutcome> {
    const id = row.task_id!;
    try {
      ok(
        await this.rest.POST('/task/{id}/complete', {
          params: { path: { id } },
          body: { variables: toEngineVariables(row.variables), withVariablesInReturn: false },
          signal: this.signal(),
        }),
      );
      return { kind: 'published' };
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      // already completed (a retry after a crash) or gone (instance cancelled): done
      if ((await this.taskExists(id)) === false)
        return { kind: 'published', note: 'task already completed or gone' };
      throw err;
    }
  }

  private async taskExists(id: string): Promise<boolean> {
    const r = ok(
      await this.rest.GET('/task/count', {
        params: { query: { taskId: id } },
        signal: this.signal(),
      }),
    );
    return (r.count ?? 0) > 0;
  }

  private async cancelInstance(row: OutboxRow): Promise<RowOutcome> {
    const id = row.correlation_key!;
    try {
      ok(
        await this.rest.DELETE('/process-instance/{id}', {
          params: { path: { id }, query: { skipSubprocesses: false } },
          signal: this.signal(),
        }),
      );
      return { kind: 'published' };
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      const r = ok(
        await this.rest.GET('/process-instance/count', {
          params: { query: { processInstanceIds: id } },
          signal: this.signal(),
        }),
      );
      if ((r.count ?? 0) === 0) return { kind: 'published', note: 'instance already ended' };
      throw err;
    }
  }

  private async deliverMessage(row: OutboxRow): Promise<RowOutcome> {
    const name = row.message_name!;
    const key = row.correlation_key!;
    const entry = this.catalog()[name];
    if (!entry) {
      if (new Date() >= row.deadline_at)
        return { kind: 'dropped', reason: `message ${name} is not in the message catalog` };
      return { kind: 'retry', error: `message ${name} is not in the message catalog` };
    }

    // 1. The processes it starts (once per business key).
    let startedInstanceId: string | undefined;
    if (entry.starts.length > 0 && !row.started_instance_id) {
      const ids: string[] = [];
      for (const processKey of entry.starts) ids.push(await this.startOnce(processKey, key, row));
      startedInstanceId = ids.join(',');
    }
    const catches = entry.catches.length > 0 && !row.correlated_at;
    if (!catches) return { kind: 'published' };

    // 2. The instance that waits for it.
    try {
      await this.correlate(name, entry, key, row.variables);
      return { kind: 'published' };
    } catch (err) {
      if (!(err instanceof NotWaiting)) {
        if (startedInstanceId)
          return { kind: 'progress', startedInstanceId, error: (err as Error).message };
        throw err;
      }
    }
    const instances = await this.caseInstances(entry, key);
    const decision = decideNoMatch({ now: new Date(), deadlineAt: row.deadline_at, instances });
    const startedSomething = entry.starts.length > 0;
    if (decision === 'late') {
      const reason = `late: every instance waiting for ${name} with ${entry.correlationVariable} = the case has ended`;
      return startedSomething ? { kind: 'published', note: reason } : { kind: 'dropped', reason };
    }
    if (decision === 'expired') {
      const reason = `deadline passed: no instance waited for ${name}`;
      return startedSomething ? { kind: 'published', note: reason } : { kind: 'dropped', reason };
    }
    const error = `no instance waits for ${name} yet`;
    return startedInstanceId
      ? { kind: 'progress', startedInstanceId, error }
      : { kind: 'retry', error };
  }

  /**
   * Starts the process with this business key unless an instance (running or ended) has it. One
   * lookup in the history: the engine (history level full) writes an instance's history row in
   * the transaction that starts it, so running instances are there too.
   */
  private async startOnce(
    processKey: string,
    businessKey: string,
    row: OutboxRow,
  ): Promise<string> {
    const existing = ok(
      await this.rest.GET('/history/process-instance', {
        params: {
          query: {
            processInstanceBusinessKey: businessKey,
            processDefinitionKey: processKey,
            maxResults: 1,
          },
        },
        signal: this.signal(),
      }),
    );
    if (existing[0]?.id) return existing[0].id;
    const started = ok(
      await this.rest.POST('/process-definition/key/{key}/start', {
        params: { path: { key: processKey } },
        body: { businessKey, variables: toEngineVariables(row.variables) },
        signal: this.signal(),
      }),
    );
    this.log.info(
      { outboxId: row.id, process: processKey, processInstanceId: started.id },
      'process started by message',
    );
    return started.id!;
  }

  /**
   * Delivers the message to the instance waiting for it (correlated by the catch event's
   * variable); NotWaiting when none waits.
   */
  private async correlate(
    name: string,
    entry: MessageCatalogEntry,
    key: string,
    variables: Record<string, unknown>,
  ): Promise<void> {
    const variable = entry.correlationVariable;
    if (!variable) throw new Error(`message ${name} is caught but names no correlation variable`);
    if (entry.starts.length === 0) {
      const r = await this.rest.POST('/message', {
        body: {
          messageName: name,
          correlationKeys: { [variable]: { value: key, type: 'String' } },
          processVariables: toEngineVariables(variables),
          withoutTenantId: null,
          all: false,
          resultEnabled: false,
          variablesInResultEnabled: false,
        },
        signal: this.signal(),
      });
      if (r.response.status === 400) {
        // the engine answers type RestException, the exception's name in the message
        const e = (r.error ?? {}) as { type?: string; message?: string };
        if (/MismatchingMessageCorrelationException/.test(`${e.type} ${e.message}`))
          throw new NotWaiting();
      }
      ok(r);
      return;
    }
    // The same name also starts a process: POST /message would start a second instance of it
    // when no execution waits (the engine falls back to start events), so the waiting execution
    // is looked up and triggered directly.
    const executions = ok(
      await this.rest.POST('/execution', {
        body: {
          messageEventSubscriptionName: name,
          active: true,
          processVariables: [{ name: variable, operator: 'eq', value: key }],
        },
        params: { query: { maxResults: 2 } },
        signal: this.signal(),
      }),
    );
    const execution = executions[0]?.id;
    if (!execution) throw new NotWaiting();
    ok(
      await this.rest.POST('/execution/{id}/messageSubscriptions/{messageName}/trigger', {
        params: { path: { id: execution, messageName: name } },
        body: { variables: toEngineVariables(variables) },
        signal: this.signal(),
      }),
    );
  }

  /** The instances of the catching processes that have (or had) this correlation value. */
  private async caseInstances(
    entry: MessageCatalogEntry,
    key: string,
  ): Promise<{ ended: boolean }[]> {
    const processKeys = [...new Set(entry.catches.map((c) => c.split('#')[0]!))];
    const list = ok(
      await this.rest.POST('/history/process-instance', {
        body: {
          processDefinitionKeyIn: processKeys,
          variables: [{ name: entry.correlationVariable!, operator: 'eq', value: key }],
        },
        params: { query: { maxResults: 100 } },
        signal: this.signal(),
      }),
    );
    return list.map((p) => ({ ended: !!p.endTime }));
  }
}
