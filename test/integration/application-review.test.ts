import { as } from '../support/auth.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  completeForm,
  createDraft,
  decide,
  openTaskOf,
  REVIEWER,
  SIGNED,
  statusOf,
  submitNew,
  waitForStatus,
} from '../support/applications.js';
import { loadCalendar } from '../../src/cases/calendar-repository.js';
import { ok } from '../../src/engine/rest.js';
import { reminderDate, reminderInstant } from '../../src/domain/reminder.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

const grant = {
  outcome: 'grant',
  legalGround: 'grant-cabinet',
  reason: 'Kateqoriya təsdiqləndi, sənədlər tamdır.',
};
const refuse = {
  outcome: 'refuse',
  legalGround: 'refuse-not-in-category',
  reason: 'Dövlət qulluğu stajı 15 ildən azdır.',
};
const discrepancy = {
  outcome: 'discrepancy',
  legalGround: 'discrepancy-found',
  reason: 'Əmək kitabçasının surəti oxunmur.',
  items: [
    {
      target: 'document',
      name: 'category-evidence',
      comment: 'Surət oxunaqlı deyil, yenidən yükləyin.',
    },
  ],
};
const extend = {
  outcome: 'extend',
  legalGround: 'extend-further-inquiry',
  reason: 'Reyestrdən əlavə məlumat sorğusu göndərilib.',
};

async function actions(id: string): Promise<string[]> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT action FROM audit_event WHERE case_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r: { action: string }) => r.action);
}

describe('application review (003 §5.5)', () => {
  it('given a submitted application, then it is registered, checked, and waits in the inbox with a 5-working-day deadline', async () => {
    const { id, registrationNumber } = await submitNew(t, '7RV0001');
    expect(registrationNumber).toBeGreaterThan(0);
    const task = await openTaskOf(t, id);
    const app = await statusOf(t, id);
    expect(app.status).toBe('under_review');
    expect(new Date(task.dueAt).getTime()).toBe(new Date(app.reviewDueAt).getTime());
    expect(app.checks.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining([
        'once-only-right',
        'identity',
        'civil-status',
        'category-evidence',
        'property',
      ]),
    );
    const inbox = await t.api('/api/v1/review-tasks', { headers: REVIEWER });
    expect(inbox.body.tasks.map((x: { taskId: string }) => x.taskId)).toContain(task.taskId);
  });

  it('given a review task, then its follow-up is 10:00 Baku one working day before the decision is due', async () => {
    const { id } = await submitNew(t, '7RV0019');
    const task = await openTaskOf(t, id);
    const { rows } = await t.stack.db.pool.query(
      `SELECT r.follow_up_at, to_char(a.submitted_at AT TIME ZONE 'Asia/Baku', 'YYYY-MM-DD') AS submitted,
              to_char(a.review_due_at AT TIME ZONE 'Asia/Baku', 'YYYY-MM-DD') AS due
         FROM review_task r JOIN application a ON a.id = r.case_id WHERE r.task_id = $1`,
      [task.taskId],
    );
    const day = reminderDate(
      await loadCalendar(t.stack.db.pool),
      rows[0].submitted,
      rows[0].due,
      1,
    );
    expect(rows[0].follow_up_at.toISOString()).toBe(
      new Date(day ? reminderInstant(day) : task.dueAt).toISOString(),
    );
  });

  it('given a reviewer grants on time, then the cabinet is granted with the reasoned decision', async () => {
    const { id } = await submitNew(t, '7RV0002');
    const { taskId } = await openTaskOf(t, id);
    expect(
      (await t.api(`/api/v1/review-tasks/${taskId}/claim`, { method: 'POST', headers: REVIEWER }))
        .status,
    ).toBe(204);
    expect((await decide(t, taskId, grant)).status).toBe(200);
    const app = await waitForStatus(t, id, 'approved');
    expect(app.decision).toEqual(
      expect.objectContaining({ outcome: 'grant', citation: '003 §5.5', reason: grant.reason }),
    );
    expect(await actions(id)).toEqual(
      expect.arrayContaining(['submitted', 'task-claimed', 'decision-grant', 'cabinet-granted']),
    );
  });

  it('given a reviewer refuses, then the application is refused citing the ground', async () => {
    const { id } = await submitNew(t, '7RV0003');
    const { taskId } = await openTaskOf(t, id);
    await decide(t, taskId, refuse);
    const app = await waitForStatus(t, id, 'refused');
    expect(app.decision).toEqual(
      expect.objectContaining({
        outcome: 'refuse',
        legalGround: 'refuse-not-in-category',
        reason: refuse.reason,
      }),
    );
  });

  it('given a reviewer extends, then a new task is due 10 working days after the first deadline, and a second extension is refused', async () => {
    const { id } = await submitNew(t, '7RV0004');
    const first = await openTaskOf(t, id);
    await decide(t, first.taskId, extend);
    const second = await eventually(async () => {
      const task = await openTaskOf(t, id);
      return task.taskId !== first.taskId ? task : undefined;
    });
    const days = (new Date(second.dueAt).getTime() - new Date(first.dueAt).getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(14); // 10 working days span at least two weekends
    expect((await statusOf(t, id)).reviewDueAt).toBe(new Date(second.dueAt).toISOString());
    const again = await decide(t, second.taskId, extend);
    expect(again.status).toBe(409);
    expect(again.body.errors[0].field).toBe('outcome');
  });

  it('given the review deadline passes, then operators are alerted and the task stays with the reviewer', async () => {
    const { id } = await submitNew(t, '7RV0005');
    const task = await openTaskOf(t, id);
    await fireTimer(t.engine, { businessKey: id, activityId: 'review-overdue' }, task.dueAt);
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1`,
        [task.taskId],
      );
      return rows[0].overdue_escalated_at;
    });
    const overdue = await t.api('/api/v1/review-tasks?overdue=true', { headers: REVIEWER });
    expect(overdue.body.tasks.map((x: { taskId: string }) => x.taskId)).toContain(task.taskId);
    await decide(t, task.taskId, grant);
    await waitForStatus(t, id, 'approved');
  });

  it('given a discrepancy, when the applicant resubmits in time, then the case is checked again and can be approved', async () => {
    const { id } = await submitNew(t, '7RV0006');
    const first = await openTaskOf(t, id);
    await decide(t, first.taskId, discrepancy);
    const app = await waitForStatus(t, id, 'discrepancy');
    expect(app.discrepancy).toEqual(
      expect.objectContaining({
        round: 1,
        items: discrepancy.items,
        dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      }),
    );
    // the applicant fixes the form and signs again
    const re = await t.api(`/api/v1/applications/${id}/resubmit`, {
      body: { ...SIGNED, form: { rooms: 3 } },
    });
    expect(re.status).toBe(200);
    const second = await eventually(async () => {
      const task = await openTaskOf(t, id);
      return task.taskId !== first.taskId ? task : undefined;
    });
    await decide(t, second.taskId, grant);
    const approved = await waitForStatus(t, id, 'approved');
    expect(approved.form.rooms).toBe(3);
    expect(await actions(id)).toEqual(
      expect.arrayContaining([
        'discrepancy-raised',
        'resubmitted',
        'discrepancy-round-closed',
        'cabinet-granted',
      ]),
    );
  });

  it('003 §5.5, 000 §2.4: given a discrepancy, when its deadline passes without resubmission, then nothing is refused by the system and a reviewer decides on the file as it stands', async () => {
    const { id } = await submitNew(t, '7RV0007');
    const { taskId } = await openTaskOf(t, id);
    await decide(t, taskId, discrepancy);
    const app = await waitForStatus(t, id, 'discrepancy');
    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'resubmission-lapsed' },
      app.discrepancy.dueAt,
    );
    const next = await eventually(async () => {
      const task = await openTaskOf(t, id);
      return task.taskId !== taskId ? task : undefined;
    });
    expect(next.taskId).toEqual(expect.any(String));
    const after = await statusOf(t, id);
    expect(after.status).toBe('under_review');
    expect(after.decision).toEqual(expect.objectContaining({ outcome: 'discrepancy' }));
    const late = await t.api(`/api/v1/applications/${id}/resubmit`, { body: SIGNED });
    expect(late.status).toBe(409);
  });

  it('given the same person applies again while the first application is under review, then submission is refused (003 §2.2)', async () => {
    await submitNew(t, '7RV0008');
    const { id } = await createDraft(t, '7RV0008', completeForm());
    const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toEqual(expect.objectContaining({ field: 'applicantFin' }));
    expect((await statusOf(t, id)).status).toBe('draft');
  });

  it('given a family member (the spouse) applies while the family already applied, then submission is refused naming the spouse', async () => {
    await submitNew(t, '7RV0009');
    const { id } = await createDraft(
      t,
      '7RV0010',
      completeForm({
        maritalStatus: 'married',
        marriageCountry: 'Azerbaijan',
        spouse: { fin: '7RV0009' },
      }),
    );
    const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('spouse.fin');
  });
});

describe('reviewer decisions are validated', () => {
  let taskId: string;
  beforeAll(async () => {
    const { id } = await submitNew(t, '7RV0020');
    taskId = (await openTaskOf(t, id)).taskId;
  });

  it('given a ground that does not fit the outcome, then 400 names legalGround', async () => {
    const res = await decide(t, taskId, { ...grant, legalGround: 'refuse-not-in-category' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('legalGround');
  });

  it('given no written reason, then 400 names reason', async () => {
    const res = await decide(t, taskId, { ...refuse, reason: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('reason');
  });

  it('given a discrepancy without items, then 400 names items', async () => {
    const res = await decide(t, taskId, { ...discrepancy, items: [] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('items');
  });

  it('given a reviewer of another body, then the task does not exist for them', async () => {
    const res = await t.api(`/api/v1/review-tasks/${taskId}/decision`, {
      body: grant,
      headers: as('r2'),
    });
    expect(res.status).toBe(404);
  });

  it('given another reviewer claimed the task, then a decision is refused with 409', async () => {
    await t.api(`/api/v1/review-tasks/${taskId}/claim`, {
      method: 'POST',
      headers: as('r3'),
    });
    const res = await decide(t, taskId, grant);
    expect(res.status).toBe(409);
    await t.api(`/api/v1/review-tasks/${taskId}/unclaim`, {
      method: 'POST',
      headers: as('r3'),
    });
  });

  it('given a body filter, then only that body’s tasks are listed, and a body not the reviewer’s is refused', async () => {
    const mine = await t.api('/api/v1/review-tasks?body=mida', { headers: REVIEWER });
    expect(mine.body.tasks.map((x: { taskId: string }) => x.taskId)).toContain(taskId);
    const other = await t.api('/api/v1/review-tasks?body=baku-city', { headers: REVIEWER });
    expect(other.status).toBe(403);
    expect(other.body.errors[0].field).toBe('body');
  });

  it('given no sign-in, then 401', async () => {
    const res = await t.api('/api/v1/review-tasks', { anonymous: true });
    expect(res.status).toBe(401);
  });

  it('given the legal grounds table, then refusal grounds are listed with their citations', async () => {
    const res = await t.api('/api/v1/legal-grounds?decision=refuse');
    expect(res.body.map((g: { code: string }) => g.code)).toEqual(
      expect.arrayContaining([
        'refuse-category-not-established-deadline-lapsed',
        'refuse-right-already-used',
      ]),
    );
    expect(res.body.map((g: { code: string }) => g.code)).not.toContain(
      'refuse-documents-not-submitted',
    );
  });
});

describe('grant with mortgage intent (003 §5.5-1)', () => {
  it('given the applicant intends a mortgage, when granted, then the person is registered in the mortgage e-system once', async () => {
    const { id } = await submitNew(t, '7RV0030', completeForm({ paymentIntent: 'mortgage' }));
    const { taskId } = await openTaskOf(t, id);
    const before = t.registry.calls['mortgage-system'];
    await decide(t, taskId, grant);
    await waitForStatus(t, id, 'approved');
    await eventually(async () => (await actions(id)).includes('mortgage-system-registered'));
    expect(t.registry.calls['mortgage-system']).toBe(before + 1);
  });
});

describe('the mortgage e-system is down (issue 14 §6)', () => {
  it('003 §5.5-1: given the mortgage e-system is down, when granted, then the hand-over retries into an incident; when it returns and an operator retries, the person is registered once', async () => {
    const operator = as('operator-1');
    const { id } = await submitNew(t, '7RV0031', completeForm({ paymentIntent: 'mortgage' }));
    const { taskId } = await openTaskOf(t, id);
    t.registry.failNext('mortgage-system', 1_000);
    await decide(t, taskId, grant);
    await waitForStatus(t, id, 'approved');
    const [instance] = ok(
      await t.engine.GET('/process-instance', {
        params: { query: { businessKey: id, processDefinitionKey: 'application-review' } },
      }),
    );
    const incident = await eventually(async () => {
      const r = await t.api('/api/v1/operator/incidents?state=active&limit=100', {
        headers: operator,
      });
      return (r.body.items as { id: string; processInstanceId: string; elementId: string }[]).find(
        (i) =>
          i.processInstanceId === instance!.id &&
          i.elementId === 'hand-over-to-mortgage-system-task',
      );
    }, 60_000);
    expect(await actions(id)).not.toContain('mortgage-system-registered');
    const failedCalls = t.registry.calls['mortgage-system'];
    expect(failedCalls).toBeGreaterThan(1); // retried before the incident

    t.registry.reset(); // the system is back
    const retried = await t.api(`/api/v1/operator/incidents/${incident.id}/retry`, {
      headers: operator,
      body: { retries: 3 },
    });
    expect(retried.status).toBe(200);
    await eventually(async () => (await actions(id)).includes('mortgage-system-registered'));
    expect(t.registry.calls['mortgage-system']).toBe(1);
    expect((await actions(id)).filter((a) => a === 'mortgage-system-registered')).toHaveLength(1);
  });
});

describe('notices reach the applicant (cabinet, e-mail, SMS)', () => {
  async function noticesOf(
    id: string,
  ): Promise<{ template: string; channel: string; status: string }[]> {
    const { rows } = await t.stack.db.pool.query(
      `SELECT template, channel, status FROM notice_outbox WHERE case_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  }

  it('given a grant, then the approval notice goes to the cabinet and by SMS (opted in), and e-mail waits for its server', async () => {
    const { id } = await submitNew(t, '7RV0040');
    await decide(t, (await openTaskOf(t, id)).taskId, grant);
    await waitForStatus(t, id, 'approved');
    const notices = await eventually(async () => {
      const list = (await noticesOf(id)).filter((n) => n.template === 'application-approved');
      return list.length === 3 && list.every((n) => n.channel === 'email' || n.status === 'sent')
        ? list
        : undefined;
    });
    expect(notices.map((n) => n.channel).sort()).toEqual(['cabinet', 'email', 'sms']);
    const cabinet = await t.stack.db.pool.query(
      `SELECT subject FROM cabinet_notice WHERE case_id = $1 AND template = 'application-approved'`,
      [id],
    );
    expect(cabinet.rowCount).toBe(1);
  });

  it('given a discrepancy, when the reminder day comes, then the applicant is reminded and can still resubmit', async () => {
    const { id } = await submitNew(t, '7RV0041');
    const first = await openTaskOf(t, id);
    await decide(t, first.taskId, discrepancy);
    const app = await waitForStatus(t, id, 'discrepancy');
    await eventually(async () =>
      (await noticesOf(id)).some((n) => n.template === 'discrepancy-found'),
    );
    // the reminder goes out at 10:00 two working days before the deadline
    const { rows } = await t.stack.db.pool.query(
      `SELECT to_char(opened_at AT TIME ZONE 'Asia/Baku', 'YYYY-MM-DD') AS opened, due_date::text AS due
         FROM discrepancy_round WHERE application_id = $1`,
      [id],
    );
    const remindOn = reminderDate(
      await loadCalendar(t.stack.db.pool),
      rows[0].opened,
      rows[0].due,
      2,
    );
    expect(rows[0].due).toBe(app.discrepancy.dueDate);
    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'resubmission-reminder' },
      remindOn ? reminderInstant(remindOn) : app.discrepancy.dueAt,
    );
    await eventually(async () =>
      (await noticesOf(id)).some((n) => n.template === 'discrepancy-reminder'),
    );
    expect((await statusOf(t, id)).status).toBe('discrepancy');
    const re = await t.api(`/api/v1/applications/${id}/resubmit`, { body: SIGNED });
    expect(re.status).toBe(200);
    await eventually(async () => {
      const task = await openTaskOf(t, id);
      return task.taskId !== first.taskId ? task : undefined;
    });
  });
});
