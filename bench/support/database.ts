import pg from 'pg';

/**
 * The PostgreSQL server every benchmark makes its scratch database on (PG_ADMIN_URL, or the
 * tests' TEST_PG_ADMIN_URL; default the machine's server with trust auth).
 */
export const ADMIN_URL =
  process.env.PG_ADMIN_URL ??
  process.env.TEST_PG_ADMIN_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';

/** The same server's URL for another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** One statement on the server's admin database (CREATE/DROP DATABASE, pg_stat_activity). */
export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}
