import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startStack } from '../src/stack.js';

/**
 * Start-up benchmark: starts the whole stack (engine, embedded database, deployment, workers,
 * API) RUNS times from an empty data folder, and reports the time to ready and the resident
 * memory of the engine and the app once idle. Run with `npm run bench` (the distribution must
 * be cached; `npm run engine:fetch`). Uses ports 27500+ so it does not disturb a running stack.
 */
const RUNS = Number(process.env.RUNS ?? 3);

function rssKiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The engine runs in its own process group: sum the group. */
function groupRssKiB(pgid: number): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) total += rssKiB(Number(entry));
    } catch {
      /* gone */
    }
  }
  return total;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const times: number[] = [];
  const engineRss: number[] = [];
  const appRss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-bench-'));
    const cfg = loadConfig({
      ...process.env,
      DATABASE_URL: process.env.BENCH_DATABASE_URL, // unset: the embedded database
      ENGINE_REST_URL: undefined,
      DATA_DIR: dataDir,
      PORT: '27530',
      ENGINE_PORT: '27500',
    });
    const started = performance.now();
    const stack = await startStack(cfg, createLogger('warn'));
    times.push((performance.now() - started) / 1000);
    await new Promise((r) => setTimeout(r, 10_000)); // idle
    engineRss.push(groupRssKiB(stack.engine.process!.pid) / 1024);
    appRss.push(rssKiB(process.pid) / 1024);
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const fmt = (xs: number[], unit: string) =>
    `median ${median(xs).toFixed(1)}${unit} (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  process.stdout.write(
    [
      `stack start-up, ${RUNS} runs, empty data folder, cached engine build, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL server' : 'embedded database'}:`,
      `  time to ready      ${fmt(times, ' s')}`,
      `  engine RSS idle    ${fmt(engineRss, ' MiB')}`,
      `  app RSS idle       ${fmt(appRss, ' MiB')}`,
      `  total RSS idle     median ${(median(engineRss) + median(appRss)).toFixed(0)} MiB`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
