import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One benchmark's result, as every `bench/*.ts` writes it to `bench/results/<name>.json`;
 * `bench/report.ts` renders all of them into `docs/benchmarks.md`. Figures are numbers (ms, /s,
 * MiB), formatted only by the report.
 */
export interface BenchResult {
  /** file name without extension, e.g. 'e2e-vs-engine' */
  name: string;
  /** the issue's heading for it, e.g. 'End-to-end vs raw engine' */
  title: string;
  /** how to repeat it, e.g. 'npm run bench:e2e' */
  command: string;
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  /** sizes and settings of this run (N, concurrency, fetch settings, …) */
  settings: Record<string, string | number | boolean>;
  /** one or more tables; cells are strings or numbers */
  tables: BenchTable[];
  /** every target of the issue this benchmark answers */
  targets: BenchTarget[];
  /** what bounds the figures, what was tried, caveats — sentences */
  notes: string[];
  /** charts written next to docs/benchmarks.md, relative to docs/ (e.g. 'benchmarks/e2e.svg') */
  charts: string[];
}

export interface BenchTable {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface BenchTarget {
  /** e.g. 'ratio ≥ 0.8' */
  target: string;
  /** the measured figure, e.g. '0.86' or '27.4 applications/s' */
  figure: string;
  met: boolean;
  /** when not met: what bounds it and what was tried */
  evidence?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average when the benchmark started (quiet machine ≈ 0–1) */
  loadAverageAtStart: number;
  node: string;
  java: string;
  postgres: string;
  operaton: string;
}

/** First non-empty line a command prints (java prints its version on stderr). */
function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (
    `${r.stdout ?? ''}\n${r.stderr ?? ''}`
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'unknown'
  );
}

/**
 * The 1-minute load average when this module was first imported, i.e. when the benchmark's
 * process started: machineInfo() is called when the result is written, and the load by then
 * counts the benchmark's own work.
 */
const LOAD_AT_START = os.loadavg()[0]!;

export function machineInfo(postgres = 'unknown'): MachineInfo {
  const java = firstLine('java', ['-version']);
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: Math.round(LOAD_AT_START * 100) / 100,
    node: process.version,
    java,
    postgres,
    operaton: '1.0.3',
  };
}

/** bench/results, or BENCH_RESULTS_DIR (the smoke test writes elsewhere). */
export const RESULTS_DIR =
  process.env.BENCH_RESULTS_DIR ??
  path.resolve(import.meta.dirname, '..', '..', '..', 'bench', 'results');

/** Writes bench/results/<name>.json (the report reads them all). */
export function writeResult(result: BenchResult): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/** Percentile by nearest rank (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** Rounds for a table cell: 3 significant digits, at most 1 decimal above 100. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (Math.abs(x) >= 100) return Math.round(x);
  return Number(x.toPrecision(3));
}
