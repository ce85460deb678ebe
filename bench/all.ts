import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run bench:all`: every benchmark in the issue's order, one after the other, then the
 * report. A benchmark whose npm script does not exist is skipped, one that fails is logged and
 * the run goes on; the exit code is 1 when any failed. The build runs once (the npm script of
 * bench:all): a script of the form `npm run build && <command>` runs only its command here.
 */
const RUNS = [
  'bench:e2e',
  'bench:latency',
  'bench:inbox',
  'bench:queue',
  'bench:scale-out',
  'bench:resources',
  'bench:apartments',
];

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const say = (text: string) => process.stdout.write(`[bench:all] ${text}\n`);

const scripts = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

function run(script: string): { ok: boolean; seconds: number } {
  const command = scripts[script]!.replace(/^npm run build\s*&&\s*/, '');
  say(`${script}: ${command}`);
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', command], { cwd: ROOT, stdio: 'inherit', env: process.env });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const ok = r.status === 0;
  say(
    `${script}: ${ok ? 'done' : `FAILED (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`} in ${seconds} s`,
  );
  return { ok, seconds };
}

/**
 * Waits (at most COOL_DOWN_MAX_S, default 90 s) until the 1-minute load average is below
 * COOL_DOWN_LOAD (default 1): the previous benchmark's engine, app and PostgreSQL work would
 * otherwise still count in the next one's "load average at start".
 */
function coolDown(): void {
  const limit = Number(process.env.COOL_DOWN_LOAD ?? 1);
  const maxMs = Number(process.env.COOL_DOWN_MAX_S ?? 90) * 1000;
  const t0 = Date.now();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (os.loadavg()[0]! >= limit && Date.now() - t0 < maxMs) Atomics.wait(pause, 0, 0, 2000);
  say(
    `load average ${os.loadavg()[0]!.toFixed(2)} after ${Math.round((Date.now() - t0) / 1000)} s of cool-down`,
  );
}

const failed: string[] = [];
const summary: string[] = [];
for (const script of RUNS) {
  if (!scripts[script]) {
    say(`${script}: no such npm script yet, skipped`);
    summary.push(`${script}: skipped`);
    continue;
  }
  coolDown();
  const { ok, seconds } = run(script);
  summary.push(`${script}: ${ok ? 'ok' : 'FAILED'} ${seconds} s`);
  if (!ok) failed.push(script);
}
const report = run('bench:report');
if (!report.ok) failed.push('bench:report');
say(summary.join('; '));
if (failed.length) {
  say(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
