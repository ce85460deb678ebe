import { deadlineFromEvent, toVariables } from '../../src/cases/deadlines.js';
import { deadlineEnd, type CivilDate } from '../../src/domain/calendar.js';
import { ok } from '../../src/engine/rest.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkAnswers, type AnswerLog } from '../support/openapi-answers.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';
import {
  BODY_REVIEWER,
  caseView,
  entryOnList,
  entryStatus,
  inboxRowAndFile,
  openTaskOfCase,
  registryIdentity,
  waitForCase,
} from '../support/waitlist.js';
import { as } from '../support/auth.js';
import { decideTask, fileTransfer, transferApplication } from '../support/transfer.js';

let t: TestStack;
let answers: AnswerLog;
beforeAll(async () => {
  t = await startTestStack();
  answers = checkAnswers(t);
}, 180_000);
afterAll(async () => {
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

/** A removal takes effect when decided (55.2 sets no appeal period). */
async function removalDecided(caseId: string) {
  return waitForCase(t, caseId, (c) => c.outcome === 'removed' && c.decisions.length > 0);
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
  ])(
    'Housing Code 55.2: given the 55.1 ground %s, when the reviewer removes, then the removal takes effect with no appeal period, the next moves up and the notice names no appeal deadline',
    async (ground) => {
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
      const removed = await waitForCase(t, caseId, (c) => c.outcome === 'removed');
      expect(removed.decisions[0]).toEqual(expect.objectContaining({ legalGround: ground }));
      expect(await entryStatus(t, first)).toEqual(
        expect.objectContaining({ status: 'removed', removal_ground: ground }),
      );
      expect(await position(behind)).toBe(before - 1);
      // nothing waits for an appeal period: the instance ends
      await eventually(async () => {
        const running = ok(
          await t.engine.GET('/process-instance', { params: { query: { businessKey: caseId } } }),
        );
        return running.length === 0 ? true : undefined;
      });
      const notice = await eventually(async () => {
        const { rows } = await t.stack.db.pool.query(
          `SELECT body FROM notice_outbox WHERE case_id = $1 AND template = 'waitlist-removal-decided'`,
          [caseId],
        );
        return rows[0]?.body as string | undefined;
      });
      expect(notice).toMatch(/55\.2/);
      expect(notice).not.toMatch(/tarixinədək|until/i);
    },
  );

  it.each(['remove-sentence', 'remove-left-employer'])(
    'Housing Code 55.2: given the ground %s (004 §19 only, no case of 55.1), then a seizure request is refused with 400 naming the ground and nothing is opened',
    async (ground) => {
      const entry = await entryOnList(t, `5SZN${ground === 'remove-sentence' ? 'SE' : 'LE'}1`);
      const res = await t.api(`/api/v1/waitlist/entries/${entry}/seizure-cases`, {
        body: { ground, source: 'reviewer', establishedOn: today() },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['ground']);
      expect(
        (await t.stack.db.pool.query(`SELECT 1 FROM waitlist_case WHERE entry_id = $1`, [entry]))
          .rowCount,
      ).toBe(0);
    },
  );

  it('Housing Code 55.2: given a case opened before on a sentence, then its earlier decision still reads, no removal may cite the ground, and the reviewer retains the place (Art. 54)', async () => {
    const entry = await entryOnList(t, '5SZOLD1');
    // a case and decision recorded before the ground was withdrawn (as old data would be)
    const { rows } = await t.stack.db.pool.query<{ id: string }>(
      `INSERT INTO waitlist_case (kind, body_code, entry_id, ground, source, established_on, status, outcome, decided_at, final_at)
       VALUES ('seizure', 'baku-nasimi', $1, 'remove-sentence', 'registry', '2025-01-10', 'closed', 'retained', now(), now()) RETURNING id`,
      [entry],
    );
    await t.stack.db.pool.query(
      `INSERT INTO decision (case_type, case_id, outcome, legal_ground, reason, decided_by) VALUES ('waitlist-case', $1, 'remove', 'remove-sentence', 'köhnə qərar', 'reviewer')`,
      [rows[0]!.id],
    );
    const old = await caseView(t, rows[0]!.id);
    expect(old.ground).toBe('remove-sentence');
    expect(old.decisions[0]).toEqual(
      expect.objectContaining({ legalGround: 'remove-sentence', citation: '004 §19(d)' }),
    );

    const { caseId } = await seize(entry, 'remove-land-plot');
    const { taskId } = await openTaskOfCase(t, caseId);
    const refused = await decideCase(taskId, {
      outcome: 'remove',
      legalGround: 'remove-sentence',
      reason: 'Məhkum edilib.',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['legalGround']);
    const grounds = await t.api('/api/v1/legal-grounds', {
      headers: BODY_REVIEWER,
    });
    const codes = grounds.body.map((g: { code: string }) => g.code);
    expect(codes).toEqual(expect.arrayContaining(['remove-death', 'retain-no-removal-ground']));
    expect(codes).not.toEqual(expect.arrayContaining(['remove-sentence']));
    expect(codes).not.toEqual(expect.arrayContaining(['remove-left-employer']));
    expect(
      (
        await decideCase(taskId, {
          outcome: 'retain',
          legalGround: 'retain-no-removal-ground',
          reason: 'Torpaq sahəsi yaşayış evi tikintisi üçün verilməyib.',
        })
      ).status,
    ).toBe(200);
    await waitForCase(t, caseId, (c) => c.outcome === 'retained');
    expect((await entryStatus(t, entry)).status).toBe('active');
  });

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

  it('Housing Code 55.2: given a removal appealed in court long after the decision and overturned, then the entry is restored with its original registration date and number and its queue position', async () => {
    const ahead = await entryOnList(t, '5SZAP00', { registrationDate: '2003-05-05' });
    const overturned = await entryOnList(t, '5SZAP02', { registrationDate: '2003-05-06' });
    const behind = await entryOnList(t, '5SZAP03', { registrationDate: '2003-05-07' });
    void ahead;
    const original = await t.stack.db.pool.query(
      `SELECT registration_date::text, decision_number FROM waitlist_entry WHERE id = $1`,
      [overturned],
    );
    const placeBefore = await position(overturned);
    const behindBefore = await position(behind);
    const { caseId } = await seize(overturned, 'remove-untrue-data');
    const { taskId } = await openTaskOfCase(t, caseId);
    await decideCase(taskId, {
      outcome: 'remove',
      legalGround: 'remove-untrue-data',
      reason: 'Həqiqətə uyğun olmayan arayış təqdim edilib.',
    });
    await waitForCase(t, caseId, (c) => c.outcome === 'removed');
    expect(await position(behind)).toBe(behindBefore - 1);
    // filed a year and a half after the decision: no period applies, so it is recorded
    const appeal = await t.api(`/api/v1/waitlist/cases/${caseId}/appeal`, {
      body: { filedOn: '2028-06-01' },
    });
    expect(appeal.status).toBe(202);
    expect((await caseView(t, caseId)).status).toBe('appealed');
    const outcome = await t.api(`/api/v1/waitlist/cases/${caseId}/appeal-outcome`, {
      body: { upheld: false, decidedOn: '2029-02-01' },
    });
    expect(outcome.status).toBe(202);
    expect(outcome.body).toEqual(
      expect.objectContaining({ outcome: 'overturned', restored: true }),
    );
    const restored = await t.stack.db.pool.query(
      `SELECT status, registration_date::text, decision_number, removed_on, removal_ground FROM waitlist_entry WHERE id = $1`,
      [overturned],
    );
    expect(restored.rows[0]).toEqual({
      status: 'active',
      registration_date: original.rows[0].registration_date,
      decision_number: original.rows[0].decision_number,
      removed_on: null,
      removal_ground: null,
    });
    expect(await position(overturned)).toBe(placeBefore);
    expect(await position(behind)).toBe(behindBefore);
    expect((await caseView(t, caseId)).outcome).toBe('overturned');
    const notice = await t.stack.db.pool.query(
      `SELECT 1 FROM notice_outbox WHERE case_id = $1 AND template = 'waitlist-removal-overturned'`,
      [caseId],
    );
    expect(notice.rowCount).toBeGreaterThan(0);
  });

  it('Housing Code 55.2: given a removal appealed and upheld, then the removal stands', async () => {
    const upheld = await entryOnList(t, '5SZAP01');
    const { caseId } = await seize(upheld, 'remove-untrue-data');
    const { taskId } = await openTaskOfCase(t, caseId);
    await decideCase(taskId, {
      outcome: 'remove',
      legalGround: 'remove-untrue-data',
      reason: 'Həqiqətə uyğun olmayan arayış təqdim edilib.',
    });
    await waitForCase(t, caseId, (c) => c.outcome === 'removed');
    expect(
      (await t.api(`/api/v1/waitlist/cases/${caseId}/appeal`, { body: { filedOn: today() } }))
        .status,
    ).toBe(202);
    const res = await t.api(`/api/v1/waitlist/cases/${caseId}/appeal-outcome`, {
      body: { upheld: true, decidedOn: today() },
    });
    expect(res.status).toBe(202);
    expect((await entryStatus(t, upheld)).status).toBe('removed');
    expect((await caseView(t, caseId)).outcome).toBe('removed');
  });

  it('given the 30 working days pass without a decision (55.2), then operators are alerted', async () => {
    const entry = await entryOnList(t, '5SZOVR1');
    const { caseId } = await seize(entry, 'remove-land-plot');
    const task = await openTaskOfCase(t, caseId);
    await fireTimer(t.engine, { businessKey: caseId, activityId: 'seizure-overdue' }, task.dueAt);
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return rows[0].overdue_escalated_at;
    });
  });
});

describe('death of a registered member of a martyr family (002 §2.1, 55.1.7)', () => {
  it('given the death, then the slot is held 3 months and the family is told; a transfer granted ends the hold at once', async () => {
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

  it('given no transfer application within 3 months, then the slot is removed on 55.1.7', async () => {
    const entry = await entryOnList(t, '5SZMT02', { groundsOfNeed: ['martyr-family'] });
    const { caseId } = await seize(entry, 'remove-death');
    const held = await eventually(async () => {
      const e = await entryStatus(t, entry);
      return e.status === 'held' ? e : undefined;
    });
    // the hold lasts 3 months from the death (002 §2.1), to the end of that day in Baku
    await fireTimer(
      t.engine,
      { businessKey: caseId, activityId: 'hold-expired' },
      deadlineEnd(held.held_until as CivilDate),
    );
    const decided = await waitForCase(t, caseId, (c) => c.outcome === 'removed');
    expect(decided.decisions[0]).toEqual(
      expect.objectContaining({ legalGround: 'remove-death', decidedBy: 'system' }),
    );
    expect((await entryStatus(t, entry)).status).toBe('removed');
  });
});

/** The spouse's and the adult child's FINs, one pair per slot (a person holds one slot). */
const familyFins = (fin: string): [string, string] => [
  `${fin.slice(0, 3)}${fin.slice(5)}SP`,
  `${fin.slice(0, 3)}${fin.slice(5)}CH`,
];

/** A martyr family's slot held after the death (002 §2.1), with the family the file lists. */
async function heldSlot(fin: string) {
  const entry = await entryOnList(t, fin, { groundsOfNeed: ['martyr-family'] });
  await t.stack.db.pool.query(
    `INSERT INTO waitlist_family_member (entry_id, fin, relation, birth_date, adult)
     VALUES ($1, $2, 'spouse', '1980-04-04', true), ($1, $3, 'child', '2001-05-05', true),
            ($1, NULL, 'child', '2016-07-07', false)`,
    [entry, ...familyFins(fin)],
  );
  const { caseId } = await seize(entry, 'remove-death');
  const held = await eventually(async () => {
    const e = await entryStatus(t, entry);
    return e.status === 'held' ? e : undefined;
  });
  // 002 §2.1: 3 months from the death (the ground's day here), computed with the calendar
  const window = await deadlineFromEvent(t.stack.db.pool, 'transfer-application-window', today());
  expect(held.held_until).toBe(window.dueDate);
  return { entry, caseId, heldUntil: held.held_until as CivilDate };
}

async function fileFor(entry: string, fin: string): Promise<string> {
  const res = await fileTransfer(
    t,
    entry,
    transferApplication(...familyFins(fin), { eventDate: today() }),
  );
  if (res.status !== 201) throw new Error(`transfer: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.caseId as string;
}

async function decideTransfer(transferCaseId: string, outcome: string, legalGround: string) {
  const { taskId } = await openTaskOfCase(t, transferCaseId);
  const res = await decideTask(t, taskId, {
    outcome,
    legalGround,
    reason: 'Sənədlər yoxlanılıb, qərar əsaslandırılıb.',
  });
  expect(res.status).toBe(200);
  await eventually(async () => {
    const { rows } = await t.stack.db.pool.query(
      `SELECT final_at FROM waitlist_case WHERE id = $1`,
      [transferCaseId],
    );
    return rows[0]?.final_at;
  }, 60_000);
}

async function windowEnds(caseId: string, heldUntil: CivilDate) {
  await fireTimer(
    t.engine,
    { businessKey: caseId, activityId: 'hold-expired' },
    deadlineEnd(heldUntil),
  );
  return eventually(async () => {
    const { rows } = await t.stack.db.pool.query(
      `SELECT details->'transferWindow'->>'state' AS state FROM waitlist_case WHERE id = $1`,
      [caseId],
    );
    return rows[0]?.state as string | undefined;
  });
}

/** The outbox delivered the message to the seizure instance. */
async function delivered(name: string, transferCaseId: string) {
  await eventually(async () => {
    const { rows } = await t.stack.db.pool.query(
      `SELECT published_at FROM engine_outbox WHERE message_id = $1`,
      [`${name}:${transferCaseId}`],
    );
    return rows[0]?.published_at;
  });
}

const decisionsOf = async (caseId: string) =>
  (
    await t.stack.db.pool.query(
      `SELECT outcome, legal_ground, decided_by, reason FROM decision WHERE case_id = $1`,
      [caseId],
    )
  ).rows;

describe('002 §2.1, §2.6; 004 §20: a martyr family that applied in time keeps the place', () => {
  it('002 §2.6: given an application filed in the window and still under review when the 3 months end, then the slot stays held and the granted transfer ends the hold', async () => {
    const { entry, caseId, heldUntil } = await heldSlot('5SZKP01');
    const transfer = await fileFor(entry, '5SZKP01');
    await openTaskOfCase(t, transfer);
    expect(await windowEnds(caseId, heldUntil)).toBe('pending');
    // no removal while the family's application is open
    await new Promise((r) => setTimeout(r, 1500));
    expect(await decisionsOf(caseId)).toEqual([]);
    expect((await entryStatus(t, entry)).status).toBe('held');
    await decideTransfer(transfer, 'transfer', 'transfer-registration');
    await waitForCase(t, caseId, (c) => c.outcome === 'transferred');
    expect((await entryStatus(t, entry)).status).toBe('active');
    expect(await decisionsOf(caseId)).toEqual([]);
  });

  it('002 §3.1; 55.2: given the in-time application refused after the window, then a reviewer decides the removal within 30 working days of the refusal, with their own reasons', async () => {
    const { entry, caseId, heldUntil } = await heldSlot('5SZKP02');
    const transfer = await fileFor(entry, '5SZKP02');
    await openTaskOfCase(t, transfer);
    expect(await windowEnds(caseId, heldUntil)).toBe('pending');
    await decideTransfer(transfer, 'refuse', 'refuse-transfer-housing-sufficient');
    const task = await openTaskOfCase(t, caseId);
    // 55.2: 30 working days from the refusal (decided today), computed with the calendar
    const due = toVariables(await deadlineFromEvent(t.stack.db.pool, 'seizure-decision', today()));
    await fireTimer(
      t.engine,
      { businessKey: caseId, activityId: 'resumed-review-overdue' },
      due.dueAt,
    );
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return rows[0]?.overdue_escalated_at;
    });
    const reason = 'Ailənin mənzil şəraiti uçot normasına uyğundur, ötürmədən imtina edilib.';
    expect(
      (await decideCase(task.taskId, { outcome: 'remove', legalGround: 'remove-death', reason }))
        .status,
    ).toBe(200);
    const decided = await removalDecided(caseId);
    expect(decided.decisions).toEqual([
      expect.objectContaining({ legalGround: 'remove-death', reason }),
    ]);
    expect(decided.decisions[0].decidedBy).not.toBe('system');
    await waitForCase(t, caseId, (c) => c.outcome === 'removed');
    expect((await entryStatus(t, entry)).status).toBe('removed');
  });

  it('002 §3.4–3.5; 004 §20: given the application refused within the window, then the hold goes on; at its end a reviewer decides and may keep the slot', async () => {
    const { entry, caseId, heldUntil } = await heldSlot('5SZKP03');
    const transfer = await fileFor(entry, '5SZKP03');
    await decideTransfer(transfer, 'refuse', 'refuse-transfer-unworthy-heir');
    await delivered('registration-transfer-refused', transfer);
    expect((await entryStatus(t, entry)).status).toBe('held');
    expect(await decisionsOf(caseId)).toEqual([]);
    expect(await windowEnds(caseId, heldUntil)).toBe('refused');
    const task = await openTaskOfCase(t, caseId);
    await decideCase(task.taskId, {
      outcome: 'retain',
      legalGround: 'retain-family-need-remains',
      reason: 'Ailənin mənzilə ehtiyacı qalır; digər ailə üzvü müraciət edə bilər.',
    });
    await waitForCase(t, caseId, (c) => c.outcome === 'retained');
    expect((await entryStatus(t, entry)).status).toBe('active');
  });

  it('002 §3.4: given the removal review resumed, when the cured application is granted, then the hold ends by the transfer and the task is withdrawn', async () => {
    const { entry, caseId, heldUntil } = await heldSlot('5SZKP04');
    const first = await fileFor(entry, '5SZKP04');
    await decideTransfer(first, 'refuse', 'refuse-transfer-documents-missing');
    await delivered('registration-transfer-refused', first);
    expect(await windowEnds(caseId, heldUntil)).toBe('refused');
    const task = await openTaskOfCase(t, caseId);
    const cured = await fileFor(entry, '5SZKP04');
    await decideTransfer(cured, 'transfer', 'transfer-registration');
    await waitForCase(t, caseId, (c) => c.outcome === 'transferred');
    expect((await entryStatus(t, entry)).status).toBe('active');
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT cancelled FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return rows[0]?.cancelled === true ? true : undefined;
    });
    expect(await decisionsOf(caseId)).toEqual([]);
  });

  it('55.1.7: given no application in the window, then the system removal says so with its dates and never when one was filed', async () => {
    const { caseId, heldUntil } = await heldSlot('5SZKP05');
    expect(await windowEnds(caseId, heldUntil)).toBe('none');
    const decided = await removalDecided(caseId);
    expect(decided.decisions).toEqual([
      expect.objectContaining({
        legalGround: 'remove-death',
        decidedBy: 'system',
        reason: expect.stringContaining(`${today()}) ${heldUntil} tarixinədək 3 ay ərzində`),
      }),
    ]);
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

describe('the registered person by name (002 §2.3: fetched from the identity registry, not asked for)', () => {
  const storedIdentity = async (caseId: string) =>
    (
      await t.stack.db.pool.query(
        `SELECT applicant_name AS name, to_char(applicant_birth_date, 'YYYY-MM-DD') AS "birthDate",
                applicant_looked_up_at IS NOT NULL AS "lookedUp", status
           FROM waitlist_case WHERE id = $1`,
        [caseId],
      )
    ).rows[0];

  it('given a registered person the identity registry knows, when a seizure case opens, then the name and date of birth are stored and shown in the inbox row and the case file', async () => {
    const card = registryIdentity('SYWMOVE')!;
    const entry = await entryOnList(t, 'SYWMOVE');
    const { caseId } = await seize(entry, 'remove-moved-away');
    const { taskId } = await openTaskOfCase(t, caseId);
    expect(await storedIdentity(caseId)).toEqual({
      name: card.name,
      birthDate: card.birthDate,
      lookedUp: true,
      status: 'under_review',
    });
    const { row, file } = await inboxRowAndFile(t, taskId, 'waitlist-slot-seizure');
    expect(row).toEqual(
      expect.objectContaining({ applicantName: card.name, applicantNotInRegistry: false }),
    );
    expect(file.applicant).toEqual(
      expect.objectContaining({
        fin: 'SYWMOVE',
        name: card.name,
        birthDate: card.birthDate,
        notInRegistry: false,
      }),
    );
  });

  it('given a person the identity registry does not know, when a seizure case opens, then the case still opens with no name and says the registry does not know the person', async () => {
    expect(registryIdentity('SYUNKNW')).toBeUndefined();
    const entry = await entryOnList(t, 'SYUNKNW');
    const { caseId } = await seize(entry, 'remove-need-ceased');
    const { taskId } = await openTaskOfCase(t, caseId);
    expect(await storedIdentity(caseId)).toEqual({
      name: null,
      birthDate: null,
      lookedUp: true,
      status: 'under_review',
    });
    const { row, file } = await inboxRowAndFile(t, taskId, 'waitlist-slot-seizure');
    expect(row).toEqual(
      expect.objectContaining({ applicantName: null, applicantNotInRegistry: true }),
    );
    expect(file.applicant).toEqual(
      expect.objectContaining({ name: null, birthDate: null, notInRegistry: true }),
    );
  });

  it('given the identity registry answers 503 once, when a seizure case opens, then the job is retried and the case opens with the name', async () => {
    const card = registryIdentity('SYWLAND')!;
    const entry = await entryOnList(t, 'SYWLAND');
    t.registry.reset();
    t.registry.failNext('identity', 1);
    const { caseId } = await seize(entry, 'remove-land-plot');
    await openTaskOfCase(t, caseId);
    expect(t.registry.calls.identity).toBe(2);
    expect(await storedIdentity(caseId)).toEqual(
      expect.objectContaining({ name: card.name, birthDate: card.birthDate }),
    );
  });

  it('given the identity registry down longer than the retries, then the opening ends in an incident with the case kept; when it is back and an operator retries, the case opens with the name', async () => {
    const operator = as('operator-1');
    const card = registryIdentity('SYWMORT')!;
    const entry = await entryOnList(t, 'SYWMORT');
    t.registry.reset();
    t.registry.failNext('identity', 1_000);
    const { caseId } = await seize(entry, 'remove-preferential-mortgage');
    const [instance] = await eventually(async () => {
      const list = ok(
        await t.engine.GET('/process-instance', { params: { query: { businessKey: caseId } } }),
      );
      return list.length ? list : undefined;
    });
    const incident = await eventually(async () => {
      const r = await t.api('/api/v1/operator/incidents?state=active&limit=100', {
        headers: operator,
      });
      return (r.body.items as { id: string; processInstanceId: string; elementId: string }[]).find(
        (i) => i.processInstanceId === instance!.id && i.elementId === 'open-seizure-case-task',
      );
    }, 60_000);
    expect(t.registry.calls.identity).toBeGreaterThan(1); // retried before the incident
    // the case is not lost: it waits, unopened, for the registry
    expect(await storedIdentity(caseId)).toEqual({
      name: null,
      birthDate: null,
      lookedUp: false,
      status: 'open',
    });

    t.registry.reset(); // the registry is back
    const retried = await t.api(`/api/v1/operator/incidents/${incident.id}/retry`, {
      headers: operator,
      body: { retries: 3 },
    });
    expect(retried.status).toBe(200);
    await openTaskOfCase(t, caseId);
    expect(await storedIdentity(caseId)).toEqual({
      name: card.name,
      birthDate: card.birthDate,
      lookedUp: true,
      status: 'under_review',
    });
  });
});

// Last: it reads the answers every case above got (jest runs a file's tests in order).
describe('the OpenAPI document (issue 15)', () => {
  it('given every success answer of the cases above, then each conforms to the document', () => {
    expect(answers.problems).toEqual([]);
    expect([...answers.operations]).toEqual(
      expect.arrayContaining([
        'post /api/v1/waitlist/entries/{entryId}/seizure-cases',
        'post /api/v1/waitlist/cases/{caseId}/appeal',
        'post /api/v1/waitlist/cases/{caseId}/appeal-outcome',
      ]),
    );
  });
});
