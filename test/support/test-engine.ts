import { eventually as waitFor } from './eventually.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineWebUrl } from '../../src/engine/history.js';
import { createEngineRest, type EngineRest, ok } from '../../src/engine/rest.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import {
  type EngineOptions,
  jdbcFromDatabaseUrl,
  type RunningEngine,
  startEngine,
} from '../../src/engine/runtime.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture as BaseLogCapture, TEST_RUNS_DIR } from './log-capture.js';

/**
 * An engine for one test file (src/engine/runtime.ts startEngine) on a test database, port 0.
 * kill() is a SIGKILL of the JVM's process group; restart() starts it again on the same port,
 * so clients keep their URL.
 */
export interface TestEngine {
  /** …/engine-rest */
  url: string;
  /** the engine's web address (Cockpit) */
  webUrl: string;
  port: number;
  user: string;
  password: string;
  rest: EngineRest;
  /** SIGKILL, no clean shutdown */
  kill(): Promise<void>;
  /** start again on the same port and database */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const CACHE_DIR =
  process.env.ENGINE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'az-housing', 'engine');

export async function startTestEngine(
  databaseUrl: string,
  extra: Partial<EngineOptions> = {},
): Promise<TestEngine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-engine-test-'));
  // engines on one database share the service account (each start resets its password)
  const user = extra.user ?? 'housingtest';
  const password = extra.password ?? randomBytes(18).toString('base64url');
  const jdbc = jdbcFromDatabaseUrl(databaseUrl);
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const opts: EngineOptions = {
    cacheDir: CACHE_DIR,
    dataDir,
    // kept after the test (its data folder is removed) for the log scan of the whole run
    logFile: path.join(TEST_RUNS_DIR, 'engines', path.basename(dataDir), 'engine.log'),
    jdbcUrl: jdbc.jdbcUrl,
    jdbcUser: jdbc.user,
    jdbcPassword: jdbc.password,
    port: 0,
    bind: '127.0.0.1',
    user,
    password,
    heap: '512m',
    readyTimeoutMs: 180_000,
    ...extra,
  };
  let running: RunningEngine = await startEngine(opts, log);
  const port = running.port;
  const url = running.url;
  return {
    url,
    webUrl: engineWebUrl(url),
    port,
    user,
    password,
    rest: createEngineRest({ url, user, password }),
    async kill() {
      try {
        process.kill(-running.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(running.pid, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async restart() {
      running = await startEngine({ ...opts, port }, log);
    },
    async stop() {
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh database with the app's migrations applied. */
export async function migratedTestDatabase(): Promise<{ db: TestDatabase; pool: Pool }> {
  const db = await createTestDatabase('az_engine_port');
  const pool = createPool({ connectionString: db.url, max: 10 });
  await migrate(pool, createLogger('silent'));
  return { db, pool };
}

/** Deploys inline BPMN (duplicate filtering off: tests deploy once). */
export async function deployModels(rest: EngineRest, files: Record<string, string>): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', `test-${Date.now()}`);
  for (const [name, xml] of Object.entries(files))
    form.append(name, new Blob([xml], { type: 'text/xml' }), name);
  ok(
    await rest.POST('/deployment/create', {
      body: form as never,
      bodySerializer: (b: unknown) => b as FormData,
    }),
  );
}

/** The shared capture (kept for the log scan), with the lines parsed. */
export class LogCapture extends BaseLogCapture {
  get records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** The shared `eventually`, with a longer default wait (an engine of the test's own). */
export const eventually = <T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  stepMs = 100,
) => waitFor(fn, timeoutMs, stepMs);

/** A process in the Operaton dialect (camunda namespace, historyTimeToLive). */
export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs-${processId}"
  targetNamespace="http://az.housing/test">
  <bpmn:process id="${processId}" isExecutable="true" camunda:historyTimeToLive="P1D">
${body}
  </bpmn:process>
${extra}
</bpmn:definitions>`;
}

/** Starts an instance by process key; returns its id. */
export async function startInstance(
  rest: EngineRest,
  key: string,
  variables: Record<string, unknown> = {},
  businessKey?: string,
): Promise<string> {
  const { toEngineVariables } = await import('../../src/engine/variables.js');
  const r = ok(
    await rest.POST('/process-definition/key/{key}/start', {
      params: { path: { key } },
      body: { variables: toEngineVariables(variables), businessKey },
    }),
  );
  return r.id!;
}

/** The activity ids an instance has passed (history), in start order. */
export async function passed(rest: EngineRest, processInstanceId: string): Promise<string[]> {
  const acts = ok(
    await rest.GET('/history/activity-instance', {
      params: { query: { processInstanceId, sortBy: 'startTime', sortOrder: 'asc' } },
    }),
  );
  return acts.map((a) => a.activityId!);
}

export async function ended(rest: EngineRest, processInstanceId: string): Promise<boolean> {
  const r = ok(
    await rest.GET('/history/process-instance/{id}', {
      params: { path: { id: processInstanceId } },
    }),
  );
  return !!r.endTime;
}
