import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../../src/cases/deadlines.js';
import { civilDateInBaku } from '../../src/domain/calendar.js';
import { ok } from '../../src/engine/rest.js';
import {
  decide,
  openTaskOf,
  REVIEWER,
  SIGNED,
  statusOf,
  submitNew,
  waitForStatus,
} from '../support/applications.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';

/**
 * Issue #11 part C, items 1 and 2: an unanswered discrepancy of the e-cabinet application leaves
 * the file to a reviewer under 003 §5.5 (no refusal ground of another procedure), and a
 * resubmission opens a new review period (000 §2.4 with 003 §5.5).
 */
let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

const discrepancy = {
  outcome: 'discrepancy',
  legalGround: 'discrepancy-found',
  reason: 'Əmək kitabçasının surəti oxunmur.',
  items: [{ target: 'document', name: 'category-evidence', comment: 'Surət oxunaqlı deyil.' }],
};

async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await t.stack.db.pool.query(sql, params)).rows as T[];
}

async function nextTask(id: string, previous: string): Promise<{ taskId: string; dueAt: string }> {
  return eventually(async () => {
    const task = await openTaskOf(t, id);
    return task.taskId !== previous ? task : undefined;
  }, 60_000);
}

async function raiseDiscrepancy(fin: string) {
  const { id } = await submitNew(t, fin);
  const first = await openTaskOf(t, id);
  expect((await decide(t, first.taskId, discrepancy)).status).toBe(200);
  const app = await waitForStatus(t, id, 'discrepancy');
  return { id, first, app };
}

/** The noticed day, as the notices render it (DD.MM.YYYY). */
function noticeDate(civil: string): string {
  const [y, m, d] = civil.split('-');
  return `${d}.${m}.${y}`;
}

async function noticeBodies(id: string, template: string): Promise<string[]> {
  return eventually(async () => {
    const list = await rows<{ body: string }>(
      `SELECT body FROM notice_outbox WHERE case_id = $1 AND template = $2 AND channel = 'cabinet'`,
      [id, template],
    );
    return list.length ? list.map((r) => r.body) : undefined;
  });
}

describe('003 §5.5: an unanswered discrepancy is decided by a reviewer on the file as it stands', () => {
  it('003 §5.5, 000 §2.4: given the resubmission deadline lapses, then no system refusal is recorded and a reviewer task opens, due 5 working days after the lapse', async () => {
    const { id, first, app } = await raiseDiscrepancy('7LR0001');
    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'resubmission-lapsed' },
      app.discrepancy.dueAt,
    );
    const task = await nextTask(id, first.taskId);
    const lapse = await rows<{ lapsed: string }>(
      `SELECT to_char(lapsed_at AT TIME ZONE 'Asia/Baku', 'YYYY-MM-DD') AS lapsed
         FROM discrepancy_round WHERE application_id = $1`,
      [id],
    );
    const due = toVariables(
      await deadlineFromEvent(t.stack.db.pool, 'discrepancy-review', lapse[0]!.lapsed),
    );
    expect(new Date(task.dueAt).toISOString()).toBe(new Date(due.dueAt).toISOString());
    const status = await statusOf(t, id);
    expect(status.status).toBe('under_review');
    expect(new Date(status.reviewDueAt).toISOString()).toBe(new Date(due.dueAt).toISOString());
    const refusals = await rows(
      `SELECT 1 FROM decision WHERE case_id = $1 AND outcome = 'refuse'`,
      [id],
    );
    expect(refusals).toHaveLength(0);
    // the lapsed round is closed: a late resubmission is refused
    const late = await t.api(`/api/v1/applications/${id}/resubmit`, { body: SIGNED });
    expect(late.status).toBe(409);
  });

  it('003 §5.5, 000 §2.4: given the lapsed file, when the reviewer finds the category not established, then the reasoned refusal and its notice cite 003 §5.5 and 000 §2.4', async () => {
    const { id, first, app } = await raiseDiscrepancy('7LR0002');
    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'resubmission-lapsed' },
      app.discrepancy.dueAt,
    );
    const task = await nextTask(id, first.taskId);
    // the plain category ground would hide the lapsed deadline from the notice
    const plain = await decide(t, task.taskId, {
      outcome: 'refuse',
      legalGround: 'refuse-not-in-category',
      reason: 'Dövlət qulluğu stajı təsdiq edilmədi.',
    });
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0].field).toBe('legalGround');
    const res = await decide(t, task.taskId, {
      outcome: 'refuse',
      legalGround: 'refuse-category-not-established-deadline-lapsed',
      reason: 'Dövlət qulluğu stajını təsdiq edən oxunaqlı sənəd müddətində təqdim edilmədi.',
    });
    expect(res.status).toBe(200);
    const refused = await waitForStatus(t, id, 'refused');
    expect(refused.decision.citation).toBe('003 §5.5; 000 §2.4');
    const [body] = await noticeBodies(id, 'application-refused');
    expect(body).toContain('003 §5.5; 000 §2.4');
  });

  it('003 §5.5: given a lapsed file, when the reviewer establishes the category, then the cabinet is granted', async () => {
    const { id, first, app } = await raiseDiscrepancy('7LR0003');
    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'resubmission-lapsed' },
      app.discrepancy.dueAt,
    );
    const task = await nextTask(id, first.taskId);
    await decide(t, task.taskId, {
      outcome: 'grant',
      legalGround: 'grant-cabinet',
      reason: 'Kateqoriya reyestr məlumatı ilə təsdiqləndi.',
    });
    await waitForStatus(t, id, 'approved');
  });

  it('003 §5.5: given an application whose discrepancy did not lapse, then the lapsed-deadline ground is refused with 400 naming legalGround', async () => {
    const { id } = await submitNew(t, '7LR0004');
    const task = await openTaskOf(t, id);
    const res = await decide(t, task.taskId, {
      outcome: 'refuse',
      legalGround: 'refuse-category-not-established-deadline-lapsed',
      reason: 'Kateqoriyanı təsdiq edən sənəd yoxdur.',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('legalGround');
  });

  it('003 §5.5: given the e-cabinet refusal grounds, then none cites another procedure (002, Housing Code 53.1) or form-content points, and the withdrawn ones are refused', async () => {
    const offered = await t.api('/api/v1/legal-grounds?decision=refuse');
    const cabinet = (offered.body as { code: string; citation: string; process: string }[]).filter(
      (g) => g.process === 'application-review',
    );
    expect(cabinet.map((g) => g.code).sort()).toEqual([
      'refuse-category-not-established-deadline-lapsed',
      'refuse-not-in-category',
      'refuse-right-already-used',
    ]);
    for (const g of cabinet) expect(g.citation).not.toMatch(/002|53\.1|5\.3;|000 §2\.1(?!\.5)/);
    const { id } = await submitNew(t, '7LR0005');
    const task = await openTaskOf(t, id);
    for (const legalGround of ['refuse-documents-not-submitted', 'refuse-untrue-data']) {
      const res = await decide(t, task.taskId, {
        outcome: 'refuse',
        legalGround,
        reason: 'Sənədlər müddətində təqdim edilmədi.',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('legalGround');
    }
  });
});

describe('000 §2.4 with 003 §5.5: a resubmission opens a new review period', () => {
  it('000 §2.4 with 003 §5.5: given the seeded periods, then a discrepancy round (resubmission + re-review) stays within the 10-working-day extension of 003 §5.5', async () => {
    const periods = await rows<{ code: string; length: number; unit: string }>(
      `SELECT code, length, unit FROM legal_period
        WHERE code IN ('discrepancy-resubmission', 'discrepancy-review', 'application-review-extension')`,
      [],
    );
    const of = (code: string) => periods.find((p) => p.code === code)!;
    for (const p of periods) expect(p.unit).toBe('working_days');
    // 003 §5.5: "həmin müddət 10 (on) iş günü artırıla bilər" — nothing longer is given
    expect(of('application-review-extension').length).toBe(10);
    expect(of('discrepancy-review').length).toBe(5);
    expect(
      of('discrepancy-resubmission').length + of('discrepancy-review').length,
    ).toBeLessThanOrEqual(of('application-review-extension').length);
  });

  it('003 §5.5: given the seeded periods, then the number of discrepancy rounds times one round stays within the single 10-working-day extension', async () => {
    const periods = await rows<{ code: string; length: number }>(
      `SELECT code, length FROM legal_period
        WHERE code IN ('discrepancy-rounds', 'discrepancy-resubmission', 'discrepancy-review', 'application-review-extension')`,
      [],
    );
    const of = (code: string) => periods.find((p) => p.code === code)!.length;
    // "həmin müddət 10 (on) iş günü artırıla bilər": one extension, so the rounds share it
    expect(
      of('discrepancy-rounds') * (of('discrepancy-resubmission') + of('discrepancy-review')),
    ).toBeLessThanOrEqual(of('application-review-extension'));
  });

  it('003 §5.5: given a resubmitted file after one discrepancy round, when the reviewer finds a second discrepancy, then 409 names outcome and nothing changes', async () => {
    const { id, first } = await raiseDiscrepancy('7LR0011');
    expect((await t.api(`/api/v1/applications/${id}/resubmit`, { body: SIGNED })).status).toBe(200);
    const task = await nextTask(id, first.taskId);
    const res = await decide(t, task.taskId, discrepancy);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('outcome');
    const roundsNow = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM discrepancy_round WHERE application_id = $1`,
      [id],
    );
    expect(roundsNow[0]!.n).toBe(1);
  });

  it('000 §2.4 with 003 §5.5: given the first period has passed, when the applicant resubmits, then the new task, its follow-up, the portal and the notice carry resubmission day + 5 working days, and the overdue timer fires on that date', async () => {
    const { id, first } = await raiseDiscrepancy('7LR0010');
    // The first period has already run out (an application registered weeks ago): the process
    // and the application carry a past deadline.
    const past = '2025-01-10T23:59:59.999+04:00';
    const instance = ok(
      await t.engine.GET('/process-instance', {
        params: { query: { businessKey: id, processDefinitionKey: 'application-review' } },
      }),
    )[0]!;
    ok(
      await t.engine.PUT('/process-instance/{id}/variables/{varName}', {
        params: { path: { id: instance.id!, varName: 'reviewDueAt' } },
        body: { value: past, type: 'String' },
      }),
    );
    await t.stack.db.pool.query(`UPDATE application SET review_due_at = $2 WHERE id = $1`, [
      id,
      past,
    ]);
    const re = await t.api(`/api/v1/applications/${id}/resubmit`, { body: SIGNED });
    expect(re.status).toBe(200);
    const resubmittedOn = civilDateInBaku(new Date());
    const due = toVariables(
      await deadlineFromEvent(t.stack.db.pool, 'discrepancy-review', resubmittedOn),
    );
    expect(due.citation).toContain('000 §2.4');
    // the portal shows the new date at once
    expect(new Date((await statusOf(t, id)).reviewDueAt).toISOString()).toBe(
      new Date(due.dueAt).toISOString(),
    );
    const task = await nextTask(id, first.taskId);
    expect(new Date(task.dueAt).toISOString()).toBe(new Date(due.dueAt).toISOString());
    const followUp = await rows<{ follow_up_at: Date }>(
      `SELECT follow_up_at FROM review_task WHERE task_id = $1`,
      [task.taskId],
    );
    expect(followUp[0]!.follow_up_at.toISOString()).toBe(
      new Date(await reviewFollowUpAt(t.stack.db.pool, resubmittedOn, due)).toISOString(),
    );
    // not escalated at once: the overdue timer waits for the new date
    const escalated = await rows<{ overdue_escalated_at: Date | null }>(
      `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
      [task.taskId],
    );
    expect(escalated[0]!.overdue_escalated_at).toBeNull();
    await fireTimer(t.engine, { businessKey: id, activityId: 'review-overdue' }, due.dueAt);
    await eventually(async () => {
      const r = await rows<{ overdue_escalated_at: Date | null }>(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return r[0]!.overdue_escalated_at;
    });
    // the reviewer's case view shows the new deadline with its citation
    const file = await t.api(`/api/v1/review-tasks/${task.taskId}/case`, { headers: REVIEWER });
    expect(file.status).toBe(200);
    expect(file.body.task.deadline).toEqual(
      expect.objectContaining({ dueDate: due.dueDate, citation: '000 §2.4; 003 §5.5' }),
    );
    const [body] = await noticeBodies(id, 'application-resubmitted');
    expect(body).toContain(noticeDate(due.dueDate));
    expect(body).toContain('000 §2.4');
  });
});
