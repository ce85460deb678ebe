import { describe, expect, it } from '@jest/globals';
import { parseFindings, renderReport } from '../../bench/report.js';
import type { BenchResult } from '../../bench/support/results.js';

const HISTORY = '## Before the move: Camunda 8.6 stack\n\nKept for comparison.\n';

const result = (over: Partial<BenchResult> = {}): BenchResult => ({
  name: 'queue-position',
  title: 'Queue position',
  command: 'npm run bench:queue',
  startedAt: '2026-12-01T08:00:00.000Z',
  durationSeconds: 212.4,
  machine: {
    cpus: 2,
    cpuModel: 'AMD EPYC',
    memoryGiB: 24,
    loadAverageAtStart: 0.4,
    node: 'v24.21.0',
    java: 'openjdk version "17.0.15"',
    postgres: '17.10',
    operaton: '1.0.3',
  },
  settings: { ENTRIES: 1_000_000 },
  tables: [
    {
      caption: 'Reads',
      columns: ['measurement', 'n', 'median ms'],
      rows: [['positionOf, random entries', 1000, 1.62]],
    },
  ],
  targets: [
    {
      target: 'a removal or a transfer rewrites no row of another person',
      figure: '0 rows',
      met: true,
    },
  ],
  notes: [],
  charts: ['benchmarks/queue-position.svg'],
  ...over,
});

describe('benchmark report', () => {
  it('given no results, when rendered, then every benchmark of the issue says not run', () => {
    const doc = renderReport([], HISTORY);
    for (const script of [
      'bench:e2e',
      'bench:latency',
      'bench:inbox',
      'bench:queue',
      'bench:scale-out',
      'bench:resources',
    ])
      expect(doc).toContain(`Not run (\`npm run ${script}\` wrote no result)`);
    expect(doc).not.toContain('Apartment selection');
  });

  it('given results out of order, when rendered, then the sections follow the issue order', () => {
    const doc = renderReport(
      [
        result(),
        result({ name: 'e2e-vs-engine', title: 'x', command: 'npm run bench:e2e', targets: [] }),
      ],
      HISTORY,
    );
    const titles = [...doc.matchAll(/^## (\d+)\. (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(titles).toEqual([
      '1 End-to-end vs raw engine',
      '2 Job latency',
      '3 Reviewer inbox',
      '4 Queue position',
      '5 Scale-out',
      '6 Resources',
    ]);
  });

  it('given a met and a missed target, when rendered, then each says so with its figure and the miss its evidence', () => {
    const doc = renderReport(
      [
        result({
          targets: [
            { target: 'p99 ≤ 50 ms', figure: '31 ms', met: true },
            { target: 'ratio ≥ 0.8', figure: '0.6', met: false, evidence: 'bound by the engine' },
          ],
        }),
      ],
      HISTORY,
    );
    expect(doc).toContain('- p99 ≤ 50 ms: **met**: 31 ms');
    expect(doc).toContain('- ratio ≥ 0.8: **not met**: 0.6 — bound by the engine');
  });

  it('given a result, when rendered, then its table, chart link and command appear', () => {
    const doc = renderReport([result()], HISTORY);
    expect(doc).toContain('| positionOf, random entries | 1,000 | 1.62 |');
    expect(doc).toContain('![Queue position](benchmarks/queue-position.svg)');
    expect(doc).toContain('`npm run bench:queue` — 2026-12-01, 212.4 s');
    expect(doc).toContain('npm run bench:all');
  });

  it('given a run on a busy machine, when rendered, then its section says it ran under load', () => {
    const loaded = result();
    loaded.machine = { ...loaded.machine, loadAverageAtStart: 11.8 };
    expect(renderReport([loaded], HISTORY)).toContain('**under load**');
    expect(renderReport([result()], HISTORY)).not.toContain('**under load**');
  });

  it('given the history, when rendered, then it comes last under History with its text unchanged', () => {
    const doc = renderReport([result()], HISTORY);
    expect(
      doc.trimEnd().endsWith('### Before the move: Camunda 8.6 stack\n\nKept for comparison.'),
    ).toBe(true);
    expect(doc.indexOf('## History')).toBeGreaterThan(doc.indexOf('## 6. Resources'));
  });

  it('given findings for a benchmark, when rendered, then they follow its targets and only there', () => {
    const findings = parseFindings(
      '# Findings\n\n## bench:queue\n\nBounded by the index walk.\n\n## bench:e2e\n\nEngine CPU.\n',
    );
    const doc = renderReport([result()], HISTORY, findings);
    const queue = doc.slice(doc.indexOf('## 4. Queue position'), doc.indexOf('## 5. Scale-out'));
    expect(queue).toContain('**What bounds it and what was tried**\n\nBounded by the index walk.');
    expect(queue.indexOf('Bounded by')).toBeGreaterThan(queue.indexOf('Targets:'));
    expect(doc).not.toContain('Engine CPU.');
  });
});
