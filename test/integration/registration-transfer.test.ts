import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadlineFromEvent } from '../../src/cases/deadlines.js';
import { checkAnswers, type AnswerLog } from '../support/openapi-answers.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';
import {
  daysAgo,
  decideTask,
  familyOnFile,
  fileTransfer,
  noticesOf,
  positions,
  todayInBaku,
  transferApplication,
  transferView,
  waitForTransfer,
} from '../support/transfer.js';
import {
  entryOnList,
  entryStatus,
  inboxRowAndFile,
  openTaskOfCase,
  registryIdentity,
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

const REASON = 'Sənədlər yoxlanılıb, əsas təsdiq olunub.';

async function filed(entryId: string, body: Record<string, unknown>): Promise<string> {
  const res = await fileTransfer(t, entryId, body);
  if (res.status !== 201) throw new Error(`file: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.caseId as string;
}

async function decided(caseId: string, outcome: string, legalGround: string) {
  const { taskId } = await openTaskOfCase(t, caseId);
  const res = await decideTask(t, taskId, { outcome, legalGround, reason: REASON });
  expect(res.status).toBe(200);
  return waitForTransfer(t, caseId, (c) => c.status === 'decided' && !!c.decisionCopy);
}

async function entryRow(entryId: string) {
  const { rows } = await t.stack.db.pool.query(
    `SELECT registered_fin, to_char(registration_date, 'YYYY-MM-DD') AS registration_date, decision_number, status
       FROM waitlist_entry WHERE id = $1`,
    [entryId],
  );
  return rows[0];
}

describe('registration transfer granted (002 §2.6–2.7)', () => {
  it('given an in-time application with the registries holding identity and death, when the reviewer transfers, then the representative takes the exact queue place', async () => {
    // SYWDEAD: the stand-in registry records the death 20 days ago; SYWOK01 / SYWOKSP are known.
    const before1 = await entryOnList(t, '6TQ0001', { registrationDate: '2010-01-01' });
    const target = await entryOnList(t, 'SYWDEAD', { registrationDate: '2010-01-02' });
    const after1 = await entryOnList(t, '6TQ0003', { registrationDate: '2010-01-02' });
    const after2 = await entryOnList(t, '6TQ0004', { registrationDate: '2010-01-05' });
    await t.stack.db.pool.query(
      `INSERT INTO waitlist_family_member (entry_id, fin, relation) VALUES ($1, 'SYWOK01', 'spouse'), ($1, 'SYWOKSP', 'child')`,
      [target],
    );
    const all = [before1, target, after1, after2];
    const placesBefore = await positions(t, all);
    const entryBefore = await entryRow(target);

    const res = await fileTransfer(
      t,
      target,
      transferApplication('SYWOK01', 'SYWOKSP', {
        eventDate: daysAgo(19), // the family's date; the registry's record (20 days ago) wins
        representative: { fin: 'SYWOK01', kind: 'family-member', relation: 'spouse' },
        family: [{ fin: 'SYWOKSP', relation: 'child', adult: true, signed: true }],
        documents: [{ kind: 'representation-statement', accepted: true }],
      }),
    );
    expect(res.status).toBe(201);
    // 002 §2.4: the receipt lists what was accepted, the date, and what the body fetches itself (2.3)
    expect(res.body.receipt).toEqual({
      date: todayInBaku(),
      accepted: ['representation-statement'],
      missing: [],
      toBeFetched: ['identity-documents', 'death-certificate'],
    });
    const caseId = res.body.caseId as string;
    const c = await decided(caseId, 'transfer', 'transfer-registration');
    expect(c.outcome).toBe('transferred');
    expect(c.checks.window).toEqual(
      expect.objectContaining({
        inTime: true,
        eventDate: daysAgo(20),
        eventDateSource: 'registry',
      }),
    );
    expect(c.documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'identity-documents', source: 'registry' }),
        expect.objectContaining({ kind: 'death-certificate', source: 'registry' }),
      ]),
    );
    expect(c.decisions).toEqual([
      expect.objectContaining({ outcome: 'transfer', legalGround: 'transfer-registration' }),
    ]);
    // the same slot: registration date and decision number kept, every place unchanged
    const entryAfter = await entryRow(target);
    expect(entryAfter).toEqual({ ...entryBefore, registered_fin: 'SYWOK01' });
    expect(await positions(t, all)).toEqual(placesBefore);
    // family updated: the representative is the registered member, the child is listed (004 §10)
    const family = await t.stack.db.pool.query(
      `SELECT fin, relation FROM waitlist_family_member WHERE entry_id = $1 ORDER BY fin`,
      [target],
    );
    expect(family.rows).toEqual([{ fin: 'SYWOKSP', relation: 'child' }]);
    // 002 §2.7: the documents join the slot's file
    const file = await t.stack.db.pool.query(
      `SELECT kind, source FROM waitlist_file_document WHERE entry_id = $1 ORDER BY kind`,
      [target],
    );
    expect(file.rows).toEqual([
      { kind: 'death-certificate', source: 'registry' },
      { kind: 'identity-documents', source: 'registry' },
      { kind: 'representation-statement', source: 'applicant' },
    ]);
    // the seizure process is told (correlated by the slot)
    const msg = await t.stack.db.pool.query(
      `SELECT correlation_key FROM engine_outbox WHERE message_name = 'registration-transfer-granted' AND message_id = $1`,
      [`registration-transfer-granted:${caseId}`],
    );
    expect(msg.rows).toEqual([{ correlation_key: target }]);
    // the copy within 3 working days by the chosen channel, to the representative and the signatory
    expect(c.decisionCopy).toEqual(
      expect.objectContaining({ channel: 'post', sentOn: todayInBaku(), recipients: 2 }),
    );
    expect(await noticesOf(t, caseId, 'transfer-granted')).toEqual(
      expect.arrayContaining([
        { channel: 'cabinet', address: 'SYWOK01' },
        { channel: 'email', address: 'temsilci@example.az' },
        { channel: 'cabinet', address: 'SYWOKSP' },
      ]),
    );
  });

  it('given the death of a martyr-family member held by the seizure process, when a transfer is granted, then the hold ends at once', async () => {
    const entry = await entryOnList(t, '6TMH001', { groundsOfNeed: ['martyr-family'] });
    await familyOnFile(t, entry, '6TMH0SP', '6TMH0CH');
    const seizure = await t.api(`/api/v1/waitlist/entries/${entry}/seizure-cases`, {
      body: { ground: 'remove-death', source: 'reviewer', establishedOn: todayInBaku() },
    });
    expect(seizure.status).toBe(201);
    const seizureCaseId = seizure.body.caseId as string;
    await waitForCase(t, seizureCaseId, (c) => c.status === 'held');
    expect((await entryStatus(t, entry)).status).toBe('held');

    const caseId = await filed(
      entry,
      transferApplication('6TMH0SP', '6TMH0CH', { eventDate: todayInBaku(), via: 'centre' }),
    );
    const c = await decided(caseId, 'transfer', 'transfer-registration');
    expect(c.decisionCopy.channel).toBe('centre');
    await waitForCase(t, seizureCaseId, (s) => s.outcome === 'transferred');
    expect((await entryStatus(t, entry)).status).toBe('active');
    expect((await entryRow(entry)).registered_fin).toBe('6TMH0SP');
  });
});

describe('002 §1.2.2: only the family members registered with the deceased', () => {
  it('002 §1.2.2: given a grant, then the family stays the one the file registered with the deceased, less the representative — not the list of the application', async () => {
    const entry = await entryOnList(t, '6T12201');
    await familyOnFile(t, entry, '6T122SP', '6T122CH');
    // the application leaves out the minor child the file lists
    const caseId = await filed(
      entry,
      transferApplication('6T122SP', '6T122CH', {
        family: [
          { fin: '6T122CH', relation: 'child', birthDate: '2001-05-05', adult: true, signed: true },
        ],
      }),
    );
    const c = await decided(caseId, 'transfer', 'transfer-registration');
    expect(c.checks.family).toEqual(
      expect.objectContaining({ citation: '002 §1.2.2', outside: [] }),
    );
    const family = await t.stack.db.pool.query(
      `SELECT fin, relation, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM waitlist_family_member WHERE entry_id = $1 ORDER BY birth_date`,
      [entry],
    );
    expect(family.rows).toEqual([
      { fin: '6T122CH', relation: 'child', birth_date: '2001-05-05' },
      { fin: null, relation: 'child', birth_date: '2016-07-07' },
    ]);
    expect((await entryRow(entry)).registered_fin).toBe('6T122SP');
  });

  it('002 §1.2.2: given a representative the file does not list as a family member, then a grant answers 409 naming the outcome and the reviewer refuses with the point', async () => {
    const entry = await entryOnList(t, '6T12202');
    await familyOnFile(t, entry, '6T123SP', '6T123CH');
    const caseId = await filed(
      entry,
      transferApplication('6T123XX', '6T123CH', {
        representative: {
          fin: '6T123XX',
          kind: 'family-member',
          relation: 'brother',
          birthDate: '1975-01-01',
        },
        family: [
          { fin: '6T123CH', relation: 'child', birthDate: '2001-05-05', adult: true, signed: true },
        ],
      }),
    );
    const { taskId } = await openTaskOfCase(t, caseId);
    expect((await transferView(t, caseId)).checks.family.outside).toEqual([
      { field: 'representative', relation: 'brother', point: '002 §1.2.2' },
    ]);
    const grant = await decideTask(t, taskId, {
      outcome: 'transfer',
      legalGround: 'transfer-registration',
      reason: REASON,
    });
    expect(grant.status).toBe(409);
    expect(grant.body.errors).toEqual([expect.objectContaining({ field: 'outcome' })]);
    expect((await transferView(t, caseId)).decisions).toEqual([]);
    const reason = 'Təmsilçi uçota alınarkən ailə üzvü kimi qeydiyyata alınmayıb.';
    expect(
      (
        await decideTask(t, taskId, {
          outcome: 'refuse',
          legalGround: 'refuse-transfer-not-family-member',
          reason,
        })
      ).status,
    ).toBe(200);
    const c = await waitForTransfer(t, caseId, (x) => x.status === 'decided' && !!x.decisionCopy);
    expect(c.decisions).toEqual([
      expect.objectContaining({
        legalGround: 'refuse-transfer-not-family-member',
        citation: '002 §1.2.2, §1.2.1, §2.1',
        reason,
      }),
    ]);
    expect((await noticesOf(t, caseId, 'transfer-refused')).length).toBeGreaterThan(0);
    expect((await entryRow(entry)).registered_fin).toBe('6T12202');
  });
});

describe('004 §10: one registered member per family', () => {
  it('004 §10: given a representative who already holds a place on the same list, then a grant answers 409 naming the outcome, and the reasoned refusal cites 10 and leaves both places as they were', async () => {
    const entry = await entryOnList(t, '6T10R01', { registrationDate: '2009-02-02' });
    await familyOnFile(t, entry, '6T10RSP', '6T10RCH');
    // the spouse was registered on the same list in their own right
    const own = await entryOnList(t, '6T10RSP', { registrationDate: '2018-03-03' });
    const caseId = await filed(entry, transferApplication('6T10RSP', '6T10RCH'));
    const { taskId } = await openTaskOfCase(t, caseId);
    const grant = await decideTask(t, taskId, {
      outcome: 'transfer',
      legalGround: 'transfer-registration',
      reason: REASON,
    });
    expect(grant.status).toBe(409);
    expect(grant.body.errors).toEqual([
      expect.objectContaining({ field: 'outcome', message: expect.stringMatching(/004 §10/) }),
    ]);
    expect((await transferView(t, caseId)).decisions).toEqual([]);
    const reason =
      'Təmsilçi həmin siyahıda 2018-03-03 tarixdən özü uçotdadır; ailədən yalnız biri uçota götürülür.';
    expect(
      (
        await decideTask(t, taskId, {
          outcome: 'refuse',
          legalGround: 'refuse-transfer-representative-registered',
          reason,
        })
      ).status,
    ).toBe(200);
    const c = await waitForTransfer(t, caseId, (x) => x.status === 'decided' && !!x.decisionCopy);
    expect(c.decisions).toEqual([
      expect.objectContaining({
        legalGround: 'refuse-transfer-representative-registered',
        citation: '004 §10; 002 §3.2',
        reason,
      }),
    ]);
    expect((await noticesOf(t, caseId, 'transfer-refused')).length).toBeGreaterThan(0);
    expect(await entryRow(entry)).toEqual(
      expect.objectContaining({ registered_fin: '6T10R01', registration_date: '2009-02-02' }),
    );
    expect(await entryRow(own)).toEqual(
      expect.objectContaining({ registered_fin: '6T10RSP', status: 'active' }),
    );
  });
});

describe('the 3-month window (002 §2.1)', () => {
  it('002 §3.1.1, §2.1: given an application more than 3 months after the death, then a reviewer decides, and the reasoned refusal cites 3.1.1 with 2.1 and is delivered', async () => {
    const entry = await entryOnList(t, '6TLAT01');
    const caseId = await filed(
      entry,
      transferApplication('6TLATSP', '6TLATCH', { eventDate: daysAgo(130) }),
    );
    // no system refusal: the reviewer's task opens, the window check shown on the case
    const { taskId } = await openTaskOfCase(t, caseId);
    expect((await transferView(t, caseId)).checks.window.inTime).toBe(false);
    const reason = `Ölüm ${daysAgo(130)} tarixində olub; müraciət 3 aydan sonra verilib.`;
    expect(
      (
        await decideTask(t, taskId, {
          outcome: 'refuse',
          legalGround: 'refuse-transfer-late',
          reason,
        })
      ).status,
    ).toBe(200);
    const c = await waitForTransfer(t, caseId, (x) => x.status === 'decided' && !!x.decisionCopy);
    expect(c.outcome).toBe('refused');
    expect(c.decisions).toEqual([
      expect.objectContaining({
        legalGround: 'refuse-transfer-late',
        citation: '002 §3.1.1, §2.1, §2.2',
        decidedBy: expect.not.stringMatching(/^system/),
        reason,
      }),
    ]);
    expect((await noticesOf(t, caseId, 'transfer-refused')).map((n) => n.address)).toEqual(
      expect.arrayContaining(['6TLATSP', 'temsilci@example.az', '6TLATCH']),
    );
    const notice = await t.stack.db.pool.query(
      `SELECT body FROM notice_outbox WHERE case_id = $1 AND template = 'transfer-refused' AND channel = 'email'`,
      [caseId],
    );
    expect(notice.rows[0].body).toContain('002 §3.1.1, §2.1, §2.2');
    expect((await entryRow(entry)).registered_fin).toBe('6TLAT01');
  });
});

async function fixUntilOf(caseId: string): Promise<string | undefined> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT details->'deficiencyNotice'->>'fixUntil' AS until FROM waitlist_case WHERE id = $1`,
    [caseId],
  );
  return rows[0]?.until ?? undefined;
}

describe('correctable deficiencies (002 §2.5)', () => {
  const incomplete = (rep: string, child: string) =>
    transferApplication(rep, child, {
      documents: [
        { kind: 'identity-documents', accepted: true },
        { kind: 'representation-statement', accepted: true },
        { kind: 'death-certificate', accepted: false, note: 'surət oxunmur' },
      ],
    });

  it('given a missing death certificate, when it is fixed within 7 working days, then the case is reviewed and transferred', async () => {
    const entry = await entryOnList(t, '6TDF001');
    await familyOnFile(t, entry, '6TDF0SP', '6TDF0CH');
    const res = await fileTransfer(t, entry, incomplete('6TDF0SP', '6TDF0CH'));
    expect(res.status).toBe(201);
    expect(res.body.receipt.missing).toEqual([]);
    const caseId = res.body.caseId as string;
    const notified = await waitForTransfer(t, caseId, (c) => c.status === 'deficiency-notified');
    expect(notified.deficiencies).toEqual([
      expect.objectContaining({ kind: 'death-certificate', point: '002 §2.2.3' }),
    ]);
    await eventually(async () => (await noticesOf(t, caseId, 'transfer-deficiency-notice')).length);
    const notice = (
      await t.stack.db.pool.query(
        `SELECT details->'deficiencyNotice' AS n FROM waitlist_case WHERE id = $1`,
        [caseId],
      )
    ).rows[0].n;
    // sent is not received (002 §2.5): no fix period before the receipt
    expect(notice).toEqual(
      expect.objectContaining({ sentOn: todayInBaku(), receivedOn: null, noticeInTime: true }),
    );
    expect(notice.fixUntil).toBeUndefined();
    expect(
      (
        await t.api(`/api/v1/waitlist/transfer-cases/${caseId}/deficiency-notice-received`, {
          body: { receivedOn: todayInBaku(), via: 'cabinet' },
        })
      ).status,
    ).toBe(202);
    await eventually(() => fixUntilOf(caseId));
    // the decision is not open before the fix
    expect(
      (await t.stack.db.pool.query(`SELECT 1 FROM review_task WHERE case_id = $1`, [caseId]))
        .rowCount,
    ).toBe(0);
    const doc = await t.api(`/api/v1/waitlist/transfer-cases/${caseId}/documents`, {
      body: { kind: 'death-certificate', accepted: true, receivedOn: todayInBaku() },
    });
    expect(doc.status).toBe(200);
    const fixed = await t.api(`/api/v1/waitlist/transfer-cases/${caseId}/deficiency-fixed`, {
      body: { fixedOn: todayInBaku() },
    });
    expect(fixed.status).toBe(202);
    const c = await decided(caseId, 'transfer', 'transfer-registration');
    expect(c.outcome).toBe('transferred');
    expect(c.checks.review.documentsOn).toBe(todayInBaku());
    expect(c.checks.review.openDeficiencies).toEqual([]);
  });

  it('002 §2.5: given the notice received days after it was sent, then the 7 working days run from the receipt, and unfixed the application is refused on 3.1.1', async () => {
    const entry = await entryOnList(t, '6TDF002');
    const caseId = await filed(entry, incomplete('6TDF2SP', '6TDF2CH'));
    await waitForTransfer(t, caseId, (c) => c.status === 'deficiency-notified');
    await eventually(async () => (await noticesOf(t, caseId, 'transfer-deficiency-notice')).length);
    // a notice sent by post 6 days ago, its postal receipt signed 2 days ago
    await t.stack.db.pool.query(
      `UPDATE waitlist_case SET details = jsonb_set(details, '{deficiencyNotice,sentOn}', to_jsonb($2::text)) WHERE id = $1`,
      [caseId, daysAgo(6)],
    );
    const early = await t.api(
      `/api/v1/waitlist/transfer-cases/${caseId}/deficiency-notice-received`,
      {
        body: { receivedOn: daysAgo(7), via: 'post' },
      },
    );
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'receivedOn' })]);
    const receipt = await t.api(
      `/api/v1/waitlist/transfer-cases/${caseId}/deficiency-notice-received`,
      {
        body: { receivedOn: daysAgo(2), via: 'post' },
      },
    );
    expect(receipt.status).toBe(202);
    const again = await t.api(
      `/api/v1/waitlist/transfer-cases/${caseId}/deficiency-notice-received`,
      {
        body: { receivedOn: daysAgo(1), via: 'cabinet' },
      },
    );
    expect(again.status).toBe(409);
    // 7 working days from the receipt (not from the sending), to the end of that day in Baku
    const fromReceipt = await deadlineFromEvent(
      t.stack.db.pool,
      'transfer-deficiency-fix',
      daysAgo(2),
    );
    const fromSending = await deadlineFromEvent(
      t.stack.db.pool,
      'transfer-deficiency-fix',
      daysAgo(6),
    );
    expect(fromReceipt.dueDate).not.toBe(fromSending.dueDate);
    expect(await eventually(() => fixUntilOf(caseId))).toBe(fromReceipt.dueDate);
    await fireTimer(
      t.engine,
      { businessKey: caseId, activityId: 'fix-expired' },
      fromReceipt.dueAt,
    );
    const c = await waitForTransfer(t, caseId, (x) => x.status === 'decided' && !!x.decisionCopy);
    expect(c.outcome).toBe('refused');
    expect(c.decisions).toEqual([
      expect.objectContaining({
        legalGround: 'refuse-transfer-documents-missing',
        decidedBy: 'system',
      }),
    ]);
    expect((await noticesOf(t, caseId, 'transfer-refused')).length).toBeGreaterThan(0);
  });

  it('002 §2.5: given the deficiency fixed before any receipt is recorded, then the review opens and no fix period ever ran', async () => {
    const entry = await entryOnList(t, '6TDF003');
    const caseId = await filed(entry, incomplete('6TDF3SP', '6TDF3CH'));
    await waitForTransfer(t, caseId, (c) => c.status === 'deficiency-notified');
    await eventually(async () => (await noticesOf(t, caseId, 'transfer-deficiency-notice')).length);
    await t.api(`/api/v1/waitlist/transfer-cases/${caseId}/documents`, {
      body: { kind: 'death-certificate', accepted: true, receivedOn: todayInBaku() },
    });
    const fixed = await t.api(`/api/v1/waitlist/transfer-cases/${caseId}/deficiency-fixed`, {
      body: { fixedOn: todayInBaku() },
    });
    expect(fixed.status).toBe(202);
    await openTaskOfCase(t, caseId);
    expect(await fixUntilOf(caseId)).toBeUndefined();
  });
});

describe("the reviewer's refusals (002 §3.1–3.5)", () => {
  it.each([
    ['refuse-transfer-documents-missing', '002 §3.1.1, §2.2', 'R1'],
    ['refuse-transfer-housing-sufficient', '002 §3.1.2; Mənzil Məcəlləsi 49.5', 'R2'],
    ['refuse-transfer-unworthy-heir', '002 §3.1.3', 'R3'],
  ])(
    'given the ground %s, then the refusal cites %s and reaches the representative and the signatories',
    async (ground, citation, tag) => {
      const entry = await entryOnList(t, `6T${tag}001`);
      const extra =
        ground === 'refuse-transfer-housing-sufficient'
          ? { dwellings: [{ address: 'Bakı ş., Sınaq küç. 9, m. 4', areaM2: 120, share: 1 }] }
          : {};
      const caseId = await filed(entry, transferApplication(`6T${tag}0SP`, `6T${tag}0CH`, extra));
      const c = await decided(caseId, 'refuse', ground);
      expect(c.outcome).toBe('refused');
      expect(c.decisions).toEqual([expect.objectContaining({ legalGround: ground, citation })]);
      if (ground === 'refuse-transfer-housing-sufficient') {
        // 3 members on 120 m² against the norm of 9 m²: the check the reviewer saw
        expect(c.checks.review.housingNeed).toEqual(
          expect.objectContaining({ needsHousing: false, areaPerPersonM2: 40, normM2: 9 }),
        );
      }
      expect((await noticesOf(t, caseId, 'transfer-refused')).map((n) => n.address)).toEqual(
        expect.arrayContaining([`6T${tag}0SP`, `6T${tag}0CH`]),
      );
      expect((await entryRow(entry)).registered_fin).toBe(`6T${tag}001`);
    },
  );

  it('given a refusal on 3.1.1, when the documents are cured, then a new application is accepted and decided (3.4)', async () => {
    const entry = await entryOnList(t, '6TCUR01');
    await familyOnFile(t, entry, '6TCURSP', '6TCURCH');
    const first = await filed(entry, transferApplication('6TCURSP', '6TCURCH'));
    await decided(first, 'refuse', 'refuse-transfer-documents-missing');
    const again = await filed(entry, transferApplication('6TCURSP', '6TCURCH'));
    expect((await transferView(t, again)).reviewOfRefusedCase).toBe(first);
    const c = await decided(again, 'transfer', 'transfer-registration');
    expect(c.outcome).toBe('transferred');
    expect((await entryRow(entry)).registered_fin).toBe('6TCURSP');
  });

  it('given a refusal on 3.1.3, then the same representative gets 409 and another member may apply (3.5)', async () => {
    const entry = await entryOnList(t, '6TUNW01');
    await familyOnFile(t, entry, '6TUNWSP', '6TUNWCH');
    const first = await filed(entry, transferApplication('6TUNWSP', '6TUNWCH'));
    await decided(first, 'refuse', 'refuse-transfer-unworthy-heir');
    const same = await fileTransfer(t, entry, transferApplication('6TUNWSP', '6TUNWCH'));
    expect(same.status).toBe(409);
    expect(same.body.errors).toEqual([expect.objectContaining({ field: 'representative.fin' })]);
    const other = await filed(
      entry,
      transferApplication('6TUNWCH', '6TUNWSP', {
        representative: {
          fin: '6TUNWCH',
          kind: 'family-member',
          relation: 'child',
          birthDate: '2001-05-05',
        },
        family: [{ fin: '6TUNWSP', relation: 'spouse', adult: true, signed: true }],
      }),
    );
    const c = await decided(other, 'transfer', 'transfer-registration');
    expect(c.outcome).toBe('transferred');
    expect((await entryRow(entry)).registered_fin).toBe('6TUNWCH');
  });
});

describe('the decision period (002 §2.6)', () => {
  it('given 30 working days pass without a decision, then operators are alerted and the task stays open', async () => {
    const entry = await entryOnList(t, '6TOVR01');
    const caseId = await filed(entry, transferApplication('6TOVRSP', '6TOVRCH'));
    const task = await openTaskOfCase(t, caseId);
    expect((await transferView(t, caseId)).deadlines.decisionDue).toEqual(
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    );
    await fireTimer(t.engine, { businessKey: caseId, activityId: 'transfer-overdue' }, task.dueAt);
    await eventually(async () => {
      const { rows } = await t.stack.db.pool.query(
        `SELECT overdue_escalated_at FROM review_task WHERE task_id = $1 AND completed_at IS NULL`,
        [task.taskId],
      );
      return rows[0]?.overdue_escalated_at;
    });
  });
});

describe('variants as data (004 §20, 55.3)', () => {
  it('given a family takeover after the registered person moved away a year ago, then no window applies and the case goes to review', async () => {
    const entry = await entryOnList(t, '6TFT001');
    const res = await fileTransfer(
      t,
      entry,
      transferApplication('6TFT0SP', '6TFT0CH', {
        variant: 'family-takeover',
        event: 'moved-away',
        eventDate: daysAgo(365),
        documents: [
          { kind: 'identity-documents', accepted: true },
          { kind: 'residence-change-certificate', accepted: true },
          { kind: 'family-composition-certificate', accepted: true },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.receipt.missing).toEqual([]);
    await openTaskOfCase(t, res.body.caseId);
    const c = await transferView(t, res.body.caseId);
    expect(c.variant).toBe('family-takeover');
    expect(c.checks.window).toEqual(
      expect.objectContaining({ inTime: true, endsOn: null, legalSource: '004 §20' }),
    );
  });

  it('Housing Code 55.3 (2020 wording): given the death of a registered person with a disability, then the variant cites the Law on the rights of persons with disabilities and asks for the disability record, not a war-invalid certificate', async () => {
    const entry = await entryOnList(t, '6TWI001');
    const res = await fileTransfer(
      t,
      entry,
      transferApplication('6TWI0SP', '6TWI0CH', { variant: 'disability' }),
    );
    expect(res.status).toBe(201);
    expect(res.body.receipt.missing).toEqual(['disability-record']);
    const c = await waitForTransfer(t, res.body.caseId, (x) => x.status === 'deficiency-notified');
    expect(c.deficiencies).toEqual([
      expect.objectContaining({ kind: 'disability-record', point: 'Mənzil Məcəlləsi 55.3' }),
    ]);
    expect(c.checks.window.legalSource).toContain('Əlilliyi olan şəxslərin hüquqları haqqında');
    const old = await fileTransfer(
      t,
      await entryOnList(t, '6TWI002'),
      transferApplication('6TWI2SP', '6TWI2CH', { variant: 'war-invalid' }),
    );
    expect(old.status).toBe(400);
    expect(old.body.errors).toEqual([expect.objectContaining({ field: 'variant' })]);
  });
});

describe('transfer applications are validated', () => {
  it('given bad input, then 400 names every field and nothing is stored', async () => {
    const entry = await entryOnList(t, '6TBAD01');
    const res = await fileTransfer(t, entry, {
      ...transferApplication('bad', '6TBADCH'),
      via: 'mail',
      eventDate: 'yesterday',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['via', 'eventDate', 'representative.fin']),
    );
    const minor = await fileTransfer(
      t,
      entry,
      transferApplication('6TBADSP', '6TBADCH', {
        representative: {
          fin: '6TBADSP',
          kind: 'family-member',
          relation: 'son',
          birthDate: daysAgo(365 * 16),
        },
      }),
    );
    expect(minor.status).toBe(400);
    expect(minor.body.errors).toEqual([
      expect.objectContaining({ field: 'representative.birthDate' }),
    ]);
    const guardian = await fileTransfer(
      t,
      entry,
      transferApplication('6TBADSP', '6TBADCH', {
        representative: { fin: '6TBADSP', kind: 'guardian' },
      }),
    );
    expect(guardian.status).toBe(400);
    expect(guardian.body.errors).toEqual([
      expect.objectContaining({ field: 'representative.kind' }),
    ]);
    expect(
      (await t.stack.db.pool.query(`SELECT 1 FROM waitlist_case WHERE entry_id = $1`, [entry]))
        .rowCount,
    ).toBe(0);
  });

  it('given an unknown slot, then 404; a second open application for the slot, then 409', async () => {
    const unknown = await fileTransfer(
      t,
      '00000000-0000-4000-8000-000000000000',
      transferApplication('6TNF0SP', '6TNF0CH'),
    );
    expect(unknown.status).toBe(404);
    const entry = await entryOnList(t, '6TDUP01');
    await filed(entry, transferApplication('6TDUPSP', '6TDUPCH'));
    const second = await fileTransfer(t, entry, transferApplication('6TDUPSP', '6TDUPCH'));
    expect(second.status).toBe(409);
  });

  it('given a fix reported with no deficiency notice open, then 409', async () => {
    const entry = await entryOnList(t, '6TNFX01');
    const caseId = await filed(entry, transferApplication('6TNFXSP', '6TNFXCH'));
    await openTaskOfCase(t, caseId);
    const res = await t.api(`/api/v1/waitlist/transfer-cases/${caseId}/deficiency-fixed`, {
      body: { fixedOn: todayInBaku() },
    });
    expect(res.status).toBe(409);
  });
});

describe('the representative by name (002 §2.3: identity fetched from the registry, not asked for)', () => {
  const storedIdentity = async (caseId: string) =>
    (
      await t.stack.db.pool.query(
        `SELECT applicant_name AS name, to_char(applicant_birth_date, 'YYYY-MM-DD') AS "birthDate",
                applicant_looked_up_at IS NOT NULL AS "lookedUp"
           FROM waitlist_case WHERE id = $1`,
        [caseId],
      )
    ).rows[0];

  it('002 §2.3: given a representative the identity registry knows, when the transfer case opens, then the name and date of birth from the registry are stored and shown in the inbox row and the case file', async () => {
    const card = registryIdentity('SYC01PA')!;
    const entry = await entryOnList(t, '6TNAM01');
    await familyOnFile(t, entry, 'SYC01PA', '6TNAMC1');
    const caseId = await filed(
      entry,
      transferApplication('SYC01PA', '6TNAMC1', {
        representative: { fin: 'SYC01PA', kind: 'family-member', relation: 'spouse' },
      }),
    );
    const { taskId } = await openTaskOfCase(t, caseId);
    expect(await storedIdentity(caseId)).toEqual({
      name: card.name,
      birthDate: card.birthDate,
      lookedUp: true,
    });
    const { row, file } = await inboxRowAndFile(t, taskId, 'registration-transfer');
    expect(row).toEqual(
      expect.objectContaining({ applicantName: card.name, applicantNotInRegistry: false }),
    );
    expect(file.applicant).toEqual(
      expect.objectContaining({
        fin: 'SYC01PA',
        name: card.name,
        birthDate: card.birthDate,
        notInRegistry: false,
      }),
    );
  });

  it('002 §2.3: given a representative the identity registry does not know, when the transfer case opens, then it opens with no name and says the registry does not know the person', async () => {
    expect(registryIdentity('6TNAM0S')).toBeUndefined();
    const entry = await entryOnList(t, '6TNAM02');
    await familyOnFile(t, entry, '6TNAM0S', '6TNAMC2');
    const caseId = await filed(entry, transferApplication('6TNAM0S', '6TNAMC2'));
    const { taskId } = await openTaskOfCase(t, caseId);
    expect(await storedIdentity(caseId)).toEqual({ name: null, birthDate: null, lookedUp: true });
    const { row, file } = await inboxRowAndFile(t, taskId, 'registration-transfer');
    expect(row).toEqual(
      expect.objectContaining({ applicantName: null, applicantNotInRegistry: true }),
    );
    expect(file.applicant).toEqual(
      expect.objectContaining({
        fin: '6TNAM0S',
        name: null,
        birthDate: null,
        notInRegistry: true,
      }),
    );
  });
});

// Last: it reads the answers every case above got (jest runs a file's tests in order).
describe('the OpenAPI document (issue 15)', () => {
  it('given every success answer of the cases above, then each conforms to the document', () => {
    expect(answers.problems).toEqual([]);
    expect([...answers.operations]).toEqual(
      expect.arrayContaining([
        'post /api/v1/waitlist/entries/{entryId}/transfer-applications',
        'get /api/v1/waitlist/transfer-cases/{caseId}',
        'post /api/v1/waitlist/transfer-cases/{caseId}/documents',
        'post /api/v1/waitlist/transfer-cases/{caseId}/deficiency-fixed',
        'post /api/v1/waitlist/transfer-cases/{caseId}/deficiency-notice-received',
      ]),
    );
  });
});
