import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadlineFromEvent, toVariables } from '../../src/cases/deadlines.js';
import { as } from '../support/auth.js';
import { checkAnswers, type AnswerLog } from '../support/openapi-answers.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import {
  BODY,
  BODY_REVIEWER,
  entryOnList,
  openTaskOfCase,
  registrationRequest,
  waitForCase,
} from '../support/waitlist.js';

/**
 * Issue #11 part C, item 4: the decision is handed over or sent within 3 working days of its
 * adoption (Housing Code 51.6, 53.3, 55.2). Each decision notice's delivery is tracked with its
 * calendar-computed due date; overdue ones are shown to operators; a person with no address gets
 * the paper route, which an operator marks delivered.
 */
let t: TestStack;
let answers: AnswerLog;
beforeAll(async () => {
  t = await startTestStack();
  answers = checkAnswers(t);
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const OPERATOR = as('operator-1');

const decideCase = (taskId: string, body: Record<string, unknown>) =>
  t.api(`/api/v1/review-tasks/${taskId}/decision`, { body, headers: BODY_REVIEWER });

async function file(fin: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
    body: registrationRequest(fin, over),
  });
  if (res.status !== 201) throw new Error(`filing: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.caseId;
}

async function decidedOn(caseId: string): Promise<string> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT to_char(decided_at AT TIME ZONE 'Asia/Baku', 'YYYY-MM-DD') AS d FROM waitlist_case WHERE id = $1`,
    [caseId],
  );
  return rows[0].d;
}

async function deliveriesOf(caseId: string, state = 'all', at?: string) {
  const q = new URLSearchParams({ state, caseId, ...(at ? { at } : {}) });
  const res = await t.api(`/api/v1/operator/notice-deliveries?${q}`, { headers: OPERATOR });
  expect(res.status).toBe(200);
  return res.body.items as Record<string, any>[];
}

describe('delivery of waitlist decisions within 3 working days', () => {
  it('Housing Code 51.6: given the reviewer registers, then the delivery is due 3 working days after the decision day (legal_period, calendar) and counts as delivered once the cabinet notice is sent', async () => {
    const caseId = await file('4ND0001');
    const { taskId } = await openTaskOfCase(t, caseId);
    expect(
      (
        await decideCase(taskId, {
          outcome: 'register',
          legalGround: 'register-need-confirmed',
          reason: 'Ailənin hər üzvünə 7 m² düşür, norma 9 m².',
        })
      ).status,
    ).toBe(200);
    await waitForCase(t, caseId, (c) => c.outcome === 'registered');
    const due = toVariables(
      await deadlineFromEvent(
        t.stack.db.pool,
        'waitlist-registration-document-delivery',
        await decidedOn(caseId),
      ),
    );
    const [delivery] = await eventually(async () => {
      const list = await deliveriesOf(caseId);
      return list.length && list[0]!.deliveredAt ? list : undefined;
    });
    expect(delivery).toEqual(
      expect.objectContaining({
        template: 'waitlist-registered',
        route: 'electronic',
        citation: 'Housing Code 51.6',
        dueDate: due.dueDate,
        dueAt: new Date(due.dueAt).toISOString(),
        overdue: false,
      }),
    );
    // delivered in time: not listed as overdue even after the period
    const after = new Date(new Date(due.dueAt).getTime() + 1000).toISOString();
    expect(await deliveriesOf(caseId, 'overdue', after)).toHaveLength(0);
  });

  it('Housing Code 53.3: given a refusal, then its delivery is due 3 working days after the decision day and cites 53.3', async () => {
    const caseId = await file('4ND0002');
    const { taskId } = await openTaskOfCase(t, caseId);
    await decideCase(taskId, {
      outcome: 'refuse',
      legalGround: 'refuse-registration-no-right',
      reason: 'Təqdim edilən sənədlər uçota durmaq hüququnu təsdiq etmir.',
    });
    await waitForCase(t, caseId, (c) => c.outcome === 'refused');
    const due = toVariables(
      await deadlineFromEvent(
        t.stack.db.pool,
        'waitlist-refusal-delivery',
        await decidedOn(caseId),
      ),
    );
    const [delivery] = await eventually(async () => {
      const list = await deliveriesOf(caseId);
      return list.length ? list : undefined;
    });
    expect(delivery).toEqual(
      expect.objectContaining({
        template: 'waitlist-registration-refused',
        citation: 'Housing Code 53.3',
        dueDate: due.dueDate,
      }),
    );
  });

  it('Housing Code 55.2: given a removal decision for a person with no address (a book entry without FIN), then a paper delivery is opened with the notice to post, shown overdue after its due date, and an operator marks it delivered once', async () => {
    const entryId = await entryOnList(t, '4ND0003', { registrationDate: '1999-04-01' });
    // an old book line kept without a FIN, and no contact given
    await t.stack.db.pool.query(`UPDATE waitlist_entry SET registered_fin = NULL WHERE id = $1`, [
      entryId,
    ]);
    const opened = await t.api(`/api/v1/waitlist/entries/${entryId}/seizure-cases`, {
      body: {
        ground: 'remove-own-request',
        source: 'person',
        establishedOn: new Date().toISOString().slice(0, 10),
      },
    });
    expect([200, 201]).toContain(opened.status);
    const caseId = opened.body.caseId as string;
    const { taskId } = await openTaskOfCase(t, caseId);
    await decideCase(taskId, {
      outcome: 'remove',
      legalGround: 'remove-own-request',
      reason: 'Vətəndaş uçotdan çıxmaq barədə ərizə verib.',
    });
    const [paper] = await eventually(async () => {
      const list = await deliveriesOf(caseId, 'paper');
      return list.length ? list : undefined;
    });
    const due = toVariables(
      await deadlineFromEvent(
        t.stack.db.pool,
        'seizure-decision-delivery',
        await decidedOn(caseId),
      ),
    );
    expect(paper).toEqual(
      expect.objectContaining({
        template: 'waitlist-removal-decided',
        route: 'paper',
        citation: 'Housing Code 55.2',
        dueDate: due.dueDate,
        deliveredAt: null,
      }),
    );
    expect(paper!.body).toContain('55.1');
    // nothing was queued electronically: the paper route is the delivery
    const { rows } = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM notice_outbox WHERE case_id = $1`,
      [caseId],
    );
    expect(rows[0].n).toBe(0);
    // not overdue while the period runs; overdue after it (operators' list)
    const before = new Date(new Date(due.dueAt).getTime() - 1000).toISOString();
    const after = new Date(new Date(due.dueAt).getTime() + 1000).toISOString();
    expect(await deliveriesOf(caseId, 'overdue', before)).toHaveLength(0);
    const overdue = await deliveriesOf(caseId, 'overdue', after);
    expect(overdue.map((d) => d.id)).toEqual([paper!.id]);
    expect(overdue[0]!.overdue).toBe(true);
    // the operator records the postal delivery
    const today = new Date().toISOString().slice(0, 10);
    const mark = await t.api(`/api/v1/operator/notice-deliveries/${paper!.id}/delivered`, {
      body: { deliveredOn: today, note: 'Sifarişli poçtla göndərildi' },
      headers: OPERATOR,
    });
    expect(mark.status).toBe(200);
    expect(mark.body).toEqual(
      expect.objectContaining({ deliveredOn: today, deliveredBy: 'operator-1' }),
    );
    expect(await deliveriesOf(caseId, 'overdue', after)).toHaveLength(0);
    const again = await t.api(`/api/v1/operator/notice-deliveries/${paper!.id}/delivered`, {
      body: { deliveredOn: today },
      headers: OPERATOR,
    });
    expect(again.status).toBe(409);
    const audit = await t.stack.db.pool.query(
      `SELECT action FROM audit_event WHERE case_id = $1 AND action IN ('paper-delivery-opened', 'paper-delivered')`,
      [caseId],
    );
    expect(audit.rows.map((r: { action: string }) => r.action).sort()).toEqual([
      'paper-delivered',
      'paper-delivery-opened',
    ]);
  });

  it('Housing Code 55.2: given a bad delivery day or an electronic delivery, then the operator is refused naming the field and nothing changes', async () => {
    const caseId = await file('4ND0004');
    const { taskId } = await openTaskOfCase(t, caseId);
    await decideCase(taskId, {
      outcome: 'register',
      legalGround: 'register-need-confirmed',
      reason: 'Ailənin hər üzvünə 7 m² düşür, norma 9 m².',
    });
    const [electronic] = await eventually(async () => {
      const list = await deliveriesOf(caseId);
      return list.length ? list : undefined;
    });
    const bad = await t.api(`/api/v1/operator/notice-deliveries/${electronic!.id}/delivered`, {
      body: { deliveredOn: '30.11.2026' },
      headers: OPERATOR,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('deliveredOn');
    const notPaper = await t.api(`/api/v1/operator/notice-deliveries/${electronic!.id}/delivered`, {
      body: { deliveredOn: new Date().toISOString().slice(0, 10) },
      headers: OPERATOR,
    });
    expect(notPaper.status).toBe(409);
    expect((await deliveriesOf(caseId))[0]!.deliveredBy).toBeNull();
  });
});

// Last: it reads the answers every case above got (jest runs a file's tests in order).
describe('the OpenAPI document (issue 15)', () => {
  it('given every success answer of the cases above, then each conforms to the document', () => {
    expect(answers.problems).toEqual([]);
    expect([...answers.operations]).toEqual(
      expect.arrayContaining([
        'get /api/v1/operator/notice-deliveries',
        'post /api/v1/operator/notice-deliveries/{id}/delivered',
      ]),
    );
  });
});
