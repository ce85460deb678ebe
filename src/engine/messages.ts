import type { PoolClient } from '../db/pool.js';

/*
 * STUB (branch tasks-inbox): the real module comes from the workers-messages branch, which owns
 * this file (outbox dispatcher, messages, cancellations). When merging, take the workers-messages
 * version of this file as a whole (`git checkout --theirs/--ours` accordingly); only the signature
 * below is relied on here, and it is the same there.
 */

/**
 * A person's decision completes the engine's user task: the decision is committed first and the
 * completion sent after by the outbox (a task already completed or gone counts as done).
 */
export async function enqueueTaskCompletion(
  tx: PoolClient,
  c: { taskId: string; variables: Record<string, unknown>; commandId: string },
): Promise<void> {
  // pre-091 outbox shape (job_key / complete-job); the workers-messages migration renames both
  await tx.query(
    `INSERT INTO engine_outbox (kind, job_key, message_id, variables)
     VALUES ('complete-job', $1, $2, $3) ON CONFLICT (message_id) DO NOTHING`,
    [c.taskId, c.commandId, JSON.stringify(c.variables)],
  );
}
