import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';
import { TEST_RUNS_DIR } from '../support/log-capture.js';

/**
 * bench:e2e (bench/e2e-vs-engine.ts, issue 13 §1) in a smoke mode, so that it cannot rot: three
 * applications per side, one round, no warm-up, short long polls, its own ports (28050–28099) and
 * a results folder of its own (the real results in bench/results are not touched). Its engine's
 * and app's logs stay in the test run's folder for the log scan.
 */
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'az-bench-smoke-'));
let running: ChildProcess | undefined;
afterAll(() => {
  // a run cut off by the test's time limit: SIGINT lets it stop its engine and drop its database
  if (running && running.exitCode === null) running.kill('SIGINT');
  fs.rmSync(out, { recursive: true, force: true });
});

function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/bench/e2e-vs-engine.js')], {
      cwd: projectRoot,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('bench:e2e smoke run', () => {
  it('given three applications per side, when the benchmark runs, then it ends and writes a result of the fixed shape with both sides measured', async () => {
    const { code, output } = await runBench({
      BENCH_N: '3',
      BENCH_ROUNDS: '1',
      BENCH_WARMUP: '0',
      BENCH_IN_FLIGHT: '3',
      BENCH_TIMEOUT_S: '60',
      BENCH_PORT_BASE: '28050',
      BENCH_RESULTS_DIR: path.join(out, 'results'),
      BENCH_CHARTS_DIR: path.join(out, 'charts'),
      BENCH_DATA_DIR: path.join(TEST_RUNS_DIR, `bench-smoke-${Date.now()}`),
      WORKER_LONG_POLL_MS: '1000',
    });
    expect({ code, tail: output.slice(-2000) }).toEqual({ code: 0, tail: expect.any(String) });

    const result = JSON.parse(
      fs.readFileSync(path.join(out, 'results', 'e2e-vs-engine.json'), 'utf8'),
    ) as Record<string, any>;
    expect(Object.keys(result).sort()).toEqual(
      [
        'charts',
        'command',
        'durationSeconds',
        'machine',
        'name',
        'notes',
        'settings',
        'startedAt',
        'tables',
        'targets',
        'title',
      ].sort(),
    );
    expect(result).toMatchObject({ name: 'e2e-vs-engine', command: 'npm run bench:e2e' });
    const [main] = result.tables as { columns: string[]; rows: (string | number)[][] }[];
    expect(main!.columns).toEqual(['side', 'applications', 'applications/s', 'p50 ms', 'p99 ms']);
    // both sides: all three applications ended, with a positive rate and times
    for (const row of main!.rows.slice(0, 2)) {
      expect(row[1]).toBe(3);
      expect(row[2]).toBeGreaterThan(0);
      expect(row[3]).toBeGreaterThan(0);
      expect(Number(row[4])).toBeGreaterThanOrEqual(Number(row[3]));
    }
    expect(result.targets.map((t: { target: string }) => t.target)).toEqual([
      'ratio ≥ 0.8',
      '≥ 20 applications/s end-to-end',
    ]);
    for (const c of result.charts as string[])
      expect(fs.existsSync(path.join(out, 'charts', path.basename(c)))).toBe(true);
  }, 240_000);
});
