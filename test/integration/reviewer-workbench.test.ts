import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadCalendar } from '../../src/cases/calendar-repository.js';
import { civilDateInBaku } from '../../src/domain/calendar.js';
import { as, PORTAL } from '../support/auth.js';
import {
  completeForm,
  createDraft,
  decide,
  openTaskOf,
  SIGNED,
  submitNew,
} from '../support/applications.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { BODY, BODY_REVIEWER, registrationRequest } from '../support/waitlist.js';
import { png } from '../support/scans.js';

let t: TestStack;
// a well-formed PNG (the upload refuses one whose image data is corrupt)
const PNG = png();

/** A: category 9 with an uploaded scan; B: category 10, submitted after A. */
let a: { id: string; taskId: string; documentId: string };
let b: { id: string; taskId: string };

beforeAll(async () => {
  t = await startTestStack();
  const draft = await createDraft(t, '7WB0001', completeForm({ category: 9 }));
  const form = new FormData();
  form.append('kind', 'category-evidence');
  form.append('issuer', 'Notariat 5');
  form.append('issueDate', '2024-05-10'); // 000 §2.1.10–2.1.11: required at submission
  form.append('file', new Blob([new Uint8Array(PNG)]), 'scan.png');
  const up = await fetch(`${t.stack.apiUrl}/api/v1/applications/${draft.id}/documents`, {
    method: 'POST',
    headers: PORTAL,
    body: form,
  });
  const documentId = ((await up.json()) as { id: string }).id;
  const submitted = await t.api(`/api/v1/applications/${draft.id}/submit`, { body: SIGNED });
  expect(submitted.status).toBe(200);
  a = { id: draft.id, taskId: (await openTaskOf(t, draft.id)).taskId, documentId };
  const second = await submitNew(
    t,
    '7WB0002',
    completeForm({
      category: 10,
      categoryDetails: { militaryStatus: 'serving' }, // 000 §2.1.5 (10)
    }),
  );
  b = { id: second.id, taskId: (await openTaskOf(t, second.id)).taskId };
  // B's task is recorded after A's.
  await t.stack.db.pool.query(
    `UPDATE review_task SET created_at = created_at + interval '1 second' WHERE task_id = $1`,
    [b.taskId],
  );
});
afterAll(async () => {
  await t?.stop();
});

const inbox = async (q: string, who = 'reviewer-1') =>
  t.api(`/api/v1/review-tasks${q}`, { headers: as(who) });
const keys = (res: { body: { tasks: { taskId: string }[] } }) =>
  res.body.tasks.map((x) => x.taskId);

async function assigneeOf(taskId: string): Promise<string | null> {
  const { rows } = await t.stack.db.pool.query(
    'SELECT assignee FROM review_task WHERE task_id = $1',
    [taskId],
  );
  return rows[0].assignee;
}

describe('reviewer workbench: inbox', () => {
  it('given tasks of categories 9 and 10, when filtering by category, then only that category is listed', async () => {
    const nine = await inbox('?category=9');
    const ten = await inbox('?category=10');
    expect(keys(nine)).toEqual([a.taskId]);
    expect(keys(ten)).toEqual([b.taskId]);
    expect(ten.body.tasks[0]).toEqual(expect.objectContaining({ category: '10', body: 'mida' }));
  });

  it('given bad filter values, when listing, then 400 names each bad field', async () => {
    const res = await inbox('?category=12&dueWithin=soon&sort=priority&order=up');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'category',
      'dueWithin',
      'order',
      'sort',
    ]);
  });

  it('given a body code not in the list (a typo such as mdia), when filtering by it, then 400 names body instead of an empty inbox', async () => {
    const res = await inbox('?body=mdia');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body']);
  });

  it('given two tasks, when sorting by creation newest first, then the later one comes first', async () => {
    expect(keys(await inbox('?sort=created&order=desc'))).toEqual([b.taskId, a.taskId]);
    expect(keys(await inbox('?sort=created&order=asc'))).toEqual([a.taskId, b.taskId]);
  });

  it('given the review deadline, then each task carries its remaining working days counted with the calendar', async () => {
    const cal = await loadCalendar(t.stack.db.pool);
    const today = civilDateInBaku(new Date());
    const res = await inbox('');
    expect(res.body.tasks).toHaveLength(2);
    for (const task of res.body.tasks) {
      const due = civilDateInBaku(new Date(task.dueAt));
      expect(task.remainingWorkingDays).toBe(cal.workingDaysBetween(today, due));
      expect(task.remainingWorkingDays).toBeGreaterThan(0);
    }
  });

  it('given tasks due in N working days, when filtering dueWithin N, then they are listed, and not with N-1', async () => {
    const n = (await inbox('')).body.tasks[0].remainingWorkingDays as number;
    expect(keys(await inbox(`?dueWithin=${n}&sort=created`))).toEqual([a.taskId, b.taskId]);
    expect(keys(await inbox(`?dueWithin=${n - 1}`))).toEqual([]);
  });

  it('given a task past its due date, then its remaining working days are negative and the overdue filter lists it alone', async () => {
    await t.stack.db.pool.query(
      `UPDATE review_task SET due_at = now() - interval '10 days' WHERE task_id = $1`,
      [b.taskId],
    );
    const overdue = await inbox('?overdue=true');
    expect(keys(overdue)).toEqual([b.taskId]);
    expect(overdue.body.tasks[0].remainingWorkingDays).toBeLessThan(0);
  });

  it('given one task claimed by me and one overdue, then the counts say so for me and for my supervisor', async () => {
    expect(
      (
        await t.api(`/api/v1/review-tasks/${a.taskId}/claim`, {
          body: {},
          headers: as('reviewer-1'),
        })
      ).status,
    ).toBe(204);
    const remaining = (await inbox('?category=9')).body.tasks[0].remainingWorkingDays as number;
    const mine = await inbox('?unassigned=true');
    expect(keys(mine)).toEqual([b.taskId]);
    expect(mine.body.counts).toEqual({
      total: 2,
      overdue: 1,
      dueWithin3: remaining <= 3 ? 1 : 0,
      unassigned: 1,
      assignedToMe: 1,
    });
    expect((await inbox('', 'supervisor-1')).body.counts.assignedToMe).toBe(0);
  });

  it('given an operator declares a day off before a task is due, when the inbox is listed next, then the task has one working day fewer left', async () => {
    const before = (await inbox('?category=9')).body.tasks[0].remainingWorkingDays as number;
    // the next working day after today, on or before the due date (remaining > 0)
    const cal = await loadCalendar(t.stack.db.pool);
    const day = cal.addWorkingDays(civilDateInBaku(new Date()), 1);
    const path = `/api/v1/calendar/days/${day}`;
    const headers = as('operator-1');
    const put = await t.api(path, {
      method: 'PUT',
      body: {
        kind: 'other_day_off',
        nameAz: 'Sınaq',
        nameEn: 'Test',
        sourceAz: 's',
        sourceEn: 's',
      },
      headers,
    });
    expect(put.status).toBe(201);
    try {
      expect((await inbox('?category=9')).body.tasks[0].remainingWorkingDays).toBe(before - 1);
    } finally {
      await t.api(`${path}?reason=test`, { method: 'DELETE', headers });
    }
    expect((await inbox('?category=9')).body.tasks[0].remainingWorkingDays).toBe(before);
  });

  it('given a task of two groups, when a reviewer of both lists the inbox, then it is listed and counted once', async () => {
    const both = 'registrar-all'; // mida, baku-nasimi and three more
    const before = (await inbox('', both)).body.counts.total as number;
    await t.stack.db.pool.query(
      `UPDATE review_task SET candidate_groups = '{mida-reviewers,baku-nasimi-reviewers}' WHERE task_id = $1`,
      [a.taskId],
    );
    try {
      const res = await inbox('?category=9', both);
      expect(keys(res)).toEqual([a.taskId]);
      expect(res.body.total).toBe(1);
      expect((await inbox('', both)).body.counts.total).toBe(before);
      expect(keys(await inbox('?category=9', 'nasimi-reviewer-1'))).toEqual([a.taskId]);
    } finally {
      await t.stack.db.pool.query(
        `UPDATE review_task SET candidate_groups = '{mida-reviewers}' WHERE task_id = $1`,
        [a.taskId],
      );
    }
    expect(keys(await inbox('?category=9', 'nasimi-reviewer-1'))).toEqual([]);
  });
});

describe('reviewer workbench: reassignment', () => {
  it('given a supervisor, when reassigning to another reviewer of the body, then the task is theirs and it is audited', async () => {
    const res = await t.api(`/api/v1/review-tasks/${a.taskId}/reassign`, {
      body: { assignee: 'r3' },
      headers: as('supervisor-1'),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ taskId: a.taskId, assignee: 'r3', previous: 'reviewer-1' });
    expect(await assigneeOf(a.taskId)).toBe('r3');
    const { rows } = await t.stack.db.pool.query(
      `SELECT actor, before, after FROM audit_event WHERE case_id = $1 AND action = 'task-reassigned'`,
      [a.id],
    );
    expect(rows).toEqual([
      {
        actor: 'supervisor-1',
        before: { taskId: a.taskId, assignee: 'reviewer-1' },
        after: { taskId: a.taskId, assignee: 'r3' },
      },
    ]);
  });

  it('given a plain reviewer, when reassigning, then 403 and the assignee is unchanged', async () => {
    const before = await assigneeOf(a.taskId);
    const res = await t.api(`/api/v1/review-tasks/${a.taskId}/reassign`, {
      body: { assignee: 'reviewer-1' },
      headers: as('r1'),
    });
    expect(res.status).toBe(403);
    expect(await assigneeOf(a.taskId)).toBe(before);
  });

  it('given an assignee of another body or no account, when reassigning, then 400 names assignee and nothing changes', async () => {
    const before = await assigneeOf(b.taskId);
    for (const assignee of ['r2', 'nobody-here', 'operator-1']) {
      const res = await t.api(`/api/v1/review-tasks/${b.taskId}/reassign`, {
        body: { assignee },
        headers: as('supervisor-1'),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['assignee']);
    }
    expect(await assigneeOf(b.taskId)).toBe(before);
  });
});

describe('reviewer workbench: case view and documents', () => {
  it('given an application task, then the case view shows the deadline with its citation, the applicant, documents, checks with sources and the audit trail', async () => {
    const res = await t.api(`/api/v1/review-tasks/${a.taskId}/case`, { headers: as('reviewer-1') });
    expect(res.status).toBe(200);
    const view = res.body;
    expect(view.task.deadline.citation).toBe('003 §5.5');
    expect(view.task.deadline.dueDate).toBe(civilDateInBaku(new Date(view.task.dueAt)));
    expect(view.case).toEqual(
      expect.objectContaining({
        type: 'application',
        id: a.id,
        status: 'under_review',
        category: 9,
      }),
    );
    expect(view.applicant.fin).toBe('7WB0001');
    expect(view.applicant.details.registrationAddress).toBe(completeForm().registrationAddress);
    expect(view.documents).toEqual([
      expect.objectContaining({
        id: a.documentId,
        kind: 'category-evidence',
        contentType: 'image/png',
        issuer: 'Notariat 5',
      }),
    ]);
    const identity = view.checks.find((c: { name: string }) => c.name === 'identity');
    expect(identity.sources).toEqual(['identity']);
    const evidence = view.checks.find((c: { name: string }) => c.name === 'category-evidence');
    expect(evidence.sources).toEqual(['identity', 'serviceRecords']);
    const actions = view.audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['submitted', 'task-claimed', 'task-reassigned']),
    );
    expect(view.decisions).toEqual([]);
    expect(view.decisionOptions.outcomes.sort()).toEqual([
      'discrepancy',
      'extend',
      'grant',
      'refuse',
    ]);
  });

  it("given a document of the task's case, then its content streams inline with its type and nosniff", async () => {
    const res = await fetch(
      `${t.stack.apiUrl}/api/v1/review-tasks/${a.taskId}/documents/${a.documentId}`,
      { headers: as('reviewer-1') },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('given a document of another case, when asked through this task, then 404 names documentId', async () => {
    const res = await t.api(`/api/v1/review-tasks/${b.taskId}/documents/${a.documentId}`, {
      headers: as('reviewer-1'),
    });
    expect(res.status).toBe(404);
    expect(res.body.errors[0].field).toBe('documentId');
  });

  it('given a waitlist registration task, then the case view shows the body, list, family, document lines, the need check, the 51.5 deadline and the audit trail', async () => {
    const filed = await t.api(`/api/v1/waitlist/${BODY}/registrations`, {
      body: registrationRequest('4WB0007'),
      headers: BODY_REVIEWER,
    });
    expect(filed.status).toBe(201);
    const { taskId } = await openTaskOf(t, filed.body.caseId);
    const view = await eventually(async () => {
      const res = await t.api(`/api/v1/review-tasks/${taskId}/case`, { headers: BODY_REVIEWER });
      return res.status === 200 && res.body.checks.length > 0 ? res.body : undefined;
    });
    expect(view.case).toEqual(
      expect.objectContaining({
        type: 'waitlist-case',
        kind: 'registration',
        body: BODY,
        listKind: 'general',
        documentsReceivedOn: '2026-11-20',
      }),
    );
    expect(view.applicant.fin).toBe('4WB0007');
    expect(view.family).toEqual([expect.objectContaining({ relation: 'spouse' })]);
    expect(view.documents.map((d: { kind: string }) => d.kind)).toEqual([
      'identity-documents',
      'residence-certificate',
      'family-composition-certificate',
    ]);
    expect(view.checks.map((c: { name: string }) => c.name)).toContain('housingNeed');
    expect(view.task.deadline.citation).toMatch(/51\.5/);
    expect(view.audit.length).toBeGreaterThan(0);
    // a reviewer of another body sees none of it
    expect(
      (await t.api(`/api/v1/review-tasks/${taskId}/case`, { headers: as('reviewer-1') })).status,
    ).toBe(403);
  });

  it('given a reviewer of another body, then the case view and its documents are 403', async () => {
    const view = await t.api(`/api/v1/review-tasks/${a.taskId}/case`, { headers: as('r2') });
    const doc = await t.api(`/api/v1/review-tasks/${a.taskId}/documents/${a.documentId}`, {
      headers: as('r2'),
    });
    expect(view.status).toBe(403);
    expect(doc.status).toBe(403);
  });

  it('given an extended review, then the new task shows the earlier decision and no longer offers an extension', async () => {
    const c = await submitNew(t, '7WB0003', completeForm({ category: 11 }));
    const first = await openTaskOf(t, c.id);
    const extended = await decide(t, first.taskId, {
      outcome: 'extend',
      legalGround: 'extend-further-inquiry',
      reason: 'Reyestrdən əlavə məlumat sorğusu göndərilib.',
    });
    expect(extended.status).toBe(200);
    const second = await eventually(async () => {
      const task = await openTaskOf(t, c.id);
      return task.taskId !== first.taskId ? task : undefined;
    }, 30_000);
    const res = await t.api(`/api/v1/review-tasks/${second.taskId}/case`, {
      headers: as('reviewer-1'),
    });
    expect(res.body.decisions).toEqual([
      expect.objectContaining({
        outcome: 'extend',
        legalGround: 'extend-further-inquiry',
        citation: '003 §5.5',
        decidedBy: 'reviewer-1',
      }),
    ]);
    expect(res.body.decisionOptions.outcomes).not.toContain('extend');
    expect(res.body.audit.map((e: { action: string }) => e.action)).toContain('review-extended');
  });
});
