import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { migrate } from './migrate.js';
import { createPool, type Pool } from './pool.js';

export interface Database {
  pool: Pool;
  /** true when no DATABASE_URL is set and the app started its own server under DATA_DIR */
  embedded: boolean;
  /** the embedded server's address and credentials (for the engine's JDBC connection), if embedded */
  server?: EmbeddedDatabase;
  close(): Promise<void>;
}

/** Opens the configured database (real server, or the embedded default) and migrates it. */
export async function openDatabase(cfg: AppConfig, log: Logger): Promise<Database> {
  if (cfg.DATABASE_URL) {
    const pool = createPool({ connectionString: cfg.DATABASE_URL, max: cfg.DATABASE_POOL_MAX });
    await migrate(pool, log);
    return { pool, embedded: false, close: () => pool.end() };
  }
  const server = await startEmbeddedDatabase(cfg.DATA_DIR, log);
  log.info('DATABASE_URL not set: using the embedded PostgreSQL server under DATA_DIR');
  const pool = createPool({ connectionString: server.url, max: cfg.DATABASE_POOL_MAX });
  try {
    await migrate(pool, log);
  } catch (err) {
    await pool.end();
    await server.stop();
    throw err;
  }
  return {
    pool,
    embedded: true,
    server,
    async close() {
      // pool.end() waits for every checked-out client; a client stuck on a dead connection must
      // not keep the server running, so the server is stopped after at most 5 s either way.
      await Promise.race([
        pool.end().catch(() => undefined),
        new Promise((r) => setTimeout(r, 5000).unref()),
      ]);
      await server.stop();
    },
  };
}
