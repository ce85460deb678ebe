import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createEngineHistory } from '../../src/engine/history.js';
import { engineVersion } from '../../src/engine/models.js';
import { createEngineTasks } from '../../src/engine/tasks.js';
import { createLogger } from '../../src/logger.js';
import { seedTestPrincipals } from './auth.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { startTestEngine, type TestEngine } from './test-engine.js';

/**
 * The whole API (every router, the engine's history, tasks and model deployment) on a fresh,
 * migrated database with its own engine, without workers or outbox: what the bad-input tests
 * need to reach every route's validation. Test principals are seeded (test/support/auth.ts).
 */
export interface ApiWithEngine {
  db: TestDatabase;
  pool: Pool;
  engine: TestEngine;
  /** http://127.0.0.1:port */
  base: string;
  logs: LogCapture;
  stop(): Promise<void>;
}

export async function startApiWithEngine(): Promise<ApiWithEngine> {
  const db = await createTestDatabase('az_housing_api');
  const pool = createPool({ connectionString: db.url, max: 10 });
  const logs = new LogCapture();
  let engine: TestEngine | undefined;
  try {
    await migrate(pool, createLogger('silent'));
    await seedTestPrincipals(pool);
    engine = await startTestEngine(db.url);
    const history = createEngineHistory(engine.rest, { webUrl: engine.webUrl });
    const app = createApp({
      pool,
      log: createLogger('warn', logs),
      engineReady: async () => true,
      onEngineMessagesQueued: () => undefined,
      auth: { sessionHours: 1 },
      history,
      tasks: createEngineTasks(engine.rest),
      modelEngine: { rest: engine.rest, history, engineVersion: await engineVersion(engine.rest) },
    });
    const server = await new Promise<Server>((done) => {
      const s = app.listen(0, '127.0.0.1', () => done(s));
    });
    const running = engine;
    return {
      db,
      pool,
      engine: running,
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      logs,
      async stop() {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        await running.stop();
        await pool.end();
        await db.drop();
      },
    };
  } catch (err) {
    await engine?.stop();
    await pool.end();
    await db.drop();
    throw err;
  }
}

/** md5 of every row of every table of the app's schema, by table. */
export async function tableDigest(pool: Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const { rows } = await pool.query(
    `SELECT ${tables
      .map(
        ({ t }) =>
          `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM public."${t}" x) AS "${t}"`,
      )
      .join(', ')}`,
  );
  return rows[0];
}
