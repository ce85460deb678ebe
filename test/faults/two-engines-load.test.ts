import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '../../src/stack.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, progress, settled, type Load } from '../support/load.js';

/**
 * Issue 14, fault 2: two engine nodes on one PostgreSQL, each with an app beside it (workers,
 * outboxes, API), as a cluster runs them. Node 1 is SIGKILLed mid-load and stays down: node 2
 * finishes everything, including what node 1's app had queued and the jobs node 1's executor
 * held. No job runs twice: each external task completes once, each side effect counts once.
 */
const N = Number(process.env.FAULT_LOAD_N ?? 200);

let f: FaultStack;
let second: Stack;
let load: Load;
beforeAll(async () => {
  f = await startFaultStack({ engines: 2 });
  second = await f.startApp(f.engines[1]!);
}, 500_000);
afterAll(async () => {
  load?.stop();
  await f?.stop();
});

describe('two engine nodes, one killed', () => {
  it(`given ${N} applications in flight on every path on two engine nodes, when node 1 is SIGKILLed, then node 2 finishes every case and no task or side effect happens twice`, async () => {
    const pool = second.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    // the portal and the reviewer use node 2's API; both nodes' workers take the tasks
    load = f.load(N, 'TE', second);
    const submitting = load.submitAll();
    const driving = load.drive();

    await eventually(async () => progress(load).decided >= N / 10, 300_000, 500);
    // both nodes were working: tasks completed by each app's workers
    const { rows: byWorker } = await query(
      `SELECT DISTINCT worker_id_ FROM operaton.act_hi_ext_task_log WHERE state_ = 2`,
    );
    await f.engines[0]!.kill();
    const atKill = progress(load);

    await submitting;
    const done = await settled(load, query, 600_000);
    load.stop();
    await driving;

    const { rows: twice } = await query(
      `SELECT count(*)::int AS n FROM (
         SELECT ext_task_id_ FROM operaton.act_hi_ext_task_log WHERE state_ = 2
          GROUP BY ext_task_id_ HAVING count(*) > 1) t`,
    );
    const { rows: jobsTwice } = await query(
      `SELECT count(*)::int AS n FROM (
         SELECT job_id_ FROM operaton.act_hi_job_log WHERE job_state_ = 2
          GROUP BY job_id_ HAVING count(*) > 1) t`,
    );
    const result = await outcomeOf('two engine nodes, one killed', load, query, f.sms, f.smtp);
    printTally({
      ...result.tally,
      duplicated: result.tally.duplicated + twice[0].n + jobsTwice[0].n,
      detail: `node 1 killed at ${atKill.submitted} submitted, ${atKill.decided} decided; ${byWorker.length} worker hosts completed tasks before the kill; tasks completed twice ${twice[0].n}, jobs twice ${jobsTwice[0].n}; ${result.tally.detail}`,
    });
    expect(byWorker.length).toBe(2);
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    expect(twice[0].n).toBe(0);
    expect(jobsTwice[0].n).toBe(0);
  }, 900_000);
});
