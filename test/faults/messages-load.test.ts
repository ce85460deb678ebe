import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inTransaction } from '../../src/db/pool.js';
import { enqueueMessage } from '../../src/engine/messages.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, settled, sleep, type Load } from '../support/load.js';

/**
 * Issue 14, fault 5: duplicate, early and late messages while hundreds of applications are in
 * flight on every path. Every decision and every resubmission is sent twice at once; the
 * resubmissions come as soon as the case shows its discrepancy, which can be before the process
 * waits for them (early: counted, not forced — engine-messages.test.ts forces it); each
 * resubmission is delivered to the engine a second time (a redelivery, its own message id);
 * after the cases ended, each gets its resubmission once more (late). Nothing changes twice,
 * nothing is lost, each dropped message is logged once.
 */
const N = Number(process.env.FAULT_LOAD_N ?? 200);
const RESUBMITTED = 'application-resubmitted';

let f: FaultStack;
let load: Load;
beforeAll(async () => {
  f = await startFaultStack();
}, 300_000);
afterAll(async () => {
  load?.stop();
  await f?.stop();
});

/** The 'engine message dropped' log lines of one outbox row. */
function dropLogs(outboxId: string): number {
  return f.logs.lines
    .map((l) => JSON.parse(l) as { msg?: string; outboxId?: string })
    .filter((r) => r.msg === 'engine message dropped' && r.outboxId === outboxId).length;
}

describe('duplicate, early and late messages under load', () => {
  it(`given ${N} applications in flight on every path, when each decision and resubmission is sent twice, resubmissions come as soon as the case shows its discrepancy, are redelivered, and arrive again after the case ended, then nothing changes twice, nothing is lost and each dropped message is logged once`, async () => {
    const pool = f.stack.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    load = f.load(N, 'DM');
    load.duplicateRequests = true;
    const submitting = load.submitAll();
    const driving = load.drive();

    // redeliveries: each resubmission, once the engine took it, is delivered again under its
    // own message id (as a second source would); no instance waits for it any more
    const redelivered = new Set<string>();
    const redeliver = (async () => {
      while (redelivered.size < load.cases.filter((c) => c.path === 'resubmit').length) {
        const { rows } = await query(
          `SELECT correlation_key AS id FROM engine_outbox
            WHERE message_name = $1 AND status = 'published' AND NOT (correlation_key = ANY($2::text[]))`,
          [RESUBMITTED, [...redelivered]],
        );
        for (const { id } of rows as { id: string }[]) {
          await inTransaction(pool, async (tx) => {
            const m = {
              name: RESUBMITTED,
              correlationKey: id,
              messageId: `redelivery:${id}`,
              variables: {},
              ttlMs: 3000,
            };
            await enqueueMessage(tx, m);
            await enqueueMessage(tx, m); // the same message id twice: stored once
          });
          redelivered.add(id);
        }
        f.stack.outbox.kick();
        await sleep(500);
      }
    })();

    await submitting;
    const done = await settled(load, query, 600_000);
    await redeliver;
    load.stop();
    await driving;

    // late: the resubmission once more, for every case that had a discrepancy round, after it ended
    const hadRound = load.cases.filter((c) => c.path === 'resubmit' || c.path === 'lapse');
    await inTransaction(pool, async (tx) => {
      for (const c of hadRound)
        await enqueueMessage(tx, {
          name: RESUBMITTED,
          correlationKey: c.id!,
          messageId: `late:${c.id}`,
          variables: {},
        });
    });
    f.stack.outbox.kick();
    const late = await eventually(
      async () => {
        const { rows } = await query(
          `SELECT id::text AS id, status, drop_reason AS reason FROM engine_outbox WHERE message_id LIKE 'late:%'`,
        );
        return rows.length === hadRound.length &&
          rows.every((r: { status: string }) => r.status !== 'pending')
          ? (rows as { id: string; status: string; reason: string }[])
          : undefined;
      },
      120_000,
      500,
    );
    const redeliveries = await eventually(
      async () => {
        const { rows } = await query(
          `SELECT id::text AS id, status, drop_reason AS reason FROM engine_outbox WHERE message_id LIKE 'redelivery:%'`,
        );
        return rows.every((r: { status: string }) => r.status !== 'pending')
          ? (rows as { id: string; status: string; reason: string }[])
          : undefined;
      },
      60_000,
      500,
    );
    const { rows: early } = await query(
      `SELECT count(*)::int AS n FROM engine_outbox
        WHERE message_name = $1 AND message_id NOT LIKE 'redelivery:%' AND message_id NOT LIKE 'late:%'
          AND status = 'published' AND attempts > 1`,
      [RESUBMITTED],
    );
    const result = await outcomeOf(
      'duplicate, early and late messages',
      load,
      query,
      f.sms,
      f.smtp,
    );
    // the second round of a resubmitted case: one, however often it was sent
    const { rows: rounds } = await query(
      `SELECT count(*)::int AS n FROM discrepancy_round
        WHERE application_id = ANY($1::uuid[]) AND resubmitted_at IS NOT NULL`,
      [load.cases.filter((c) => c.path === 'resubmit').map((c) => c.id)],
    );
    const resubmitCases = load.cases.filter((c) => c.path === 'resubmit').length;
    printTally({
      ...result.tally,
      duplicated: result.tally.duplicated + load.doubleAccepted,
      detail: `decisions and resubmissions each sent twice, ${load.doubleAccepted} pairs taken twice; ${early[0].n} early resubmissions delivered after waiting; ${redeliveries.length} redeliveries and ${late.length} late messages dropped; ${result.tally.detail}`,
    });
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    expect(load.doubleAccepted).toBe(0);
    expect(rounds[0].n).toBe(resubmitCases);
    // every resubmission the portal queued reached its process, early or not (an early one waits
    // in the outbox with backoff; engine-messages.test.ts forces that case one message at a time)
    const { rows: portalResubmissions } = await query(
      `SELECT status, count(*)::int AS n FROM engine_outbox
        WHERE message_name = $1 AND message_id LIKE $2 GROUP BY status`,
      [RESUBMITTED, `${RESUBMITTED}:%`],
    );
    expect(portalResubmissions).toEqual([{ status: 'published', n: resubmitCases }]);
    expect(redeliveries).toHaveLength(resubmitCases);
    for (const r of redeliveries) {
      expect(r).toMatchObject({
        status: 'dropped',
        reason: expect.stringMatching(/deadline passed|late/),
      });
      expect(dropLogs(r.id)).toBe(1);
    }
    for (const r of late) {
      expect(r).toMatchObject({ status: 'dropped', reason: expect.stringMatching(/^late/) });
      expect(dropLogs(r.id)).toBe(1);
    }
  }, 900_000);
});
