import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import {
  BODY_REVIEWER,
  caseView,
  entryOnList,
  entryStatus,
  openTaskOfCase,
  waitForCase,
} from '../support/waitlist.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
  await t.clock.reset();
});
afterAll(async () => {
  await t?.clock.reset();
  await t?.stop();
});

const today = () => new Date().toISOString().slice(0, 10);

async function seize(entryId: string, ground: string, source: 'person' | 'reviewer' = 'reviewer') {
  const res = await t.api(`/api/v1/waitlist/entries/${entryId}/seizure-cases`, {
    body: { ground, source, establishedOn: today() },
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`seize: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { caseId: string; created: boolean };
}

const decideCase = (taskId: string, body: Record<string, unknown>) =>
  t.api(`/api/v1/review-tasks/${taskId}/decision`, { body, headers: BODY_REVIEWER });

async function removalDecided(caseId: string) {
  return waitForCase(t, caseId, (c) => c.status === 'removal-decided' && c.decisions.length > 0);
}

/** The engine waits on the appeal window; move its clock past the end of the appeal period. */
async function appealPeriodPasses(): Promise<void> {
  await new Promise((r) => setTimeout(r, 800));
  await t.clock.pin(new Date(Date.now() + 40 * 86_400_000));
}

async function position(entryId: string): Promise<number> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT count(*)::int + 1 AS p FROM waitlist_entry e, waitlist_entry me
      WHERE me.id = $1 AND e.waitlist_id = me.waitlist_id AND e.status IN ('active', 'held')
        AND (e.registration_date, e.id) < (me.registration_date, me.id)`,
    [entryId],
  );
  return rows[0].p;
}

describe('seizure of a waitlist slot (Housing Code 55, 004 §19)', () => {
  it.each([
    'remove-own-request',
    'remove-need-ceased',
    'remove-moved-away',
    'remove-preferential-mortgage',
    'remove-land-plot',
    'remove-untrue-data',
    'remove-death',
    'remove-sentence',
    'remove-left-employer',
  ])(
    'given the ground %s, when the reviewer removes, then the slot is released only after the appeal period and the next moves up',
    async (ground) => {
      await t.clock.reset();
      const fin =
        `5SZ${String(ground.length).padStart(2, '0')}${ground.slice(7, 9).toUpperCase()}`.slice(
          0,
          7,
        );
      const first = await entryOnList(t, fin, { registrationDate: '2001-01-01' });
      const behind = await entryOnList(t, `${fin.slice(0, 6)}Z`, {
        registrationDate: '2001-01-02',
      });
      const before = await position(behind);
      const { caseId } = await seize(
        first,
        ground,
        ground === 'remove-own-request' ? 'person' : 'reviewer',
      );
      const { taskId } = await openTaskOfCase(t, caseId);
      expect(
        (
          await decideCase(taskId, {
            outcome: 'remove',
            legalGround: ground,
            reason: 'Əsas sənədlərlə təsdiq olunub.',
          })
        ).status,
      ).toBe(200);
      const decided = await removalDecided(caseId);
      expect(decided.decisions[0]).toEqual(expect.objectContaining({ legalGround: ground }));
      // not final yet: the slot is kept during the appeal period (55.2)
      expect((await entryStatus(t, first)).status).toBe('active');
      await appealPeriodPasses();
      await waitForCase(t, caseId, (c) => c.outcome === 'removed');
      expect(await entryStatus(t, first)).toEqual(
        expect.objectContaining({ status: 'removed', removal_ground: ground }),
      );
      expect(await position(behind)).toBe(before - 1);
      await t.clock.reset();
    },
  );

  it('given a retention case (temporary absence), when the reviewer retains, then the slot stays and the case closes', async () => {
    const entry = await entryOnList(t, '5SZRET1');
    const { caseId } = await seize(entry, 'remove-moved-away');
    const { taskId } = await openTaskOfCase(t, caseId);
    await decideCase(taskId, {
      outcome: 'retain',
      legalGround: 'retain-temporary-absence',
      reason: 'Müvəqqəti olaraq başqa yerdə yaşayır, mənzil hüququ saxlanılır.',
    });
    const c = await waitForCase(t, caseId, (x) => x.outcome === 'retained');
    expect(c.decisions[0]).toEqual(
      expect.objectContaining({
        legalGround: 'retain-temporary-absence',
        citation: '004 §20(a); Mənzil Məcəlləsi 54',
      }),
    );
    expect((await entryStatus(t, entry)).status).toBe('active');
  });

  it('given a second ground while a case is open, then it joins that case and no second case starts', async () => {
    const entry = await entryOnList(t, '5SZDUP1');
    const first = await seize(entry, 'remove-land-plot');
    const second = await seize(entry, 'remove-preferential-mortgage');
    expect(second).toEqual({ caseId: first.caseId, created: false });
  });

  it('given the removal is appealed and upheld, then the slot is released; overturned, then it is kept', async () => {
    const upheld = await entryOnList(t, '5SZAP01');
    const overturned = await entryOnList(t, '5SZAP02');
    const cases: string[] = [];
    for (const entry of [upheld, overturned]) {
      const { caseId } = await seize(entry, 'remove-untrue-data');
      const { taskId } = await openTaskOfCase(t, caseId);
      await decideCase(taskId, {
        outcome: 'remove',
        legalGround: 'remove-untrue-data',
        reason: 'Həqiqətə uyğun olmayan arayış təqdim edilib.',
      });
      await removalDecided(caseId);
      await new Promise((r) => setTimeout(r, 500));
      expect(
        (await t.api(`/api/v1/waitlist/cases/${caseId}/appeal`, { body: { filedOn: today() } }))
          .status,
      ).toBe(202);
      cases.push(caseId);
    }
    await new Promise((r) => setTimeout(r, 800));
    await t.api(`/api/v1/waitlist/cases/${cases[0]}/appeal-outcome`, {
      body: { upheld: true, decidedOn: today() },
    });
    await t.api(`/api/v1/waitlist/cases/${cases[1]}/appeal-outcome`, {
      body: { upheld: false, decidedOn: today() },
    });
    await waitForCase(t, cases[0]!, (c) => c.outcome === 'removed');
    await waitForCase(t, cases[1]!, (c) => c.outcome === 'overturned');
    expect((await entryStatus(t, upheld)).status).toBe('removed');
    expect((await entryStatus(t, overturned)).status).toBe('active');
  });

  it('given the 30 working days pass without a decision (55.2), then operators are alerted', async () => {
    const entry = await entryOnList(t, '5SZOVR1');
    const { caseId } = await seize(entry, 'remove-sentence');
    const task = await openTaskOfCase(t, caseId);
    await t.clock.pin(new Date(new Date(task.dueAt).getTime() + 1000));
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return rows[0].overdue_escalated_at;
    });
    await t.clock.reset();
  });
});

describe('death of a registered member of a martyr family (002 §2.1, 55.1.7)', () => {
  it('given the death, then the slot is held 3 months and the family is told; a transfer granted ends the hold at once', async () => {
    await t.clock.reset();
    const entry = await entryOnList(t, '5SZMT01', { groundsOfNeed: ['martyr-family'] });
    const { caseId } = await seize(entry, 'remove-death');
    const held = await eventually(async () => {
      const e = await entryStatus(t, entry);
      return e.status === 'held' ? e : undefined;
    });
    expect(held.held_until).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    await eventually(async () => {
      const n = await t.stack.db.pool.query(
        `SELECT 1 FROM notice_outbox WHERE case_id = $1 AND template = 'waitlist-slot-held'`,
        [caseId],
      );
      return n.rowCount;
    });
    // no reviewer task while the slot is held
    const tasks = await t.stack.db.pool.query(`SELECT 1 FROM review_task WHERE case_id = $1`, [
      caseId,
    ]);
    expect(tasks.rowCount).toBe(0);
    await t.stack.db.pool.query(
      `INSERT INTO engine_outbox (message_name, correlation_key, message_id, variables) VALUES ('registration-transfer-granted', $1, $2, '{}')`,
      [entry, `transfer-granted:${entry}`],
    );
    t.stack.outbox.kick();
    await waitForCase(t, caseId, (c) => c.outcome === 'transferred');
    expect((await entryStatus(t, entry)).status).toBe('active');
  });

  it('given no transfer application within 3 months, then the slot is removed on 55.1.7 once the decision is final', async () => {
    await t.clock.reset();
    const entry = await entryOnList(t, '5SZMT02', { groundsOfNeed: ['martyr-family'] });
    const { caseId } = await seize(entry, 'remove-death');
    const held = await eventually(async () => {
      const e = await entryStatus(t, entry);
      return e.status === 'held' ? e : undefined;
    });
    await new Promise((r) => setTimeout(r, 800));
    await t.clock.pin(new Date(new Date(`${held.held_until}T23:59:59.999+04:00`).getTime() + 1000));
    const decided = await removalDecided(caseId);
    expect(decided.decisions[0]).toEqual(
      expect.objectContaining({ legalGround: 'remove-death', decidedBy: 'system' }),
    );
    await new Promise((r) => setTimeout(r, 800));
    await t.clock.pin(
      new Date(new Date(`${held.held_until}T12:00:00+04:00`).getTime() + 45 * 86_400_000),
    );
    await waitForCase(t, caseId, (c) => c.outcome === 'removed');
    expect((await entryStatus(t, entry)).status).toBe('removed');
    await t.clock.reset();
  });
});

describe('seizure requests are validated', () => {
  it('given an unknown ground or a bad date, then 400 names the fields and nothing is opened', async () => {
    const entry = await entryOnList(t, '5SZBAD1');
    const res = await t.api(`/api/v1/waitlist/entries/${entry}/seizure-cases`, {
      body: { ground: 'remove-bad-luck', source: 'reviewer', establishedOn: 'yesterday' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['ground', 'establishedOn']),
    );
    expect(
      (await t.stack.db.pool.query(`SELECT 1 FROM waitlist_case WHERE entry_id = $1`, [entry]))
        .rowCount,
    ).toBe(0);
  });

  it('given an appeal on a case without a removal decision, then 409', async () => {
    const entry = await entryOnList(t, '5SZBAD2');
    const { caseId } = await seize(entry, 'remove-land-plot');
    expect(
      (await t.api(`/api/v1/waitlist/cases/${caseId}/appeal`, { body: { filedOn: today() } }))
        .status,
    ).toBe(409);
    expect((await caseView(t, caseId)).status).not.toBe('appealed');
  });
});
