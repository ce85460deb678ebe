import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  connectionString: string;
  max: number;
  applicationName?: string;
}

/**
 * Sane limits: a bounded pool, a connect timeout so a dead database fails fast instead of
 * hanging requests, and a statement timeout so one slow query cannot hold a connection forever.
 */
export function createPool(opts: PoolOptions): Pool {
  // bigint (int8) columns such as registration numbers come back as JS numbers: they stay
  // far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 30_000,
    application_name: opts.applicationName ?? 'az-housing',
  });
  // An idle client's error (e.g. the server restarted) must not crash the process; the pool
  // drops that client and the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs fn in one transaction; rolls back on any error. */
export async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client whose connection breaks (the server restarted) emits 'error' besides
  // failing its query; with no listener that event would crash the process. The query's own
  // failure reaches the caller below.
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // a connection that cannot even roll back is dropped, not given back to the pool
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}
