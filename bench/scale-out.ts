import { writeChart } from './support/chart.js';
import { machineInfo, round, writeResult, type BenchResult } from './support/results.js';
import {
  benchDataDir,
  createBenchDatabase,
  deployProjectModels,
  runThroughApp,
  say,
  sideEffects,
  startBenchApp,
  startBenchEngine,
  startOutsideSystems,
  summary,
  type BenchApp,
  type BenchEngine,
  type OutsideSystems,
  type RunResult,
  type SideEffectCount,
} from './support/throughput.js';

/**
 * Benchmark 5 of issue 13: the throughput of benchmark 1's whole path with one engine node, then
 * with two engine nodes on the same PostgreSQL database (two engine processes on their own ports,
 * an app per node as README's two-node section and docker-compose.cluster.yml run them; the
 * portal's and the reviewer's calls spread over both apps), and that no job ran twice: every side
 * effect of every application counted — registration numbers, decisions, notices in the outbox and
 * at the SMS gateway, messages to the engine, the workers' audit entries, external-task
 * completions and activities in the engine history — exactly once.
 *
 * Sizes (env): BENCH_N applications per layout (default 300), BENCH_IN_FLIGHT (40), BENCH_WARMUP
 * (20, before each layout), BENCH_TIMEOUT_S per run (60).
 *
 * Run: npm run bench:scale-out
 */
const N = Number(process.env.BENCH_N ?? 300);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 60) * 1000;
const RESULT_NAME = process.env.BENCH_RESULT_NAME ?? 'scale-out';

async function main(): Promise<void> {
  const startedAt = new Date();
  const db = await createBenchDatabase('az_housing_bench_scale');
  const engines: BenchEngine[] = [];
  const apps: BenchApp[] = [];
  let outside: OutsideSystems | undefined;
  try {
    engines.push(await startBenchEngine(db, 0));
    await deployProjectModels(db, engines[0]!);
    outside = await startOutsideSystems();
    apps.push(await startBenchApp(db, engines[0]!, outside, 0));
    say(`node 1 up; data ${benchDataDir}`);
    const run = async (label: string, on: BenchApp[], n: number) =>
      runThroughApp(db.pool, on, {
        n,
        inFlight: IN_FLIGHT,
        timeoutMs: TIMEOUT_MS,
        finPrefix: label,
      });
    const ids: string[] = [];
    if (WARMUP > 0) ids.push(...(await run('W1', apps, WARMUP)).ids);
    const one: RunResult = await run('S1', apps, N);
    ids.push(...one.ids);
    say(`one node: ${one.completed} in ${round(one.seconds)} s = ${round(one.perSecond)}/s`);

    engines.push(await startBenchEngine(db, 1));
    apps.push(await startBenchApp(db, engines[1]!, outside, 1));
    say('node 2 up');
    if (WARMUP > 0) ids.push(...(await run('W2', apps, WARMUP)).ids);
    const two: RunResult = await run('S2', apps, N);
    ids.push(...two.ids);
    say(`two nodes: ${two.completed} in ${round(two.seconds)} s = ${round(two.perSecond)}/s`);

    // the last notices leave the outbox
    await new Promise((r) => setTimeout(r, 3000));
    const effects: SideEffectCount[] = await sideEffects(db.pool, ids, outside.sms);
    const twice = effects.reduce((a, e) => a + e.duplicates, 0);
    const missing = effects.filter((e) => Number.isFinite(e.expected) && e.found < e.expected);
    const s1 = summary(one);
    const s2 = summary(two);
    const speedup = s2.perSecond / s1.perSecond;
    const chart = writeChart(RESULT_NAME, {
      title: 'Whole application path: one engine node vs two on one database',
      unit: 'applications/s',
      labels: ['one engine node, one app', 'two engine nodes, an app each'],
      series: [{ name: 'applications/s', values: [s1.perSecond, s2.perSecond] }],
    });
    const result: BenchResult = {
      name: RESULT_NAME,
      title: 'Scale-out',
      command: 'npm run bench:scale-out',
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machine: machineInfo(db.postgresVersion),
      settings: {
        applicationsPerLayout: N,
        inFlight: IN_FLIGHT,
        warmupPerLayout: WARMUP,
        path: 'grant, through the portal and reviewer APIs (as bench:e2e)',
        layout:
          'engine processes on ports 28010/28011, app processes (node dist/src/main.js) on 28005/28006, each app on its own node; calls round-robin over the apps',
      },
      tables: [
        {
          caption: 'Throughput (submission to process end)',
          columns: ['layout', 'applications', 'applications/s', 'p50 ms', 'p99 ms'],
          rows: [
            ['one engine node', one.completed, round(s1.perSecond), round(s1.p50), round(s1.p99)],
            ['two engine nodes', two.completed, round(s2.perSecond), round(s2.p50), round(s2.p99)],
            ['two / one', '', round(speedup), '', ''],
          ],
        },
        {
          caption: `Side effects of all ${ids.length} applications of the run (warm-ups included): each exactly once`,
          columns: ['side effect', 'expected', 'found', 'keys more than once'],
          rows: effects.map((e) => [
            e.what,
            Number.isFinite(e.expected) ? e.expected : '—',
            e.found,
            e.duplicates,
          ]),
        },
      ],
      targets: [
        {
          target: 'no job runs twice (every side effect exactly once)',
          figure: `${twice} duplicated, ${missing.length} kinds short`,
          met: twice === 0 && missing.length === 0,
          evidence:
            twice === 0 && missing.length === 0
              ? undefined
              : effects
                  .filter((e) => e.duplicates > 0 || e.found < e.expected)
                  .map((e) => `${e.what}: ${e.found} (${e.duplicates} twice)`)
                  .join('; '),
        },
      ],
      notes: [
        `Two nodes against one: ×${round(speedup)}. Both nodes, both apps, PostgreSQL and the driver share the machine's ${machineInfo().cpus} cores, so a second node adds no CPU: it can only win where one node waits (job acquisition, long-poll answers), and the database is shared.`,
        'Operaton clusters through the database: a job or external task is locked by one node in a row of its own (optimistic locking), so a task fetched by two workers at once is given to one.',
      ],
      charts: [chart],
    };
    say(`result: ${writeResult(result)}`);
    say(JSON.stringify(result.tables, null, 1));
  } finally {
    for (const a of apps.reverse()) await a.stop().catch(() => undefined);
    await outside?.stop().catch(() => undefined);
    for (const e of engines.reverse()) await e.stop().catch(() => undefined);
    await db.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
