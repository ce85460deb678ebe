import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { startEmbeddedDatabase } from './embedded.js';
import { migrate } from './migrate.js';
import { createPool, type Pool } from './pool.js';

export interface Database {
  pool: Pool;
  embedded: boolean;
  close(): Promise<void>;
}

/** Opens the configured database (real server, or the embedded default) and migrates it. */
export async function openDatabase(cfg: AppConfig, log: Logger): Promise<Database> {
  if (cfg.DATABASE_URL) {
    const pool = createPool({ connectionString: cfg.DATABASE_URL, max: cfg.DATABASE_POOL_MAX });
    await migrate(pool, log);
    return { pool, embedded: false, close: () => pool.end() };
  }
  const embedded = await startEmbeddedDatabase(cfg.DATA_DIR);
  log.info('DATABASE_URL not set: using the embedded database under DATA_DIR');
  const pool = createPool({ connectionString: embedded.url, max: 1 });
  try {
    await migrate(pool, log, { lock: false });
  } catch (err) {
    await pool.end();
    await embedded.stop();
    throw err;
  }
  return {
    pool,
    embedded: true,
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}
