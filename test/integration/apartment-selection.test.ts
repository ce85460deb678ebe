import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadCalendar } from '../../src/cases/calendar-repository.js';
import { addDays, deadlineEnd, type CivilDate } from '../../src/domain/calendar.js';
import { mortgageSystemStandin } from '../../dev/mortgage-system-standin.js';
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
import { checkAnswers, type AnswerLog } from '../support/openapi-answers.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';

let t: TestStack;
let announcementId: string;
let answers: AnswerLog;
beforeAll(async () => {
  t = await startTestStack();
  answers = checkAnswers(t);
  await seedMortgageSystem(t);
  announcementId = await openAnnouncement(t, announcementBody({ apartments: 20 }));
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

/** The Nth working day after today, by the operators' calendar (the rule's own count). */
async function workingDaysFromToday(n: number): Promise<CivilDate> {
  return (await loadCalendar(t.stack.db.pool)).addWorkingDays(today(), n);
}
const endOf = (d: CivilDate) => deadlineEnd(d);

let next = 0;
async function anApartment(): Promise<string> {
  const free = await freeApartments(t, announcementId);
  const apt = free[next % free.length];
  next += 1;
  return apt.id;
}

const officer = (path: string, body: unknown) =>
  t.api(`/api/v1/officer/mida${path}`, { body, headers: OFFICER });
/** The mortgage e-system (its dev stand-in speaks the adapter's contract). */
const bank = async (
  selectionId: string,
  body: { kind: string; filedOn?: string; approved?: boolean; reason?: 'bank' | 'category-lost' },
) => {
  const m = mortgageSystemStandin(t.stack.apiUrl, MORTGAGE_SYSTEM_TOKEN);
  const res =
    body.kind === 'application-filed'
      ? await m.applicationFiled(selectionId, body.filedOn!)
      : await m.decided(selectionId, body.approved!, body.reason);
  answers.check('POST', `/api/v1/mortgage-system/selections/${selectionId}/events`, res);
  return res;
};
const notary = (date = addDays(today(), 3)) => ({
  name: 'Bakı şəhəri 5 saylı notariat ofisi',
  address: 'Bakı, Nizami küç. 10',
  date,
});
async function uploadApproval(applicationId: string, issuedOn: CivilDate) {
  const res = await t.api(`/api/v1/cabinet/${applicationId}/pre-approvals`, {
    body: { bankName: 'Bank A', decisionNumber: 'IR-1', issuedOn },
    headers: PORTAL,
  });
  expect(res.status).toBe(201);
}

async function selected(applicationId: string, method = 'own-funds') {
  const apt = await anApartment();
  const res = await select(t, applicationId, apt, method);
  expect(res.status).toBe(201);
  await until(t, res.body.selectionId, (s) => !!s.process_instance_key);
  return { apartmentId: apt, selectionId: res.body.selectionId as string };
}

/** Own funds: MİDA names the notary → the §6.1 notice goes out and the 15 days start. */
async function ownFundsNoticed(selectionId: string) {
  const res = await officer(`/selections/${selectionId}/notary`, notary());
  expect(res.status).toBe(200);
  return until(t, selectionId, (s) => s.notice_posted_on !== null && s.due_code !== null);
}

describe('selection and the lock (003 §5.6, §5.7, §5.7-1)', () => {
  it('003 §5.7: given a free apartment, when a holder selects it, then it is locked, gone from the free list, and the holder is told in the cabinet at once', async () => {
    const h = await holder(t);
    const apt = await anApartment();
    const res = await select(t, h, apt);
    expect(res.status).toBe(201);
    expect(res.body.noticeDueOn).toBe(await workingDaysFromToday(5)); // §6.1
    expect((await freeApartments(t, announcementId)).map((a) => a.id)).not.toContain(apt);
    expect(await noticesOf(t, res.body.selectionId)).toEqual([
      { template: 'apartment-selected', channel: 'cabinet' },
    ]);
    const other = await select(t, await holder(t), apt);
    expect(other.status).toBe(409);
    expect(other.body.errors).toEqual([{ field: 'apartmentId', message: 'apartment-locked' }]);
  });

  it('003 §5.7: given a holder with a selection, when selecting a second apartment in the announcement, then 409 names applicationId', async () => {
    const h = await holder(t);
    await selected(h);
    const res = await select(t, h, await anApartment());
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('applicationId');
  });

  it('003 §5.7-1: given a locked apartment, when two holders wait, then they get slots 1 and 2, a third is refused, and the cabinet shows the position', async () => {
    const { apartmentId } = await selected(await holder(t));
    const [w1, w2, w3] = [await holder(t), await holder(t), await holder(t)];
    expect((await wait(t, w1, apartmentId)).body).toMatchObject({ slot: 1, position: 1 });
    expect((await wait(t, w2, apartmentId)).body).toMatchObject({ slot: 2, position: 2 });
    const third = await wait(t, w3, apartmentId);
    expect(third.status).toBe(409);
    expect(third.body.errors).toEqual([{ field: 'apartmentId', message: 'no-waiting-slot' }]);
    const c = await cabinet(t, w2);
    expect(c.selections).toEqual([
      expect.objectContaining({ role: 'waiting', waitingPosition: 2, state: 'active' }),
    ]);
  });

  it('003 §5.7-1: given a holder who selected an apartment, when asking to wait for another, then 409', async () => {
    const { apartmentId } = await selected(await holder(t));
    const h = await holder(t);
    await selected(h);
    const res = await wait(t, h, apartmentId);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toBe('has-selected');
  });

  it('003 §5.6: given no preliminary approval, when selecting with the mortgage, then 400 names paymentMethod and nothing is locked', async () => {
    const apt = await anApartment();
    const res = await select(t, await holder(t), apt, 'mortgage');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('paymentMethod');
    expect((await freeApartments(t, announcementId)).map((a) => a.id)).toContain(apt);
  });

  it('003 §5.5-3: given a preliminary approval more than a year old, when selecting with the mortgage, then 400 and a new approval is asked for', async () => {
    const h = await holder(t);
    await uploadApproval(h, addDays(today(), -400));
    const res = await select(t, h, await anApartment(), 'mortgage');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/more than a year old/);
  });

  it('given a malformed apartment id and method, when selecting, then 400 names both fields', async () => {
    const res = await t.api(`/api/v1/cabinet/${await holder(t)}/selections`, {
      body: { apartmentId: 'x', paymentMethod: 'cash' },
      headers: PORTAL,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'apartmentId',
      'paymentMethod',
    ]);
  });

  it('003 §5.8: given an announcement not open for selection, when selecting, then 409', async () => {
    const d = await t.api('/api/v1/officer/mida/announcements', {
      body: announcementBody({ startsInDays: 40 }),
      headers: OFFICER,
    });
    const apts = await t.api(`/api/v1/officer/mida/announcements/${d.body.id}/apartments`, {
      headers: OFFICER,
    });
    const res = await select(t, await holder(t), apts.body.items[0].id);
    expect(res.status).toBe(409);
  });
});

describe('own funds (003 §6.1, §6.2, §7)', () => {
  it('003 §6.1, §6.2, §7.2: given an own-funds selection, when MİDA names the notary, the holder asks a new date and the contract is recorded, then the notices go out and the apartment is sold', async () => {
    const h = await holder(t);
    const { selectionId, apartmentId } = await selected(h);
    const s = await ownFundsNoticed(selectionId);
    expect(s.due_code).toBe('selection-own-funds-contract');
    expect(s.due).toBe(await workingDaysFromToday(15)); // §6.2
    // §6.1: the cabinet and one more channel the holder gave (e-mail)
    expect(await noticesOf(t, selectionId)).toEqual(
      expect.arrayContaining([
        { template: 'apartment-notice-own-funds', channel: 'cabinet' },
        { template: 'apartment-notice-own-funds', channel: 'email' },
      ]),
    );
    // the cabinet shows every notice once the dispatcher has placed it
    const c = await eventually(async () => {
      const x = await cabinet(t, h);
      const templates = x.notices.map((n: { template: string }) => n.template);
      return templates.includes('apartment-notice-own-funds') ? x : undefined;
    }, 60_000);
    expect(c.notices.map((n: { template: string }) => n.template)).toEqual([
      'apartment-selected',
      'apartment-notice-own-funds',
    ]);
    expect(c.selections[0].deadline).toEqual({
      code: 'selection-own-funds-contract',
      dueOn: s.due,
      workingDaysLeft: 15,
    });

    const ask = await t.api(`/api/v1/cabinet/${h}/selections/${selectionId}/notary-date-request`, {
      body: {},
      headers: PORTAL,
    });
    expect(ask.status).toBe(200);
    const again = await officer(`/selections/${selectionId}/notary`, notary(addDays(today(), 7)));
    expect(again.body.notice).toBe('new-date');
    expect((await noticesOf(t, selectionId)).map((n) => n.template)).toContain(
      'apartment-notary-new-date',
    );

    const contract = await officer(`/selections/${selectionId}/contract`, {
      kind: 'sale',
      signedOn: today(),
      notaryName: 'Bakı şəhəri 5 saylı notariat ofisi',
      notaryCertificationNumber: 'N-2026-001',
      registryPriorRegistration: 'DƏR-QQ-000123',
    });
    expect(contract.status).toBe(201);
    const done = await until(t, selectionId, (x) => x.state === 'contracted');
    expect(done.apartment_state).toBe('sold');
    expect((await noticesOf(t, selectionId)).map((n) => n.template)).toContain(
      'apartment-sale-completed',
    );
    expect(apartmentId).toBeTruthy();
  });

  it('003 §5.9, §6.2, §5.7-2, §5.7-3: given an own-funds applicant and two waiting holders, when the 15 working days pass, a court finds distortion, and the third refuses, then each waiting holder is promoted in turn and at the end the lock is lifted', async () => {
    const a = await holder(t);
    const { selectionId, apartmentId } = await selected(a);
    const [w1, w2] = [await holder(t), await holder(t)];
    const s1 = (await wait(t, w1, apartmentId)).body.selectionId as string;
    const s2 = (await wait(t, w2, apartmentId)).body.selectionId as string;
    const noticed = await ownFundsNoticed(selectionId);

    // §6.2: the contract period passes: the selection is cancelled (§5.9, no-show)
    await fireTimer(
      t.engine,
      { businessKey: selectionId, activityId: 'contract-period-over' },
      endOf(noticed.due),
    );
    const gone = await until(t, selectionId, (x) => x.state === 'cancelled');
    expect([gone.cancel_ground, gone.cancel_citation]).toEqual(['no-show', '003 §5.9, §6.2']);
    expect((await noticesOf(t, selectionId)).map((n) => n.template)).toContain(
      'apartment-selection-cancelled',
    );
    // §5.7-2: the first waiting holder becomes the applicant, told in the cabinet, and the
    // second is now first in line
    const p1 = await until(t, s1, (x) => x.position === 0 && !!x.process_instance_key);
    expect(p1.state).toBe('active');
    expect(await noticesOf(t, s1)).toEqual(
      expect.arrayContaining([{ template: 'apartment-promoted', channel: 'cabinet' }]),
    );
    expect((await cabinet(t, w2)).selections[0].waitingPosition).toBe(1);

    // §6.5.1: a court established distortion — a reasoned decision by an officer
    const cancel = await officer(`/selections/${s1}/cancel`, {
      ground: 'distortion-court',
      reason: 'Bakı İnzibati Məhkəməsinin 01.11.2026 tarixli qərarı ilə təhrif müəyyən edilib.',
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ ground: '003 §6.5.1', promoted: s2 });
    // §5.7-3: the second waiting holder becomes the applicant
    await until(t, s2, (x) => x.position === 0 && !!x.process_instance_key);
    expect((await noticesOf(t, s2)).map((n) => n.template)).toContain('apartment-promoted');
    // the first promoted holder's process was ended with the decision
    await eventually(async () => {
      const r = await t.engine.GET('/process-instance', {
        params: { query: { businessKey: s1 } },
      });
      return r.data?.length === 0 ? true : undefined;
    }, 60_000);

    // §5.9 refusal by the holder; nobody waits: the lock is lifted
    const w = await t.api(`/api/v1/cabinet/${w2}/selections/${s2}/withdraw`, {
      body: {},
      headers: PORTAL,
    });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ lockLifted: true, ground: '003 §5.9' });
    const last = await selectionRow(t, s2);
    expect([last.state, last.cancel_ground, last.apartment_state]).toEqual([
      'cancelled',
      'holder-refused',
      'released',
    ]);
  });

  it('003 §5.9: given a live selection, when an officer decides "not satisfied" and, on another, "grant revoked" with reasons, then each is cancelled on §5.9 with its ground, told on every channel, its process ended and the lock lifted', async () => {
    for (const ground of ['not-satisfied', 'grant-revoked'] as const) {
      const { selectionId } = await selected(await holder(t));
      const res = await officer(`/selections/${selectionId}/cancel`, {
        ground,
        reason: 'MİDA-nın 02.11.2026 tarixli qərarı ilə ərizə üzrə qərar dəyişdirilib.',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ground: '003 §5.9', lockLifted: true });
      const c = await selectionRow(t, selectionId);
      expect([c.state, c.cancel_ground, c.cancel_citation, c.apartment_state]).toEqual([
        'cancelled',
        ground,
        '003 §5.9',
        'released',
      ]);
      expect(await noticesOf(t, selectionId)).toEqual(
        expect.arrayContaining([
          { template: 'apartment-selection-cancelled', channel: 'cabinet' },
          { template: 'apartment-selection-cancelled', channel: 'email' },
        ]),
      );
      await eventually(async () => {
        const r = await t.engine.GET('/process-instance', {
          params: { query: { businessKey: selectionId } },
        });
        return r.data?.length === 0 ? true : undefined;
      }, 60_000);
    }
  });

  it('003 §5.9: given a cancellation without reasons, when an officer records it, then 400 names reason and nothing changes', async () => {
    const { selectionId } = await selected(await holder(t));
    const res = await officer(`/selections/${selectionId}/cancel`, {
      ground: 'not-satisfied',
      reason: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('reason');
    expect((await selectionRow(t, selectionId)).state).toBe('active');
  });

  it('003 §5.9: given a deadline ground, when an officer tries to decide it, then 400 (it follows from the deadline)', async () => {
    const { selectionId } = await selected(await holder(t));
    const res = await officer(`/selections/${selectionId}/cancel`, {
      ground: 'no-show',
      reason: 'Ərizəçi notariusa gəlmədi.',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('ground');
  });
});

describe('mortgage (003 §3.4, §6.3–§6.5)', () => {
  async function mortgageSelected() {
    const h = await holder(t);
    await uploadApproval(h, addDays(today(), -30));
    const sel = await selected(h, 'mortgage');
    const s = await until(
      t,
      sel.selectionId,
      (x) => x.due_code === 'selection-mortgage-bank-application',
    );
    return { h, ...sel, s };
  }

  it('003 §6.3, §6.4, §6.5.3: given a mortgage selection, when 10 working days pass without a bank application, then the selection is cancelled on §6.5.3', async () => {
    const { selectionId, s } = await mortgageSelected();
    expect(s.due).toBe(await workingDaysFromToday(10));
    expect(await noticesOf(t, selectionId)).toEqual(
      expect.arrayContaining([
        { template: 'apartment-notice-mortgage', channel: 'cabinet' },
        { template: 'apartment-notice-mortgage', channel: 'email' },
      ]),
    );
    await fireTimer(
      t.engine,
      { businessKey: selectionId, activityId: 'bank-application-period-over' },
      endOf(s.due),
    );
    const c = await until(t, selectionId, (x) => x.state === 'cancelled');
    expect([c.cancel_ground, c.cancel_citation, c.apartment_state]).toEqual([
      'no-bank-application',
      '003 §6.5.3',
      'released',
    ]);
  });

  it('003 §6.3: given an own-funds selection, when the mortgage e-system reports a bank application, then 409; a malformed event is 400 naming the field', async () => {
    const { selectionId } = await selected(await holder(t));
    const r = await bank(selectionId, { kind: 'application-filed', filedOn: today() });
    expect(r.status).toBe(409);
    const bad = await bank(selectionId, { kind: 'application-filed', filedOn: '2026-13-01' });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { field: string }[] }).errors[0]!.field).toBe('filedOn');
  });

  it('003 §6.5.3: given the bank refused, when 3 working days pass without a switch, then the selection is cancelled on §6.5.3', async () => {
    const { selectionId } = await mortgageSelected();
    expect((await bank(selectionId, { kind: 'application-filed', filedOn: today() })).status).toBe(
      200,
    );
    await until(t, selectionId, (x) => x.bank_applied_on !== null);
    expect((await bank(selectionId, { kind: 'decided', approved: false })).status).toBe(200);
    const r = await until(t, selectionId, (x) => x.due_code === 'selection-switch-to-own-funds');
    expect(r.due).toBe(await workingDaysFromToday(3));
    expect((await noticesOf(t, selectionId)).map((n) => n.template)).toContain(
      'apartment-bank-refused',
    );
    await fireTimer(
      t.engine,
      { businessKey: selectionId, activityId: 'switch-period-over' },
      endOf(r.due),
    );
    const c = await until(t, selectionId, (x) => x.state === 'cancelled');
    expect([c.cancel_ground, c.cancel_citation]).toEqual(['bank-refused-no-switch', '003 §6.5.3']);
  });

  it('003 §6.5.2: given the holder no longer in a category, when 3 working days pass without a switch, then the selection is cancelled on §6.5.2', async () => {
    const { selectionId } = await mortgageSelected();
    await bank(selectionId, { kind: 'application-filed', filedOn: today() });
    await until(t, selectionId, (x) => x.bank_applied_on !== null);
    await bank(selectionId, { kind: 'decided', approved: false, reason: 'category-lost' });
    const r = await until(t, selectionId, (x) => x.due_code === 'selection-switch-to-own-funds');
    await fireTimer(
      t.engine,
      { businessKey: selectionId, activityId: 'switch-period-over' },
      endOf(r.due),
    );
    const c = await until(t, selectionId, (x) => x.state === 'cancelled');
    expect([c.cancel_ground, c.cancel_citation]).toEqual(['category-lost-no-switch', '003 §6.5.2']);
  });

  it('003 §6.5.3: given the bank refused, when the holder switches to own funds within 3 working days, then the own-funds notice goes out and the contract is signed', async () => {
    const { h, selectionId } = await mortgageSelected();
    await bank(selectionId, { kind: 'application-filed', filedOn: today() });
    await until(t, selectionId, (x) => x.bank_applied_on !== null);
    await bank(selectionId, { kind: 'decided', approved: false });
    await until(t, selectionId, (x) => x.due_code === 'selection-switch-to-own-funds');
    const sw = await t.api(`/api/v1/cabinet/${h}/selections/${selectionId}/switch-to-own-funds`, {
      body: {},
      headers: PORTAL,
    });
    expect(sw.status).toBe(200);
    const s = await ownFundsNoticed(selectionId);
    expect(s.due_code).toBe('selection-own-funds-contract');
    expect(s.payment_method).toBe('own-funds');
    await officer(`/selections/${selectionId}/contract`, {
      kind: 'sale',
      signedOn: today(),
      notaryName: 'Notarius',
      notaryCertificationNumber: 'N-2',
      registryPriorRegistration: 'DƏR-2',
    });
    await until(t, selectionId, (x) => x.state === 'contracted');
  });

  it('003 §6.3: given a mortgage selection, when the holder switches to own funds before applying to the bank, then the own-funds path follows', async () => {
    const { h, selectionId } = await mortgageSelected();
    await t.api(`/api/v1/cabinet/${h}/selections/${selectionId}/switch-to-own-funds`, {
      body: {},
      headers: PORTAL,
    });
    const s = await ownFundsNoticed(selectionId);
    expect(s.due_code).toBe('selection-own-funds-contract');
  });

  it('003 §6.4, §7.3, §3.4: given the bank approved, when a sale-and-mortgage contract over 90 % is recorded then 400, at 90 % the apartment is sold; the exchange (§2.3–2.4) is recorded exempt from once-only', async () => {
    const { h, selectionId, apartmentId } = await mortgageSelected();
    await bank(selectionId, { kind: 'application-filed', filedOn: today() });
    await until(t, selectionId, (x) => x.bank_applied_on !== null);
    await bank(selectionId, { kind: 'decided', approved: true });
    await until(t, selectionId, (x) => x.bank_decision === 'approved');
    const contract = (loanQepik: number) =>
      officer(`/selections/${selectionId}/contract`, {
        kind: 'sale-and-mortgage',
        signedOn: today(),
        notaryName: 'Notarius',
        notaryCertificationNumber: 'N-3',
        registryPriorRegistration: 'DƏR-3',
        agentBank: 'Bank A',
        loanQepik,
      });
    const over = await contract(5_310_001); // price 59 000 AZN: 90 % is 53 100 AZN
    expect(over.status).toBe(400);
    expect(over.body.errors[0].field).toBe('loanQepik');
    expect((await contract(5_310_000)).status).toBe(201);
    await until(t, selectionId, (x) => x.state === 'contracted' && x.apartment_state === 'sold');

    const to = await anApartment();
    const ex = await officer('/exchanges', {
      applicationId: h,
      fromApartmentId: apartmentId,
      toApartmentId: to,
      requestReason: 'Ailə üzvünün əlilliyi ilə əlaqədar aşağı mərtəbə tələb olunur.',
      consentNumber: 'MİDA-EX-1',
      consentOn: today(),
    });
    expect(ex.status).toBe(201);
    expect(ex.body.onceOnlyExempt).toBe(true);
  });
});

// Last: it reads the answers every case above got (jest runs a file's tests in order).
describe('the OpenAPI document (issue 15)', () => {
  it('given every success answer of the apartment phase above, then each conforms to the document', () => {
    expect(answers.problems).toEqual([]);
    expect([...answers.operations].sort()).toEqual(
      expect.arrayContaining([
        'get /api/v1/apartment-announcements/{id}/apartments',
        'get /api/v1/cabinet/{applicationId}/apartment',
        'post /api/v1/cabinet/{applicationId}/selections',
        'post /api/v1/cabinet/{applicationId}/waiting-selections',
        'post /api/v1/cabinet/{applicationId}/selections/{selectionId}/withdraw',
        'post /api/v1/cabinet/{applicationId}/selections/{selectionId}/switch-to-own-funds',
        'post /api/v1/cabinet/{applicationId}/selections/{selectionId}/notary-date-request',
        'post /api/v1/cabinet/{applicationId}/pre-approvals',
        'get /api/v1/officer/{body}/announcements',
        'post /api/v1/officer/{body}/announcements',
        'post /api/v1/officer/{body}/announcements/{id}/publish',
        'get /api/v1/officer/{body}/announcements/{id}/apartments',
        'post /api/v1/officer/{body}/selections/{id}/notary',
        'post /api/v1/officer/{body}/selections/{id}/contract',
        'post /api/v1/officer/{body}/selections/{id}/cancel',
        'post /api/v1/officer/{body}/exchanges',
        'post /api/v1/mortgage-system/selections/{id}/events',
      ]),
    );
  });
});
