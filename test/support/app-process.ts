import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

/**
 * The app as `npm start` runs it (`node dist/src/main.js`, built by `npm test` before the run), as
 * a child process, so a test can crash what it depends on and send it signals.
 */
export interface AppProcess {
  child: ChildProcess;
  pid: number;
  apiUrl: string;
  /** stdout and stderr so far (the ready banner, pino's JSON lines). */
  output(): string;
  /** Resolves with the exit code (or signal) and how long after `since` it came. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  alive(): boolean;
}

export async function startAppProcess(
  env: Record<string, string | undefined>,
  readyTimeoutMs = 240_000,
): Promise<AppProcess> {
  const main = path.join(projectRoot, 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  // undefined removes a variable (e.g. DATABASE_URL: the app then runs its embedded server)
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NODE_OPTIONS: '', ...env }))
    if (v !== undefined) merged[k] = v;
  const child = spawn(process.execPath, [main], {
    cwd: projectRoot,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app was not ready within ${readyTimeoutMs} ms:\n${out.slice(-3000)}`));
    }, readyTimeoutMs);
    const check = () => {
      const m = /API\s+(http:\/\/\S+?)\/api\/openapi\.json/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`the app exited (${code ?? signal}) before it was ready:\n${out.slice(-3000)}`),
      );
    });
  });
  return {
    child,
    pid: child.pid!,
    apiUrl,
    output: () => out,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The first line of a pid file (engine.pid, postmaster.pid), or undefined. */
export function pidFromFile(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').split('\n')[0]!.trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
