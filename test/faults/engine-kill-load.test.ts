import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, progress, settled, sleep, type Load } from '../support/load.js';

/**
 * Issue 14, fault 1: the engine SIGKILLed and restarted while hundreds of applications are in
 * flight on every path of the review (grant, refuse, discrepancy resubmitted, discrepancy lapsed,
 * extension). Nobody restarts the workers or the outbox: they find the engine again by themselves.
 */
const N = Number(process.env.FAULT_LOAD_N ?? 200);

let f: FaultStack;
let load: Load;
beforeAll(async () => {
  f = await startFaultStack();
}, 300_000);
afterAll(async () => {
  load?.stop();
  await f?.stop();
});

describe('engine killed mid-load', () => {
  it(`given ${N} applications in flight on every path, when the engine is SIGKILLed and restarted, then /readyz reports the outage, every case reaches its end state, no decision is lost and no notice is sent twice`, async () => {
    const pool = f.stack.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    load = f.load(N, 'EK');
    const submitting = load.submitAll();
    const driving = load.drive();

    // the fault once a good part of the load is in the engine: some decided, most not
    await eventually(async () => progress(load).decided >= N / 10, 300_000, 500);
    const engine = f.engines[0]!;
    await engine.kill();
    const during = await eventually(
      async () => {
        const res = await fetch(`${f.stack.apiUrl}/readyz`);
        const body = (await res.json()) as { checks: Record<string, string> };
        return res.status === 503 && body.checks.engine === 'down' ? body : undefined;
      },
      20_000,
      200,
    );
    expect(during.checks.database).toBe('up');
    // the portal and the reviewers keep working meanwhile: submissions and decisions queue
    const atKill = progress(load);
    await sleep(5000);
    await engine.restart();
    await eventually(
      async () => (await fetch(`${f.stack.apiUrl}/readyz`)).status === 200,
      60_000,
      500,
    );

    await submitting;
    const done = await settled(load, query, 420_000);
    load.stop();
    await driving;
    const result = await outcomeOf('engine killed and restarted', load, query, f.sms, f.smtp);
    printTally({
      ...result.tally,
      detail: `at the kill ${atKill.submitted} submitted, ${atKill.decided} decided; ${result.tally.detail}`,
    });
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    // no incident left behind: the failures during the outage were retried away
    const incidents = await f.engines[0]!.rest.GET('/incident/count');
    expect(incidents.data?.count ?? -1).toBe(0);
  }, 900_000);
});
