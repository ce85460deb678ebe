import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { as } from '../support/auth.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, settled, sleep, type Load } from '../support/load.js';

/**
 * Issue 14, fault 6: the registries, the SMS gateway and the SMTP server down while hundreds of
 * applications are in flight on every path. Checks retry with backoff and then raise incidents,
 * which an operator retries from the operator API once the registry is back; notices wait in
 * the outbox and go out once each when the services return.
 */
const N = Number(process.env.FAULT_LOAD_N ?? 200);
const FOREVER = 1_000_000;

let f: FaultStack;
let load: Load;
beforeAll(async () => {
  f = await startFaultStack();
}, 300_000);
afterAll(async () => {
  load?.stop();
  await f?.stop();
});

async function operator(path: string, body?: unknown) {
  const res = await fetch(`${f.stack.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...as('operator-1') },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('outside systems down mid-load', () => {
  it(`given ${N} applications in flight on every path, when the identity registry, the SMS gateway and the SMTP server are down, then checks retry into incidents an operator retries, notices wait and go out once when the services return, and every case completes`, async () => {
    const pool = f.stack.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    f.registry.failNext('identity', FOREVER);
    f.sms.failNext(FOREVER);
    await f.smtp.stop();
    // the API still serves (notices wait, checks retry): ready, degraded, the part named
    const ready = await fetch(`${f.stack.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      checks: { database: 'up', engine: 'up', smtp: 'down' },
    });

    load = f.load(N, 'OU');
    const submitting = load.submitAll();
    const driving = load.drive();
    await submitting;

    // the identity check of every case retries with backoff, then leaves an incident
    const incidents = await eventually(
      async () => {
        const r = await operator('/api/v1/operator/incidents?state=active&limit=100');
        return r.status === 200 && r.body.total >= N ? r.body : undefined;
      },
      300_000,
      1000,
    );
    // the identity check and the category check (which reads the identity card) both need it
    for (const i of incidents.items as { errorMessage: string }[])
      expect(i.errorMessage).toMatch(/^check-[a-z-]+ failed: registry identity: HTTP 503/);
    const { rows: tries } = await query(
      `SELECT count(*)::int AS n FROM automated_check WHERE check_name = 'identity'`,
    );
    expect(tries[0].n).toBe(0); // an outage records no check result
    const identityCalls = f.registry.calls.identity;
    expect(identityCalls).toBeGreaterThanOrEqual(N * 2); // retried, not given up at once

    // the registry returns; an operator retries the incidents from the operator API (and any
    // that a check still retrying at that moment raises after)
    f.registry.reset();
    const retriedIds = new Set<string>();
    let operating = true;
    const operatorAtWork = (async () => {
      while (operating) {
        const page = await operator('/api/v1/operator/incidents?state=active&limit=100');
        const ids = ((page.body.items ?? []) as { id: string }[]).map((i) => i.id);
        if (ids.length) {
          const retried = await operator('/api/v1/operator/incidents/retry', { ids, retries: 3 });
          expect(retried.status).toBe(200);
          for (const id of ids) retriedIds.add(id);
        } else await sleep(2000);
      }
    })();

    // decisions make notices; they wait while the SMS gateway and SMTP are down
    await eventually(
      async () => {
        const { rows } = await query(
          `SELECT count(*)::int AS n FROM notice_outbox
            WHERE channel IN ('sms', 'email') AND status = 'pending' AND attempts >= 2`,
        );
        return rows[0].n >= N / 5;
      },
      300_000,
      1000,
    );
    expect(f.smtp.mails.length).toBe(0);
    expect(f.sms.messages.length).toBe(0);
    const { rows: failed } = await query(
      `SELECT count(*)::int AS n FROM notice_outbox WHERE status = 'failed'`,
    );
    expect(failed[0].n).toBe(0);

    // the services return: every notice goes out, once
    await sleep(2000);
    f.sms.failNext(0);
    await f.smtp.restart();
    const done = await settled(load, query, 420_000);
    operating = false;
    await operatorAtWork;
    load.stop();
    await driving;
    const result = await outcomeOf(
      'SMTP, SMS gateway and identity registry down',
      load,
      query,
      f.sms,
      f.smtp,
    );
    printTally({
      ...result.tally,
      detail: `${retriedIds.size} incidents retried by the operator; ${identityCalls} identity calls during the outage; ${result.tally.detail}`,
    });
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    expect(retriedIds.size).toBeGreaterThanOrEqual(N);
    expect((await fetch(`${f.stack.apiUrl}/readyz`)).status).toBe(200);
  }, 900_000);
});
