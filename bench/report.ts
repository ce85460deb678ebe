import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, type BenchResult, type BenchTable } from './support/results.js';

/**
 * Writes docs/benchmarks.md from every bench/results/*.json (`npm run bench:report`; `npm run
 * bench:all` runs it last): an introduction with the machine, versions and the commands to
 * repeat the run, one section per benchmark in the order of issue 13 (a benchmark without a
 * result says "not run"), every target as met or not met with its figure and evidence, and the
 * history (bench/history.md, verbatim) at the end. What the profiling found — what bounds a
 * figure and what was tried — is written by hand in bench/findings.md, one `## bench:<name>`
 * part per benchmark, and placed after that benchmark's targets.
 */

/** The sections in the issue's order; a result belongs to the one whose command it names. */
export const SECTIONS: { script: string; title: string }[] = [
  { script: 'bench:e2e', title: 'End-to-end vs raw engine' },
  { script: 'bench:latency', title: 'Job latency' },
  { script: 'bench:inbox', title: 'Reviewer inbox' },
  { script: 'bench:queue', title: 'Queue position' },
  { script: 'bench:scale-out', title: 'Scale-out' },
  { script: 'bench:resources', title: 'Resources' },
  { script: 'bench:apartments', title: 'Apartment selection' },
];

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const HISTORY = path.join(ROOT, 'bench', 'history.md');
const FINDINGS = path.join(ROOT, 'bench', 'findings.md');

/** bench/findings.md split by its `## bench:<name>` headings: script -> text. */
export function parseFindings(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const m of text.matchAll(/^## (bench:[\w-]+)\s*\n([\s\S]*?)(?=^## |(?![\s\S]))/gm))
    parts.set(m[1]!, m[2]!.trim());
  return parts;
}

const scriptOf = (r: BenchResult) => /npm run (bench:[\w-]+)/.exec(r.command)?.[1];

const cell = (v: string | number | boolean) =>
  String(typeof v === 'number' ? formatNumber(v) : v)
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** Thousands separated, as the tables print them (round() already limited the digits). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? v.toLocaleString('en') : String(v);
}

function table(t: BenchTable): string[] {
  const numeric = t.columns.map((_, i) => t.rows.every((r) => typeof r[i] === 'number'));
  return [
    `**${t.caption}**`,
    '',
    `| ${t.columns.map(cell).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${t.columns.map((_, i) => cell(r[i] ?? '')).join(' | ')} |`),
    '',
  ];
}

const day = (iso: string) => iso.slice(0, 10);

function section(
  n: number,
  title: string,
  script: string,
  r: BenchResult | undefined,
  findings?: string,
): string[] {
  const out = [`## ${n}. ${title}`, ''];
  if (!r) return [...out, `Not run (\`npm run ${script}\` wrote no result).`, ''];
  const m = r.machine;
  const loaded = m.loadAverageAtStart > m.cpus;
  out.push(
    `\`${r.command}\` — ${day(r.startedAt)}, ${formatNumber(r.durationSeconds)} s` +
      `, load average ${m.loadAverageAtStart} at start` +
      (loaded
        ? " (**under load**: the 1-minute load average exceeded the cores; it counts this benchmark's own start-up and the previous one's tail as well as any other work, so the figures are an upper bound)"
        : '') +
      '.',
    '',
  );
  const settings = Object.entries(r.settings);
  if (settings.length)
    out.push(`Settings: ${settings.map(([k, v]) => `${k} = ${cell(v)}`).join('; ')}.`, '');
  for (const t of r.tables) out.push(...table(t));
  for (const c of r.charts) out.push(`![${title}](${c})`, '');
  if (r.targets.length) {
    out.push('Targets:', '');
    for (const t of r.targets)
      out.push(
        t.met
          ? `- ${t.target}: **met**: ${t.figure}`
          : `- ${t.target}: **not met**: ${t.figure} — ${t.evidence ?? 'no evidence recorded'}`,
      );
    out.push('');
  }
  if (findings) out.push('**What bounds it and what was tried**', '', findings, '');
  for (const note of r.notes) out.push(note, '');
  return out;
}

function machineLine(results: BenchResult[]): string[] {
  if (results.length === 0) return ['No benchmark has written a result yet.'];
  const m = results[0]!.machine;
  const dates = results.map((r) => day(r.startedAt)).sort();
  const span = dates[0] === dates.at(-1) ? dates[0] : `${dates[0]} to ${dates.at(-1)}`;
  const lines = [
    `Run ${span} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB; Node ${m.node}; ${m.java};` +
      ` PostgreSQL ${m.postgres}; Operaton ${m.operaton}.`,
  ];
  const others = results.filter(
    (r) =>
      r.machine.cpus !== m.cpus || r.machine.cpuModel !== m.cpuModel || r.machine.node !== m.node,
  );
  for (const r of others)
    lines.push(
      `\`${r.command}\` ran on another setup: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}.`,
    );
  return lines;
}

/** The whole document from the results found and the history text. */
export function renderReport(
  results: BenchResult[],
  history: string,
  findings: Map<string, string> = new Map(),
): string {
  const bySection = new Map<string, BenchResult>();
  const unplaced: BenchResult[] = [];
  for (const r of results) {
    const s = scriptOf(r);
    if (s && SECTIONS.some((x) => x.script === s)) bySection.set(s, r);
    else unplaced.push(r);
  }
  const out = [
    '# Benchmarks',
    '',
    'Written by `npm run bench:report` from `bench/results/*.json`; do not edit by hand.',
    '',
    ...machineLine(results),
    '',
    'To repeat the whole run (each benchmark bounded to a few minutes on an idle 2-core machine,' +
      ' then this report):',
    '',
    '```sh',
    'npm run bench:all',
    '```',
    '',
    'One benchmark alone: ' +
      SECTIONS.map((s) => `\`npm run ${s.script}\``).join(', ') +
      '; then `npm run bench:report`.' +
      ' Sizes come from environment variables whose defaults are the full run (see each file in `bench/`).',
    '',
  ];
  SECTIONS.forEach((s, i) => {
    const r = bySection.get(s.script);
    // the apartments come after the issue's six, and only when present
    if (!r && s.script === 'bench:apartments') return;
    out.push(...section(i + 1, s.title, s.script, r, findings.get(s.script)));
  });
  unplaced
    .sort((a, b) => a.name.localeCompare(b.name))
    .forEach((r, i) =>
      out.push(...section(SECTIONS.length + i + 1, r.title, scriptOf(r) ?? r.command, r)),
    );
  out.push('## History', '');
  out.push(history.replace(/^## /gm, '### ').trimEnd(), '');
  return out.join('\n');
}

export function readResults(dir = RESULTS_DIR): BenchResult[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as BenchResult);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const results = readResults();
  const findings = fs.existsSync(FINDINGS)
    ? parseFindings(fs.readFileSync(FINDINGS, 'utf8'))
    : new Map<string, string>();
  fs.writeFileSync(DOC, renderReport(results, fs.readFileSync(HISTORY, 'utf8'), findings));
  process.stdout.write(`wrote ${DOC} from ${results.length} results\n`);
}
