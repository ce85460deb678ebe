import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';
import { migrationsDir } from '../paths.js';
import type { Pool } from './pool.js';

/** Applies pending migrations (node-pg-migrate, SQL files in src/db/migrations). */
export async function migrate(pool: Pool, log: Logger): Promise<string[]> {
  const client = await pool.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: migrationsDir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      count: Infinity,
      checkOrder: true,
      log: () => undefined,
    });
    const names = applied.map((m) => m.name);
    if (names.length > 0) log.info({ migrations: names }, 'database migrated');
    return names;
  } finally {
    client.release();
  }
}
