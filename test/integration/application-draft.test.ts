import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  completeForm,
  createDraft,
  outboxDrained,
  SIGNED,
  statusOf,
  waitForStatus,
} from '../support/applications.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer, timerJob } from '../support/timers.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

async function auditActions(id: string): Promise<string[]> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT action FROM audit_event WHERE case_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r: { action: string }) => r.action);
}

/** Gives the engine a moment to open the draft process's subscriptions and timer. */
async function draftProcessWaiting(): Promise<void> {
  await outboxDrained(t);
  await new Promise((r) => setTimeout(r, 1000));
}

describe('application draft (000 §2.2): deleted after 10 days unless submitted', () => {
  it('given a new draft, then it expires 10 days later (the end of that day in Baku, or the next working day)', async () => {
    const { draftExpiresAt } = await createDraft(t, '6DR1AF1', completeForm());
    const days = (new Date(draftExpiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9);
    expect(days).toBeLessThan(14);
    expect(draftExpiresAt).toMatch(/T23:59:59\.999\+04:00$/);
  });

  it('given a draft left alone, when its 10 days pass, then it is deleted with its personal data', async () => {
    const { id, draftExpiresAt } = await createDraft(t, '6DR1AF2', completeForm());
    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'draft-expired-event' },
      draftExpiresAt,
    );
    const app = await waitForStatus(t, id, 'deleted');
    expect(app.form).toEqual({});
    const row = await t.stack.db.pool.query(`SELECT applicant_fin FROM application WHERE id = $1`, [
      id,
    ]);
    expect(row.rows[0].applicant_fin).toBeNull();
    expect(await auditActions(id)).toContain('draft-deleted');
  });

  it('given a draft submitted in time, then its deletion timer is gone and it is not deleted', async () => {
    const { id, draftExpiresAt } = await createDraft(t, '6DR1AF3', completeForm());
    await timerJob(t.engine, { businessKey: id, activityId: 'draft-expired-event' });
    expect((await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED })).status).toBe(200);
    // the submission ends the draft process (its event gateway), and with it the timer
    await eventually(async () => {
      const { data } = await t.engine.GET('/history/process-instance', {
        params: {
          query: { processInstanceBusinessKey: id, processDefinitionKey: 'application-draft' },
        },
      });
      return data?.[0]?.state === 'COMPLETED';
    });
    await expect(
      timerJob(t.engine, { businessKey: id, activityId: 'draft-expired-event' }, 500),
    ).rejects.toThrow();
    expect(new Date(draftExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await statusOf(t, id)).status).not.toBe('deleted');
    expect(await auditActions(id)).not.toContain('draft-deleted');
  });

  it('given a draft the citizen deletes, then its data goes at once and the draft process ends', async () => {
    const { id } = await createDraft(t, '6DR1AF4', completeForm());
    await draftProcessWaiting();
    const res = await t.api(`/api/v1/applications/${id}/cancel`, { method: 'POST' });
    expect(res.body).toEqual({ status: 'deleted' });
    expect((await statusOf(t, id)).form).toEqual({});
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT published_at FROM engine_outbox WHERE message_id = $1`,
        [`application-draft-cancelled:${id}`],
      );
      return rows[0]?.published_at;
    });
  });

  it('given a draft, when it is edited, then only the fields sent change and null removes one', async () => {
    const { id } = await createDraft(t, '6DR1AF5', completeForm({ rooms: 2 }));
    const res = await t.api(`/api/v1/applications/${id}`, {
      method: 'PATCH',
      body: { form: { rooms: 3, cityPhone: null } },
    });
    expect(res.status).toBe(200);
    expect(res.body.form.rooms).toBe(3);
    expect(res.body.form.email).toBe('vetendas@example.az');
  });

  it('given an edit with a bad field, then 400 names it and nothing changes', async () => {
    const { id } = await createDraft(t, '6DR1AF6', completeForm({ rooms: 2 }));
    const res = await t.api(`/api/v1/applications/${id}`, {
      method: 'PATCH',
      body: { form: { rooms: 9, email: 'nope' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['form.rooms', 'form.email']),
    );
    expect((await statusOf(t, id)).form.rooms).toBe(2);
  });
});
