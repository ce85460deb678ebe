import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createEngineHistory, type EngineHistory } from '../../src/engine/history.js';
import { engineVersion } from '../../src/engine/models.js';
import { createLogger } from '../../src/logger.js';
import { as, seedTestPrincipals } from './auth.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { startTestEngine, type TestEngine } from './test-engine.js';

/**
 * The API (createApp) on a fresh, migrated database with its own Operaton engine on that
 * database: what the operator console and the analyst view need, without workers or outbox.
 */
export interface EngineApp {
  db: TestDatabase;
  pool: Pool;
  engine: TestEngine;
  history: EngineHistory;
  engineVersion: string;
  logs: LogCapture;
  api(
    path: string,
    init?: { method?: string; body?: unknown; as?: string; anonymous?: boolean },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startEngineApp(): Promise<EngineApp> {
  const db = await createTestDatabase('az_housing_engine_views');
  const pool = createPool({ connectionString: db.url, max: 6 });
  const logs = new LogCapture();
  const log = createLogger('info', logs);
  let engine: TestEngine | undefined;
  let server: Server | undefined;
  try {
    await migrate(pool, createLogger('silent'));
    await seedTestPrincipals(pool);
    engine = await startTestEngine(db.url);
    const history = createEngineHistory(engine.rest, { webUrl: engine.webUrl });
    const version = await engineVersion(engine.rest);
    const app = createApp({
      pool,
      log,
      brokerReady: async () => true,
      onEngineMessagesQueued: () => undefined,
      auth: { sessionHours: 1 },
      history,
      modelEngine: { rest: engine.rest, history, engineVersion: version },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const running = engine;
    const srv = server;
    return {
      db,
      pool,
      engine: running,
      history,
      engineVersion: version,
      logs,
      async api(path, init = {}) {
        const res = await fetch(`${base}${path}`, {
          method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
          headers: {
            'content-type': 'application/json',
            ...(init.anonymous ? {} : as(init.as ?? 'operator-1')),
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        return { status: res.status, body, text, headers: res.headers };
      },
      async stop() {
        srv.closeAllConnections();
        await new Promise((r) => srv.close(r));
        await running.stop();
        await pool.end();
        await db.drop();
      },
    };
  } catch (err) {
    server?.close();
    await engine?.stop();
    await pool.end();
    await db.drop();
    throw err;
  }
}
