import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadCalendar } from '../../src/cases/calendar-repository.js';
import { addDays, deadlineEnd, type CivilDate } from '../../src/domain/calendar.js';
import { as } from '../support/auth.js';
import {
  announcementBody,
  freeApartments,
  holder,
  noticesOf,
  OFFICER,
  openAnnouncement,
  select,
  selectionRow,
  today,
  until,
  wait,
} from '../support/apartments.js';
import { startSmtpStandin, type SmtpStandin } from '../support/load.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { passed } from '../support/test-engine.js';
import { fireTimer } from '../support/timers.js';

/**
 * 003 §6.1: the notice on the selected apartment within 5 working days of the selection, in the
 * cabinet and by one more channel. The selection process checks its delivery at the due instant
 * (a non-interrupting timer); a miss goes to the operators' overdue deliveries list and shows on
 * the MİDA officers' apartment list.
 */
let t: TestStack;
let smtp: SmtpStandin;
let announcementId: string;
beforeAll(async () => {
  // the e-mail channel of the notice: a real SMTP server (the mail system is an outside system)
  smtp = await startSmtpStandin();
  t = await startTestStack({ SMTP_URL: smtp.url });
  announcementId = await openAnnouncement(t, announcementBody({ apartments: 6 }));
}, 180_000);
afterAll(async () => {
  await t?.stop();
  await smtp?.close();
});

const OPERATOR = as('operator-1');
const officer = (path: string, body?: unknown) =>
  t.api(`/api/v1/officer/mida${path}`, { ...(body ? { body } : {}), headers: OFFICER });

async function fifthWorkingDay(from: CivilDate = today()): Promise<CivilDate> {
  return (await loadCalendar(t.stack.db.pool)).addWorkingDays(from, 5);
}

let next = 0;
async function selectedOwnFunds(): Promise<{ apartmentId: string; selectionId: string }> {
  const free = await freeApartments(t, announcementId);
  const apartmentId = free[next % free.length].id as string;
  next += 1;
  const res = await select(t, await holder(t), apartmentId);
  expect(res.status).toBe(201);
  const s = await until(t, res.body.selectionId, (x) => !!x.process_instance_key);
  return { apartmentId, selectionId: s.id };
}

/** The §6.1 watch ran to its end (the escalation task completed). */
async function watchDone(processInstanceId: string): Promise<void> {
  await eventually(
    async () =>
      (await passed(t.engine, processInstanceId)).includes('notice-checked') ? true : undefined,
    60_000,
  );
}

async function deliveries(selectionId: string, state: string, at: Date) {
  const res = await t.api(
    `/api/v1/operator/notice-deliveries?state=${state}&caseId=${selectionId}&at=${encodeURIComponent(at.toISOString())}`,
    { headers: OPERATOR },
  );
  expect(res.status).toBe(200);
  return res.body.items as Record<string, any>[];
}

async function applicantOnOfficerList(apartmentId: string) {
  const res = await officer(`/announcements/${announcementId}/apartments`);
  const apt = res.body.items.find((a: { id: string }) => a.id === apartmentId);
  return apt.holders.find((h: { position: number }) => h.position === 0);
}

describe('003 §6.1: the notice on the selected apartment within 5 working days', () => {
  it('003 §6.1: given MİDA named the notary and the notice reached the cabinet and the e-mail, when the 5 working days end, then nothing is raised', async () => {
    const { apartmentId, selectionId } = await selectedOwnFunds();
    const named = await officer(`/selections/${selectionId}/notary`, {
      name: 'Bakı şəhəri 5 saylı notariat ofisi',
      address: 'Bakı, Nizami küç. 10',
      date: addDays(today(), 3),
    });
    expect(named.status).toBe(200);
    // the notice dispatcher has placed it in the cabinet and sent the e-mail
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT channel FROM notice_outbox WHERE case_id = $1 AND template = 'apartment-notice-own-funds' AND status = 'sent'`,
        [selectionId],
      );
      return rows.length === 2 ? true : undefined;
    }, 60_000);

    const s = await selectionRow(t, selectionId);
    const dueOn = await fifthWorkingDay();
    await fireTimer(
      t.engine,
      { businessKey: selectionId, activityId: 'notice-due' },
      deadlineEnd(dueOn),
    );
    await watchDone(s.process_instance_key);

    expect((await selectionRow(t, selectionId)).notice_overdue_at).toBeNull();
    expect(await deliveries(selectionId, 'all', new Date())).toEqual([]);
    expect(await applicantOnOfficerList(apartmentId)).toMatchObject({
      noticeDueOn: dueOn,
      noticeOverdueAt: null,
    });
    // the selection runs on: the §6.2 contract period is still waited for
    expect((await selectionRow(t, selectionId)).state).toBe('active');
  });

  it('003 §6.1: given MİDA has not named the notary, when the 5 working days end, then the notice is overdue on the operators’ list and the officers’ apartment list, and a later notice shows as its late delivery', async () => {
    const { apartmentId, selectionId } = await selectedOwnFunds();
    const s = await selectionRow(t, selectionId);
    const dueOn = await fifthWorkingDay();
    const dueAt = deadlineEnd(dueOn);
    await fireTimer(t.engine, { businessKey: selectionId, activityId: 'notice-due' }, dueAt);
    await watchDone(s.process_instance_key);

    const afterDue = new Date(dueAt.getTime() + 60_000);
    const overdue = await deliveries(selectionId, 'overdue', afterDue);
    expect(overdue).toEqual([
      expect.objectContaining({
        caseType: 'apartment-selection',
        caseId: selectionId,
        template: 'apartment-notice-own-funds',
        periodCode: 'selection-notice',
        citation: '003 §6.1',
        decidedOn: today(),
        dueDate: dueOn,
        deliveredAt: null,
        overdue: true,
      }),
    ]);
    const row = await selectionRow(t, selectionId);
    expect(row.notice_overdue_at).not.toBeNull();
    expect(row.state).toBe('active'); // MİDA's miss does not cancel the holder's selection
    const onList = await applicantOnOfficerList(apartmentId);
    expect(onList.noticeDueOn).toBe(dueOn);
    expect(onList.noticeOverdueAt).not.toBeNull();
    const { rows: audit } = await t.stack.db.pool.query(
      `SELECT legal_ground FROM audit_event WHERE case_id = $1 AND action = 'selection-notice-overdue'`,
      [selectionId],
    );
    expect(audit).toEqual([{ legal_ground: '003 §6.1' }]);

    // MİDA names the notary late: the notice goes out and is the delivery of the overdue row
    expect(
      (
        await officer(`/selections/${selectionId}/notary`, {
          name: 'Bakı şəhəri 5 saylı notariat ofisi',
          address: 'Bakı, Nizami küç. 10',
          date: addDays(today(), 3),
        })
      ).status,
    ).toBe(200);
    const delivered = await eventually(async () => {
      const [d] = await deliveries(selectionId, 'all', afterDue);
      return d?.deliveredAt ? d : undefined;
    }, 60_000);
    expect(delivered).toMatchObject({ dueDate: dueOn, overdue: false });
    expect(await deliveries(selectionId, 'overdue', afterDue)).toEqual([]);
    expect((await noticesOf(t, selectionId)).map((n) => n.template)).toContain(
      'apartment-notice-own-funds',
    );
  });

  it('003 §5.7-2, §6.1: given a waiting holder promoted after a cancellation, then their own §6.1 watch is due 5 working days after the promotion', async () => {
    const { apartmentId, selectionId } = await selectedOwnFunds();
    const w = await wait(t, await holder(t), apartmentId);
    expect(w.status).toBe(201);
    const cancel = await officer(`/selections/${selectionId}/cancel`, {
      ground: 'holder-refused',
      reason: 'Ərizəçi yazılı ərizə ilə mənzil almaqdan imtina etdi.',
    });
    expect(cancel.status).toBe(200);
    const promoted = await until(
      t,
      w.body.selectionId,
      (x) => x.position === 0 && !!x.process_instance_key,
    );
    const dueOn = await fifthWorkingDay();
    expect(
      (
        await t.stack.db.pool.query(
          `SELECT to_char(notice_due_on, 'YYYY-MM-DD') AS d FROM apartment_selection WHERE id = $1`,
          [promoted.id],
        )
      ).rows[0].d,
    ).toBe(dueOn);
    await fireTimer(
      t.engine,
      { businessKey: promoted.id, activityId: 'notice-due' },
      deadlineEnd(dueOn),
    );
    await watchDone(promoted.process_instance_key);
    expect(
      await deliveries(promoted.id, 'overdue', new Date(deadlineEnd(dueOn).getTime() + 1)),
    ).toHaveLength(1);
  });
});
