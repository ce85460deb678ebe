import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkAnswers, type AnswerLog } from '../support/openapi-answers.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';
import {
  BODY,
  BODY_REVIEWER,
  caseView,
  entryOnList,
  openTaskOfCase,
  registrationRequest,
  waitForCase,
} from '../support/waitlist.js';

let t: TestStack;
let answers: AnswerLog;
beforeAll(async () => {
  t = await startTestStack();
  answers = checkAnswers(t);
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

async function file(fin: string, over: Record<string, unknown> = {}) {
  const res = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
    body: registrationRequest(fin, over),
  });
  if (res.status !== 201) throw new Error(`filing: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    caseId: string;
    receipt: { date: string; accepted: string[]; missing: string[] };
  };
}

const decideCase = (taskId: string, body: Record<string, unknown>) =>
  t.api(`/api/v1/review-tasks/${taskId}/decision`, { body, headers: BODY_REVIEWER });

describe('waitlist registration (Housing Code 51–53)', () => {
  it('given an application with documents, then the receipt lists accepted and missing documents with the date (51.4)', async () => {
    const { receipt } = await file('4WL0001', {
      documents: [
        { kind: 'identity-documents', accepted: true },
        { kind: 'residence-certificate', accepted: false },
      ],
    });
    expect(receipt).toEqual({
      date: '2026-11-20',
      accepted: ['identity-documents'],
      missing: ['residence-certificate'],
    });
  });

  it('given a family below the norm, then the need is checked and the decision is due in 30 working days of the documents (51.5)', async () => {
    const { caseId } = await file('4WL0002');
    const task = await openTaskOfCase(t, caseId);
    // 20 Nov 2026 + 30 working days (weekends; no holidays until 31 Dec) = 1 Jan 2027 is off… → the seeded calendar decides
    expect(new Date(task.dueAt).getTime()).toBeGreaterThan(
      new Date('2026-12-30T00:00:00+04:00').getTime(),
    );
    const c = await caseView(t, caseId);
    expect(c.checks.housingNeed).toEqual(
      expect.objectContaining({ needsHousing: true, areaPerPersonM2: 7, normM2: 9 }),
    );
    expect(c.checks.worseningBar.barred).toBe(false);
  });

  it('given the reviewer registers, then the family gets a place dated the decision day, and the decision is delivered', async () => {
    const { caseId } = await file('4WL0003');
    const { taskId } = await openTaskOfCase(t, caseId);
    const res = await decideCase(taskId, {
      outcome: 'register',
      legalGround: 'register-need-confirmed',
      reason: 'Ailənin hər üzvünə 7 m² düşür, norma 9 m².',
    });
    expect(res.status).toBe(200);
    const c = await waitForCase(t, caseId, (x) => x.outcome === 'registered');
    expect(c.entryId).toEqual(expect.any(String));
    const pos = await t.stack.db.pool.query(
      `SELECT status, registration_date FROM waitlist_entry WHERE id = $1`,
      [c.entryId],
    );
    expect(pos.rows[0].status).toBe('active');
    await eventually(async () => {
      const n = await t.stack.db.pool.query(
        `SELECT template FROM notice_outbox WHERE case_id = $1`,
        [caseId],
      );
      return n.rows.some((r: { template: string }) => r.template === 'waitlist-registered');
    });
  });

  it.each([
    ['refuse-registration-documents-missing', 'Mənzil Məcəlləsi 53.1.1'],
    ['refuse-registration-no-right', 'Mənzil Məcəlləsi 53.1.2'],
    ['refuse-registration-worsened-housing', 'Mənzil Məcəlləsi 53.1.3, 52'],
  ])(
    'given the reviewer refuses on %s, then the refusal is reasoned, cites %s and is delivered with the appeal note',
    async (ground, citation) => {
      const fin = `4WR${ground.length.toString().padStart(4, '0')}`;
      const { caseId } = await file(
        fin,
        ground.includes('worsened') ? { worsenedHousingOn: '2024-06-01' } : {},
      );
      const { taskId } = await openTaskOfCase(t, caseId);
      await decideCase(taskId, {
        outcome: 'refuse',
        legalGround: ground,
        reason: 'Əsaslandırılmış imtina mətni.',
      });
      const c = await waitForCase(t, caseId, (x) => x.outcome === 'refused');
      expect(c.decisions[0]).toEqual(expect.objectContaining({ legalGround: ground, citation }));
      const n = await eventually(async () => {
        const r = await t.stack.db.pool.query(
          `SELECT body FROM notice_outbox WHERE case_id = $1 AND template = 'waitlist-registration-refused' AND channel = 'cabinet'`,
          [caseId],
        );
        return r.rows[0];
      });
      expect(n.body).toContain('53.3');
    },
  );

  it('given dwellings the family did not declare, then the real-estate registry’s holdings are summed in (50.2) and the need falls away', async () => {
    // SYOWNER owns one flat and half of another with the spouse SYSOWNR (synthetic registry data)
    const { caseId } = await file('SYOWNER', {
      family: [{ fin: 'SYSOWNR', relation: 'spouse' }],
      dwellings: [],
    });
    await openTaskOfCase(t, caseId);
    const c = await caseView(t, caseId);
    expect(c.checks.housingNeed.needsHousing).toBe(false);
    expect(c.checks.housingNeed.totalAreaM2).toBeGreaterThanOrEqual(120.5);
  });

  it('given a family that worsened its housing 2 years ago, then the check shows the 5-year bar (Art. 52)', async () => {
    const { caseId } = await file('4WL0004', { worsenedHousingOn: '2024-06-01' });
    await openTaskOfCase(t, caseId);
    const c = await caseView(t, caseId);
    expect(c.checks.worseningBar).toEqual(
      expect.objectContaining({ barred: true, until: '2029-06-01' }),
    );
  });

  it('given the 30 working days pass without a decision, then operators are alerted and the task stays', async () => {
    const { caseId } = await file('4WL0005');
    const task = await openTaskOfCase(t, caseId);
    await fireTimer(
      t.engine,
      { businessKey: caseId, activityId: 'registration-overdue' },
      task.dueAt,
    );
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return rows[0].overdue_escalated_at;
    });
    expect((await openTaskOfCase(t, caseId)).taskId).toBe(task.taskId);
  });

  it('given a ground of another process or decision kind, then the decision is refused naming legalGround', async () => {
    const { caseId } = await file('4WL0006');
    const { taskId } = await openTaskOfCase(t, caseId);
    const wrongProcess = await decideCase(taskId, {
      outcome: 'refuse',
      legalGround: 'refuse-not-in-category',
      reason: 'Səhv əsas seçilib.',
    });
    expect(wrongProcess.status).toBe(400);
    expect(wrongProcess.body.errors[0].field).toBe('legalGround');
  });

  it('given the same person already registered on the same list, then a second filing for that list is answered 409 naming listKind and nothing is stored', async () => {
    await file('4WL0007');
    const before = await t.stack.db.pool.query(`SELECT count(*)::int AS n FROM waitlist_case`);
    // the first case is not decided yet, so the family is not on a list: register it first
    const first = await t.stack.db.pool.query(
      `SELECT id FROM waitlist_case WHERE applicant_fin = '4WL0007'`,
    );
    const { taskId } = await openTaskOfCase(t, first.rows[0].id);
    await decideCase(taskId, {
      outcome: 'register',
      legalGround: 'register-need-confirmed',
      reason: 'Norma altındadır, uçota alınır.',
    });
    await waitForCase(t, first.rows[0].id, (x) => x.outcome === 'registered');
    const again = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
      body: registrationRequest('4WL0007'),
    });
    expect(again.status).toBe(409);
    expect(again.body.errors.map((e: { field: string }) => e.field)).toEqual(['listKind']);
    const after = await t.stack.db.pool.query(`SELECT count(*)::int AS n FROM waitlist_case`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it.each([
    ['first-turn', 'out-of-turn', '4WM0001'],
    ['out-of-turn', 'first-turn', '4WM0002'],
  ])(
    'Housing Code 51.2: given a place on the %s list, when the same citizen files for the %s list, then it is accepted and registered there too',
    async (held, wanted, fin) => {
      const first = await entryOnList(t, fin, { kind: held });
      const res = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
        body: registrationRequest(fin, { listKind: wanted }),
      });
      expect(res.status).toBe(201);
      const { caseId } = res.body as { caseId: string };
      const { taskId } = await openTaskOfCase(t, caseId);
      const c = await caseView(t, caseId);
      expect(c.checks.oneRegisteredMember).toEqual(
        expect.objectContaining({ ok: true, sameApplicantOtherLists: 1 }),
      );
      await decideCase(taskId, {
        outcome: 'register',
        legalGround: 'register-need-confirmed',
        reason: 'Növbədənkənar əsas da təsdiq olunub.',
      });
      const done = await waitForCase(t, caseId, (x) => x.outcome === 'registered');
      const places = await t.stack.db.pool.query(
        `SELECT e.id, l.kind FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
          WHERE e.registered_fin = $1 AND e.status = 'active' ORDER BY l.kind`,
        [fin],
      );
      expect(places.rows.map((r: { kind: string }) => r.kind).sort()).toEqual(
        [held, wanted].sort(),
      );
      expect(places.rows.map((r: { id: string }) => r.id)).toEqual(
        expect.arrayContaining([first, done.entryId]),
      );
    },
  );

  it('004 §10, Housing Code 53.2: given another member of the family is the registered one, then the filing is accepted (no 409), the check flags it and the reviewer refuses with a reasoned, delivered 53.1.2 decision', async () => {
    const spouseEntry = await entryOnList(t, '4WM0003');
    const res = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
      body: registrationRequest('4WM0004', {
        listKind: 'out-of-turn',
        family: [{ fin: '4WM0003', relation: 'spouse' }],
      }),
    });
    expect(res.status).toBe(201);
    const { caseId } = res.body as { caseId: string };
    const { taskId } = await openTaskOfCase(t, caseId);
    expect((await caseView(t, caseId)).checks.oneRegisteredMember).toEqual(
      expect.objectContaining({ ok: false, conflictingEntries: 1 }),
    );
    void spouseEntry;
    await decideCase(taskId, {
      outcome: 'refuse',
      legalGround: 'refuse-registration-no-right',
      reason:
        'Ailənin üzvü (həyat yoldaşı) artıq uçotdadır; ailədən yalnız biri uçota alınır (004 §10).',
    });
    const c = await waitForCase(t, caseId, (x) => x.outcome === 'refused');
    expect(c.decisions[0]).toEqual(
      expect.objectContaining({ citation: 'Mənzil Məcəlləsi 53.1.2' }),
    );
    await eventually(async () => {
      const r = await t.stack.db.pool.query(
        `SELECT 1 FROM notice_outbox WHERE case_id = $1 AND template = 'waitlist-registration-refused'`,
        [caseId],
      );
      return r.rowCount;
    });
  });

  describe('Housing Code 52, 53.1.3: the five-year bar is measured at the decision date', () => {
    const day = (offset: number, years = 0) => {
      const d = new Date(Date.now() + 4 * 3600_000); // Baku
      d.setUTCFullYear(d.getUTCFullYear() - years);
      d.setUTCDate(d.getUTCDate() + offset);
      return d.toISOString().slice(0, 10);
    };

    it('Housing Code 52, 53.1.3: given documents filed inside the bar and a decision after it ended, then the check is not barred, a 53.1.3 refusal is refused (400 legalGround) and registration goes through', async () => {
      // the acts 5 years and 2 days ago: the bar ended 2 days ago; the documents came 5 days ago
      const worsenedOn = day(-2, 5);
      const { caseId } = await file('4WM0005', {
        worsenedHousingOn: worsenedOn,
        documentsReceivedOn: day(-5),
      });
      const { taskId } = await openTaskOfCase(t, caseId);
      const c = await caseView(t, caseId);
      expect(c.checks.worseningBar).toEqual(
        expect.objectContaining({ barred: false, until: day(-2) }),
      );
      const refusal = await decideCase(taskId, {
        outcome: 'refuse',
        legalGround: 'refuse-registration-worsened-housing',
        reason: 'Sənədlər 5 illik müddət bitməmiş təqdim edilib.',
      });
      expect(refusal.status).toBe(400);
      expect(refusal.body.errors.map((e: { field: string }) => e.field)).toEqual(['legalGround']);
      expect(
        (
          await decideCase(taskId, {
            outcome: 'register',
            legalGround: 'register-need-confirmed',
            reason: '52-ci maddənin müddəti qərar günündən əvvəl bitib.',
          })
        ).status,
      ).toBe(200);
      await waitForCase(t, caseId, (x) => x.outcome === 'registered');
    });

    it('Housing Code 52, 53.1.3: given the bar still running on the decision date, then registering is refused with 409 naming outcome', async () => {
      const { caseId } = await file('4WM0006', {
        worsenedHousingOn: day(3, 5),
        documentsReceivedOn: day(-5),
      });
      const { taskId } = await openTaskOfCase(t, caseId);
      const res = await decideCase(taskId, {
        outcome: 'register',
        legalGround: 'register-need-confirmed',
        reason: 'Norma altındadır.',
      });
      expect(res.status).toBe(409);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['outcome']);
    });
  });

  it.each([
    ['SYFORGN', 'foreigner'],
    ['SYSTLSS', 'stateless'],
  ])(
    'Housing Code 48.3: given the identity registry records the applicant %s as %s, then the check says they are not entitled, with the citation',
    async (fin, status) => {
      const { caseId } = await file(fin);
      await openTaskOfCase(t, caseId);
      expect((await caseView(t, caseId)).checks.citizenship).toEqual({
        status,
        entitled: false,
        passed: false,
        citation: 'Mənzil Məcəlləsi 48.3',
      });
    },
  );

  it('Housing Code 48.3: given a citizen of Azerbaijan in the identity registry, then the check says entitled', async () => {
    const { caseId } = await file('SYOWNER', { family: [], dwellings: [] });
    await openTaskOfCase(t, caseId);
    expect((await caseView(t, caseId)).checks.citizenship).toEqual(
      expect.objectContaining({ status: 'citizen', entitled: true }),
    );
  });

  it('given invalid input, then 400 names the fields and nothing is stored', async () => {
    const res = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
      body: { applicantFin: 'x', listKind: 'vip', documents: [] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['applicantFin', 'listKind', 'documents', 'documentsReceivedOn']),
    );
    expect(
      (
        await t.api('/api/v1/waitlist/nowhere/registrations', {
          body: registrationRequest('4WL0099'),
        })
      ).status,
    ).toBe(404);
  });
});

// Last: it reads the answers every case above got (jest runs a file's tests in order).
describe('the OpenAPI document (issue 15)', () => {
  it('given every success answer of the cases above, then each conforms to the document', () => {
    expect(answers.problems).toEqual([]);
    expect([...answers.operations]).toEqual(
      expect.arrayContaining([
        'post /api/v1/waitlist/{body}/registrations',
        'get /api/v1/waitlist/cases/{caseId}',
      ]),
    );
  });
});
