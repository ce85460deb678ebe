import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createEngineRest, type EngineRest, ok } from '../../src/engine/rest.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * PROVISIONAL until the engine-app branch's runtime.ts (startEngine) lands: starts the engine
 * jar built by engine/ (ENGINE_APP_DIR with app.jar + lib/) on a test database. Port 0 on the
 * first start; restart() reuses the port so clients keep their URL.
 */
export interface TestEngine {
  url: string;
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

const ENGINE_APP_DIR = process.env.ENGINE_APP_DIR ?? '/tmp/wm-engine';

function jdbcUrl(pgUrl: string): { url: string; user: string; password: string } {
  const u = new URL(pgUrl);
  return {
    url: `jdbc:postgresql://${u.hostname}:${u.port || 5432}${u.pathname}`,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

export async function startTestEngine(databaseUrl: string): Promise<TestEngine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-test-'));
  const user = 'svctest';
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const jdbc = jdbcUrl(databaseUrl);
  let port = 0;
  let child: ReturnType<typeof spawn> | undefined;

  async function launch(): Promise<void> {
    const portFile = path.join(dir, 'port');
    fs.rmSync(portFile, { force: true });
    const logFd = fs.openSync(path.join(dir, 'engine.log'), 'a');
    child = spawn(
      'java',
      [
        '-Xmx512m',
        '-Duser.timezone=UTC',
        // the engine-app branch's build in progress needs this; harmless once it sets it
        '-Doperaton.bpm.database.table-prefix=operaton.',
        '-cp',
        `${ENGINE_APP_DIR}/app.jar:${ENGINE_APP_DIR}/lib/*`,
        'az.housing.engine.EngineApplication',
      ],
      {
        env: {
          ...process.env,
          ENGINE_JDBC_URL: jdbc.url,
          ENGINE_JDBC_USER: jdbc.user,
          ENGINE_JDBC_PASSWORD: jdbc.password,
          ENGINE_PORT: String(port),
          ENGINE_USER: user,
          ENGINE_PASSWORD: password,
          ENGINE_PORT_FILE: portFile,
        },
        stdio: ['ignore', logFd, logFd],
      },
    );
    fs.closeSync(logFd);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`engine exited; see ${dir}/engine.log`);
      if (fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()) {
        port = Number(fs.readFileSync(portFile, 'utf8').trim());
        try {
          const r = await fetch(`http://127.0.0.1:${port}/engine-rest/version`, {
            headers: {
              authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
            },
          });
          if (r.ok) return;
        } catch {
          /* not yet */
        }
      }
      if (Date.now() > deadline) throw new Error(`engine not ready in 90 s; see ${dir}/engine.log`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const exited = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });

  await launch();
  const url = `http://127.0.0.1:${port}/engine-rest`;
  return {
    url,
    port,
    user,
    password,
    rest: createEngineRest({ url, user, password }),
    async kill() {
      child?.kill('SIGKILL');
      await exited();
    },
    async restart() {
      await launch();
    },
    async stop() {
      child?.kill('SIGTERM');
      const t = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited();
      clearTimeout(t);
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

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

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
