import { createHash } from 'node:crypto';
import type { PoolClient } from '../db/pool.js';
import { CaseError } from './errors.js';

/** An Idempotency-Key as the caller sent it, with who sent it and what it asked. */
export interface IdempotencyScope {
  /** the service client or account: keys of different callers never meet */
  caller: string;
  key: string;
  /** which operation the key was used for (a key is not shared between operations) */
  operation: string;
  /** the request (method, path, body): hashed, never stored */
  request: unknown;
}

export interface StoredAnswer<T> {
  status: number;
  body: T;
  /** true when this is the answer of an earlier request with the same key */
  replayed: boolean;
}

/** Keys can be reused for another request this long after their first use. */
const KEY_LIFETIME = '24 hours';

/** JSON with sorted keys, so that the same request always hashes alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Runs `fn` once per (caller, key) in the caller's transaction: the key row is inserted first,
 * so a concurrent request with the same key waits on it (unique index) and then gets the stored
 * answer; a crash before the commit leaves neither the key nor the effect. The same key with a
 * different request is refused (422 naming the header), as the IETF Idempotency-Key draft says.
 */
export async function onceByKey<T>(
  tx: PoolClient,
  scope: IdempotencyScope,
  fn: () => Promise<{ status: number; body: T }>,
): Promise<StoredAnswer<T>> {
  const hash = createHash('sha256')
    .update(`${scope.operation}\n${canonical(scope.request)}`, 'utf8')
    .digest();
  // Expired keys go a few at a time with the requests that add keys (no job needed).
  await tx.query(
    `DELETE FROM idempotency_key WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM idempotency_key WHERE created_at < now() - interval '${KEY_LIFETIME}'
        LIMIT 20 FOR UPDATE SKIP LOCKED))`,
  );
  const inserted = await tx.query(
    `INSERT INTO idempotency_key (caller, key, operation, request_sha256) VALUES ($1, $2, $3, $4)
     ON CONFLICT (caller, key) DO UPDATE
        SET operation = EXCLUDED.operation, request_sha256 = EXCLUDED.request_sha256,
            status = NULL, response = NULL, created_at = now()
      WHERE idempotency_key.created_at < now() - interval '${KEY_LIFETIME}'
     RETURNING 1`,
    [scope.caller, scope.key, scope.operation, hash],
  );
  if (inserted.rowCount === 0) {
    const { rows } = await tx.query<{
      operation: string;
      request_sha256: Buffer;
      status: number | null;
      response: T;
    }>(
      `SELECT operation, request_sha256, status, response FROM idempotency_key
        WHERE caller = $1 AND key = $2`,
      [scope.caller, scope.key],
    );
    const row = rows[0]!;
    if (
      row.operation !== scope.operation ||
      !row.request_sha256.equals(hash) ||
      row.status === null
    )
      throw new CaseError(
        'unprocessable',
        'this Idempotency-Key was already used for a different request',
        [{ field: 'Idempotency-Key', message: 'already used for a different request' }],
      );
    return { status: row.status, body: row.response, replayed: true };
  }
  const answer = await fn();
  await tx.query(
    `UPDATE idempotency_key SET status = $3, response = $4 WHERE caller = $1 AND key = $2`,
    [scope.caller, scope.key, answer.status, JSON.stringify(answer.body)],
  );
  return { ...answer, replayed: false };
}
