import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createEngineRest, type EngineRest } from '../../src/engine/rest.js';
import { jdbcFromDatabaseUrl, startEngine } from '../../src/engine/runtime.js';
import { engineWebUrl } from '../../src/engine/history.js';

/**
 * One Operaton engine for one test file, on that file's fresh database, on a free port (the
 * project's runtime: built once into the hash-keyed cache, then started per file).
 */
export interface TestEngine {
  /** …/engine-rest */
  url: string;
  /** the engine's web address (Cockpit) */
  webUrl: string;
  user: string;
  password: string;
  rest: EngineRest;
  stop(): Promise<void>;
}

const CACHE_DIR =
  process.env.ENGINE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'az-housing', 'engine');

export async function startTestEngine(databaseUrl: string): Promise<TestEngine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-engine-test-'));
  const user = 'housingtest';
  const password = randomBytes(18).toString('base64url');
  const jdbc = jdbcFromDatabaseUrl(databaseUrl);
  const running = await startEngine(
    {
      cacheDir: CACHE_DIR,
      dataDir,
      logFile: path.join(dataDir, 'engine.log'),
      jdbcUrl: jdbc.jdbcUrl,
      jdbcUser: jdbc.user,
      jdbcPassword: jdbc.password,
      port: 0,
      bind: '127.0.0.1',
      user,
      password,
      heap: '512m',
      readyTimeoutMs: 180_000,
    },
    pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  );
  return {
    url: running.url,
    webUrl: engineWebUrl(running.url),
    user,
    password,
    rest: createEngineRest({ url: running.url, user, password }),
    async stop() {
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
