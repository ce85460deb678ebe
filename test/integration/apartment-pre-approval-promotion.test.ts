import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mortgageSystemStandin } from '../../dev/mortgage-system-standin.js';
import { addDays, deadlineEnd, type CivilDate } from '../../src/domain/calendar.js';
import { PORTAL } from '../support/auth.js';
import {
  announcementBody,
  cabinet,
  freeApartments,
  holder,
  MORTGAGE_SYSTEM_TOKEN,
  noticesOf,
  OFFICER,
  openAnnouncement,
  seedMortgageSystem,
  select,
  selectionRow,
  today,
  until,
  wait,
} from '../support/apartments.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';

/**
 * 003 §5.5-3, §5.6 at the promotion of a waiting holder (§5.7-2, §5.7-3): the mortgage needs a
 * preliminary approval under one year old when they become the applicant. An older one leaves
 * the promotion standing; the cabinet asks for a new approval or a switch to own funds, the bank
 * application is not taken without it, and with neither the §6.3 period ends in §6.5.3.
 */
let t: TestStack;
let announcementId: string;
beforeAll(async () => {
  t = await startTestStack();
  await seedMortgageSystem(t);
  announcementId = await openAnnouncement(t, announcementBody({ apartments: 6 }));
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const bank = () => mortgageSystemStandin(t.stack.apiUrl, MORTGAGE_SYSTEM_TOKEN);

async function uploadApproval(applicationId: string, issuedOn: CivilDate) {
  const res = await t.api(`/api/v1/cabinet/${applicationId}/pre-approvals`, {
    body: { bankName: 'Bank A', decisionNumber: `IR-${issuedOn}`, issuedOn },
    headers: PORTAL,
  });
  expect(res.status).toBe(201);
}

let next = 0;
/**
 * An own-funds applicant and a mortgage holder waiting in slot 1 whose approval (valid when they
 * took the slot) has `ageDays` days by the time the applicant's selection is cancelled.
 */
async function promotedWithApprovalOf(ageDays: number) {
  const free = await freeApartments(t, announcementId);
  const apartmentId = free[next % free.length].id as string;
  next += 1;
  const applicant = await select(t, await holder(t), apartmentId);
  expect(applicant.status).toBe(201);
  await until(t, applicant.body.selectionId, (s) => !!s.process_instance_key);
  const w = await holder(t);
  await uploadApproval(w, addDays(today(), -30));
  const waiting = await wait(t, w, apartmentId, 'mortgage');
  expect(waiting.status).toBe(201);
  // the time the holder waited: the approval's issue day as it is at the promotion
  await t.stack.db.pool.query(
    `UPDATE bank_pre_approval SET issued_on = $2 WHERE application_id = $1`,
    [w, addDays(today(), -ageDays)],
  );
  const cancel = await t.api(
    `/api/v1/officer/mida/selections/${applicant.body.selectionId}/cancel`,
    {
      body: {
        ground: 'holder-refused',
        reason: 'Ərizəçi yazılı ərizə ilə mənzil almaqdan imtina etdi.',
      },
      headers: OFFICER,
    },
  );
  expect(cancel.status).toBe(200);
  const selectionId = waiting.body.selectionId as string;
  // §5.7-2: the waiting holder is the applicant; the mortgage §6.1 notice starts §6.3
  const s = await until(
    t,
    selectionId,
    (x) => x.position === 0 && x.due_code === 'selection-mortgage-bank-application',
  );
  return { holder: w, selectionId, s };
}

describe('003 §5.5-3, §5.6: the preliminary approval at the promotion of a waiting holder', () => {
  it('003 §5.5-3: given an approval more than a year old at promotion, when promoted, then the cabinet asks for a new one, the bank application is refused until it is placed, and then taken', async () => {
    const { holder: w, selectionId } = await promotedWithApprovalOf(370);
    const c = await cabinet(t, w);
    expect(c.selections).toEqual([
      expect.objectContaining({
        selectionId,
        role: 'applicant',
        paymentMethod: 'mortgage',
        preApprovalRenewalNeeded: true,
      }),
    ]);
    expect(await noticesOf(t, selectionId)).toEqual(
      expect.arrayContaining([
        { template: 'apartment-promoted', channel: 'cabinet' },
        { template: 'apartment-pre-approval-renewal', channel: 'cabinet' },
      ]),
    );

    const refused = await bank().applicationFiled(selectionId, today());
    expect(refused.status).toBe(409);
    expect((refused.body as { errors: unknown[] }).errors).toEqual([
      { field: 'selectionId', message: 'pre-approval-renewal-needed' },
    ]);
    expect((await selectionRow(t, selectionId)).bank_applied_on).toBeNull();

    await uploadApproval(w, today());
    expect((await cabinet(t, w)).selections[0].preApprovalRenewalNeeded).toBeUndefined();
    expect((await bank().applicationFiled(selectionId, today())).status).toBe(200);
    await until(t, selectionId, (x) => x.bank_applied_on !== null);
  });

  it('003 §5.5-3, §6.5.3: given an approval more than a year old at promotion, when neither a new approval with a bank application nor a switch comes within the §6.3 period, then the selection is cancelled on §6.5.3', async () => {
    const { selectionId, s } = await promotedWithApprovalOf(400);
    await fireTimer(
      t.engine,
      { businessKey: selectionId, activityId: 'bank-application-period-over' },
      deadlineEnd(s.due),
    );
    const c = await until(t, selectionId, (x) => x.state === 'cancelled');
    expect([c.cancel_ground, c.cancel_citation, c.apartment_state]).toEqual([
      'no-bank-application',
      '003 §6.5.3',
      'released',
    ]);
  });

  it('003 §5.5-3: given an approval more than a year old at promotion, when the holder switches to own funds, then the renewal is no longer asked for', async () => {
    const { holder: w, selectionId } = await promotedWithApprovalOf(380);
    const sw = await t.api(`/api/v1/cabinet/${w}/selections/${selectionId}/switch-to-own-funds`, {
      body: {},
      headers: PORTAL,
    });
    expect(sw.status).toBe(200);
    const r = await selectionRow(t, selectionId);
    expect([r.payment_method, r.pre_approval_renewal_since]).toEqual(['own-funds', null]);
  });

  it('003 §5.5-3: given an approval still under a year old at promotion, when promoted, then no renewal is asked and the bank application is taken', async () => {
    const { holder: w, selectionId } = await promotedWithApprovalOf(300);
    expect((await cabinet(t, w)).selections[0].preApprovalRenewalNeeded).toBeUndefined();
    expect((await noticesOf(t, selectionId)).map((n) => n.template)).not.toContain(
      'apartment-pre-approval-renewal',
    );
    expect((await bank().applicationFiled(selectionId, today())).status).toBe(200);
  });
});
