import { writeChart } from './support/chart.js';
import { machineInfo, round, writeResult, type BenchResult } from './support/results.js';
import {
  benchDataDir,
  cpuSeconds,
  createBenchDatabase,
  dbCounters,
  deployProjectModels,
  endedAt,
  machineBusySeconds,
  PORT_BASE,
  postgresBackendPids,
  runThroughApp,
  say,
  sideEffects,
  sleep,
  startBenchApp,
  startBenchEngine,
  startOutsideSystems,
  summary,
  type BenchApp,
  type BenchDatabase,
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
 * completions and activities in the engine history — none more than once.
 *
 * Every run (warm-ups included) is drained: after its measured window no more applications are
 * submitted and the reviewer keeps deciding until every submitted one has ended (at most
 * BENCH_TIMEOUT_S more), so the counts are whole and one layout's leftovers never run during the
 * next. What each ended application must have left is then counted against what it left; an
 * application that did not end even so is reported, not hidden.
 *
 * Beside the throughput it records what a run cost per application (CPU of the engine and app
 * processes from /proc, commits in PostgreSQL, the machine's busy cores), which is what says why
 * a second node on the same machine is not faster.
 *
 * Sizes (env): BENCH_N applications per layout (default 300), BENCH_IN_FLIGHT (40), BENCH_WARMUP
 * (20, before each layout), BENCH_TIMEOUT_S per run and again for its drain (60).
 *
 * Run: npm run bench:scale-out
 */
const N = Number(process.env.BENCH_N ?? 300);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 60) * 1000;
const RESULT_NAME = process.env.BENCH_RESULT_NAME ?? 'scale-out';

/** CPU seconds of the engine and app processes and this database's backends, the machine's, commits. */
interface CostSample {
  engine: number;
  app: number;
  postgres: Map<number, number>;
  machine: number;
  commits: number;
  at: number;
}

async function costSample(
  db: BenchDatabase,
  engines: BenchEngine[],
  apps: BenchApp[],
): Promise<CostSample> {
  const pids = await postgresBackendPids(db.pool, db.name);
  return {
    engine: engines.reduce((a, e) => a + cpuSeconds(e.pid), 0),
    app: apps.reduce((a, p) => a + cpuSeconds(p.pid), 0),
    postgres: new Map(pids.map((p) => [p, cpuSeconds(p)])),
    machine: machineBusySeconds(),
    commits: (await dbCounters(db.pool, db.name)).commits,
    at: Date.now(),
  };
}

/** Per ended application: CPU ms of engines, apps, database backends; commits; busy cores. */
function costPerApplication(a: CostSample, b: CostSample, n: number): (string | number)[] {
  let pgSeconds = 0;
  for (const [pid, after] of b.postgres) {
    const before = a.postgres.get(pid);
    if (before !== undefined && Number.isFinite(after)) pgSeconds += after - before;
  }
  const per = (x: number) => (n > 0 ? round((x * 1000) / n) : NaN);
  return [
    per(b.engine - a.engine),
    per(b.app - a.app),
    per(pgSeconds),
    n > 0 ? round((b.commits - a.commits) / n) : NaN,
    round((b.machine - a.machine) / ((b.at - a.at) / 1000)),
  ];
}

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
    const ids: string[] = [];
    const ended: string[] = [];
    const unfinished: string[] = [];
    const costs: (string | number)[][] = [];
    const run = async (label: string, on: BenchApp[], n: number) => {
      const r = await runThroughApp(db.pool, on, {
        n,
        inFlight: IN_FLIGHT,
        timeoutMs: TIMEOUT_MS,
        drainMs: TIMEOUT_MS,
        finPrefix: label,
      });
      ids.push(...r.ids);
      ended.push(...r.endedIds);
      unfinished.push(...r.unfinished);
      if (r.unfinished.length) say(`${label}: ${r.unfinished.length} did not end after the drain`);
      return r;
    };
    if (WARMUP > 0) await run('W1', apps, WARMUP);
    let before = await costSample(db, engines, apps);
    const one: RunResult = await run('S1', apps, N);
    costs.push([
      'one engine node',
      ...costPerApplication(before, await costSample(db, engines, apps), one.endedIds.length),
    ]);
    say(`one node: ${one.completed} in ${round(one.seconds)} s = ${round(one.perSecond)}/s`);

    engines.push(await startBenchEngine(db, 1));
    apps.push(await startBenchApp(db, engines[1]!, outside, 1));
    say('node 2 up');
    if (WARMUP > 0) await run('W2', apps, WARMUP);
    before = await costSample(db, engines, apps);
    const two: RunResult = await run('S2', apps, N);
    costs.push([
      'two engine nodes',
      ...costPerApplication(before, await costSample(db, engines, apps), two.endedIds.length),
    ]);
    say(`two nodes: ${two.completed} in ${round(two.seconds)} s = ${round(two.perSecond)}/s`);

    // Shortfalls are counted over the applications that ended (the last SMS leave the notice
    // outbox a moment after the process ends: wait for them, bounded); duplicates over every
    // application submitted, ended or not.
    // an application that outlived its run's drain may have ended since: read the history again
    for (const [id] of await endedAt(db.pool, unfinished)) ended.push(id);
    unfinished.splice(0, unfinished.length, ...unfinished.filter((id) => !ended.includes(id)));
    let effects: SideEffectCount[] = [];
    for (const until = Date.now() + 20_000; ;) {
      effects = await sideEffects(db.pool, ended, outside.sms);
      if (effects.every((e) => !(e.found < e.expected)) || Date.now() > until) break;
      await sleep(500);
    }
    const everyOne: SideEffectCount[] = await sideEffects(db.pool, ids, outside.sms);
    const twice = everyOne.reduce((a, e) => a + e.duplicates, 0);
    const short = effects.filter((e) => e.found < e.expected);
    const s1 = summary(one);
    const s2 = summary(two);
    const speedup = s2.perSecond / s1.perSecond;
    const cpuRatio = Number(costs[1]![1]) / Number(costs[0]![1]);
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
        vacuum: db.vacuumEverySeconds
          ? `the benchmark's VACUUM (ANALYZE) every ${db.vacuumEverySeconds} s (the server's autovacuum is off)`
          : "the server's autovacuum",
        layout: `engine processes on ports ${PORT_BASE + 10}/${PORT_BASE + 11}, app processes (node dist/src/main.js) on ${PORT_BASE + 5}/${PORT_BASE + 6}, each app on its own node; calls round-robin over the apps`,
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
          caption:
            'What a run cost per ended application (measured windows and their drains; CPU from /proc, commits from pg_stat_database; busy cores = the whole machine, other work included)',
          columns: [
            'layout',
            'engine CPU ms',
            'app CPU ms',
            'PostgreSQL backends CPU ms',
            'commits',
            'machine busy cores',
          ],
          rows: costs,
        },
        {
          caption: `Side effects of the ${ended.length} applications that ended, of ${ids.length} submitted (warm-ups included): each exactly once; duplicates counted over all ${ids.length}`,
          columns: ['side effect', 'expected', 'found', 'keys more than once'],
          rows: effects.map((e, i) => [
            e.what,
            Number.isFinite(e.expected) ? e.expected : '—',
            e.found,
            everyOne[i]!.duplicates,
          ]),
        },
      ],
      targets: [
        {
          target: 'no job runs twice (no side effect of any application more than once)',
          figure: `${twice} duplicated among ${ids.length} applications`,
          met: twice === 0,
          evidence:
            twice === 0
              ? undefined
              : everyOne
                  .filter((e) => e.duplicates > 0)
                  .map((e) => `${e.what}: ${e.duplicates} keys more than once`)
                  .join('; '),
        },
        {
          target: 'nothing lost (every submitted application ended, with every side effect)',
          figure: `${ended.length} of ${ids.length} ended; ${short.length} kinds short`,
          met: unfinished.length === 0 && short.length === 0,
          evidence:
            unfinished.length === 0 && short.length === 0
              ? undefined
              : [
                  ...(unfinished.length
                    ? [
                        `${unfinished.length} applications had not ended when the side effects were counted, at least ${TIMEOUT_MS / 1000} s after their run's window closed (see the apps' and engines' logs in ${benchDataDir})`,
                      ]
                    : []),
                  ...short.map((e) => `${e.what}: ${e.found} of ${e.expected}`),
                ].join('; '),
        },
      ],
      notes: [
        `Two nodes against one: ×${round(speedup)}. Both engine processes, both apps, PostgreSQL and the load driver share the machine's ${machineInfo().cpus} cores, so a second node adds no CPU: the table of costs shows the machine's cores busy in both layouts, and the engines' CPU per application ×${round(cpuRatio)} with two nodes (two JVMs warming and collecting, two job executors and two long-poll handler threads polling the same tables, fetches of one node losing a task to the other's lock). Throughput is bounded by CPU per application over the cores; a second node pays where nodes have their own machines.`,
        'A pending long poll is woken only by tasks created on its own engine (the engine signals inside its JVM); a task created by the other node waits until this node’s next fetch (at most the long poll, 10 s) unless the other node’s worker takes it. With an app per node each app mostly takes the tasks its own node created.',
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
