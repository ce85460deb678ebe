import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from 'pino';
import type { Pool, PoolClient } from '../db/pool.js';

type ZeebeGrpcClient = Zeebe.ZeebeGrpcClient;

export interface EngineMessage {
  name: string;
  correlationKey: string;
  /** Unique per business event; Zeebe rejects a second message with the same id. */
  messageId: string;
  variables: Record<string, unknown>;
}

/** Call inside the transaction that records the business change. */
export async function enqueueMessage(tx: PoolClient, m: EngineMessage): Promise<void> {
  await tx.query(
    `INSERT INTO engine_outbox (message_name, correlation_key, message_id, variables)
     VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING`,
    [m.name, m.correlationKey, m.messageId, JSON.stringify(m.variables)],
  );
}

/**
 * A reviewer's decision completes the engine's user task: the decision is committed first
 * and the completion sent after (again after a crash; an already completed job is done).
 */
export async function enqueueJobCompletion(
  tx: PoolClient,
  c: { jobKey: string; variables: Record<string, unknown>; commandId: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO engine_outbox (kind, job_key, message_id, variables)
     VALUES ('complete-job', $1, $2, $3) ON CONFLICT (message_id) DO NOTHING`,
    [c.jobKey, c.commandId, JSON.stringify(c.variables)],
  );
}

/** Cancels a process instance (e.g. a withdrawn application); already gone counts as done. */
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

/** How long a published message waits in the engine for its catch event or start. */
const MESSAGE_TTL_MS = 24 * 60 * 60 * 1000;

function isAlreadyExists(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e.code === 6 || /ALREADY_EXISTS/i.test(e.message ?? '');
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e.code === 5 || /NOT_FOUND/i.test(e.message ?? '');
}

/**
 * Publishes pending outbox rows in order. Rows are locked with SKIP LOCKED so several app
 * instances can dispatch side by side; a row is marked published only after the engine took it.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly pool: Pool,
    private readonly zeebe: ZeebeGrpcClient,
    private readonly log: Logger,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
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
        this.log.warn({ err: (err as Error).message }, 'outbox dispatch failed; will retry'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async dispatch(batch = 50): Promise<number> {
    const client = await this.pool.connect();
    let sent = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        id: string;
        kind: string;
        job_key: string | null;
        message_name: string;
        correlation_key: string;
        message_id: string;
        variables: Record<string, unknown>;
      }>(
        `SELECT id, kind, job_key, message_name, correlation_key, message_id, variables FROM engine_outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      for (const row of rows) {
        try {
          if (row.kind === 'complete-job') {
            await this.zeebe.completeJob({
              jobKey: row.job_key!,
              variables: row.variables as never,
            });
          } else if (row.kind === 'cancel-instance') {
            await this.zeebe.cancelProcessInstance(row.correlation_key);
          } else {
            await this.zeebe.publishMessage({
              name: row.message_name,
              correlationKey: row.correlation_key,
              messageId: row.message_id,
              variables: row.variables as never,
              timeToLive: MESSAGE_TTL_MS,
            });
          }
        } catch (err) {
          const done = row.kind === 'message' ? isAlreadyExists(err) : isNotFound(err);
          if (done)
            this.log.info({ outboxId: row.id, kind: row.kind }, 'engine command already applied');
          else {
            await client.query(
              `UPDATE engine_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
              [row.id, (err as Error).message.slice(0, 500)],
            );
            break; // keep order: later rows wait for this one
          }
        }
        await client.query(
          `UPDATE engine_outbox SET published_at = now(), attempts = attempts + 1 WHERE id = $1`,
          [row.id],
        );
        sent++;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    return sent;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.again = false;
    await this.running;
  }
}
