import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngineRest, type EngineRest } from '../../src/engine/rest.js';

/**
 * One Operaton engine for one test file, on that file's fresh database (port 0). Interim
 * harness for the operator/analyst tests: it runs a built engine (app.jar + lib/) from
 * TEST_ENGINE_HOME until the project's runtime (src/engine/runtime.ts startEngine) is wired in.
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

function jdbcOf(databaseUrl: string) {
  const u = new URL(databaseUrl);
  return {
    jdbcUrl: `jdbc:postgresql://${u.hostname}:${u.port || '5432'}${u.pathname}`,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

export async function startTestEngine(databaseUrl: string): Promise<TestEngine> {
  const home = process.env.TEST_ENGINE_HOME;
  if (!home) throw new Error('TEST_ENGINE_HOME (app.jar + lib/) is not set');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-engine-test-'));
  const portFile = path.join(dir, 'port');
  const user = 'engine';
  const password = randomBytes(18).toString('base64url');
  const db = jdbcOf(databaseUrl);
  const log = fs.openSync(path.join(dir, 'engine.log'), 'a');
  const child: ChildProcess = spawn(
    'java',
    [
      '-Duser.timezone=UTC',
      '-Xmx512m',
      '-cp',
      `${path.join(home, 'app.jar')}:${path.join(home, 'lib', '*')}`,
      'az.housing.engine.EngineApplication',
    ],
    {
      env: {
        ...process.env,
        ENGINE_JDBC_URL: db.jdbcUrl,
        ENGINE_JDBC_USER: db.user,
        ENGINE_JDBC_PASSWORD: db.password,
        ENGINE_PORT: '0',
        ENGINE_PORT_FILE: portFile,
        ENGINE_USER: user,
        ENGINE_PASSWORD: password,
      },
      stdio: ['ignore', log, log],
    },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    }
    fs.closeSync(log);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) {
      const text = fs.readFileSync(path.join(dir, 'engine.log'), 'utf8');
      throw new Error(`engine exited during start:\n${text.slice(-3000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`engine not ready within 120 s (log: ${dir}/engine.log)`);
    }
    const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (port) {
      const webUrl = `http://127.0.0.1:${port}`;
      const url = `${webUrl}/engine-rest`;
      const rest = createEngineRest({ url, user, password });
      try {
        const r = await rest.GET('/version');
        if (r.response.ok) return { url, webUrl, user, password, rest, stop };
      } catch {
        /* not yet */
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
