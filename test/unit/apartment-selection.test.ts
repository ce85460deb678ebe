import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import {
  afterNoticeDeadline,
  CANCELLATION_GROUNDS,
  checkPreApproval,
  loanWithinLimit,
  maxLoanQepik,
  nextWaitingSlot,
  noticeDeadline,
  noticeDeliveredInTime,
  OFFICER_CANCELLATION_GROUNDS,
  promotionAfterCancellation,
  selectRefusal,
  switchDeadline,
  waitingPosition,
  waitingRefusal,
  type ApartmentSlots,
} from '../../src/domain/apartment-selection.js';
import { APARTMENT_PERIODS } from '../support/apartment-periods.js';
import { YEAR_2026, YEAR_2027 } from '../support/calendar-fixture.js';

const calendar = new WorkingDayCalendar([YEAR_2026, YEAR_2027]);
const fresh = { hasSelected: false, hasWaited: false };
const locked = (over: Partial<ApartmentSlots> = {}): ApartmentSlots => ({
  applicant: 'A',
  waiting: [],
  slotsTaken: 0,
  ...over,
});

describe('loan limit (003 §3.4)', () => {
  it('003 §3.4: given a price of 50 000 AZN, when the largest loan is computed, then it is 45 000 AZN (90 %)', () => {
    expect(maxLoanQepik(5_000_000)).toBe(4_500_000);
  });
  it('003 §3.4: given a loan of exactly 90 % of the price, when checked, then it is allowed', () => {
    expect(loanWithinLimit(4_500_000, 5_000_000)).toBe(true);
  });
  it('003 §3.4: given a loan one qəpik over 90 % of the price, when checked, then it is refused', () => {
    expect(loanWithinLimit(4_500_001, 5_000_000)).toBe(false);
  });
});

describe('bank preliminary approval (003 §5.5-2, §5.5-3, §5.6)', () => {
  it('003 §5.6: given no preliminary approval in the cabinet, when the mortgage is chosen, then it is refused as missing', () => {
    expect(checkPreApproval(undefined, '2026-12-01', APARTMENT_PERIODS, calendar)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
  });
  it('003 §5.5-3: given an approval of 2 Mar 2026, when the mortgage is chosen on 2 Mar 2027, then it is still within the year', () => {
    expect(checkPreApproval('2026-03-02', '2027-03-02', APARTMENT_PERIODS, calendar)).toEqual({
      ok: true,
      validUntil: '2027-03-02',
      citation: '003 §5.5-3',
    });
  });
  it('003 §5.5-3: given an approval of 2 Mar 2026, when the mortgage is chosen on 3 Mar 2027, then a new approval is needed', () => {
    expect(checkPreApproval('2026-03-02', '2027-03-03', APARTMENT_PERIODS, calendar)).toMatchObject(
      {
        ok: false,
        reason: 'expired',
        citation: '003 §5.5-3',
      },
    );
  });
  it('003 §5.5-2: given an approval dated after the selection day, when checked, then it is refused', () => {
    expect(checkPreApproval('2026-12-02', '2026-12-01', APARTMENT_PERIODS, calendar)).toMatchObject(
      {
        ok: false,
        reason: 'future',
      },
    );
  });
});

describe('lock and waiting slots (003 §5.7, §5.7-1..3)', () => {
  it('003 §5.7: given a free apartment and a holder without a selection, when selecting, then nothing refuses it', () => {
    expect(selectRefusal({ waiting: [], slotsTaken: 0 }, fresh)).toBeUndefined();
  });
  it('003 §5.7: given a holder who already selected in this announcement, when selecting another apartment, then it is refused', () => {
    expect(
      selectRefusal({ waiting: [], slotsTaken: 0 }, { ...fresh, hasSelected: true })?.code,
    ).toBe('already-selected');
  });
  it('003 §5.7: given an apartment locked by another holder, when selecting it, then it is refused as locked', () => {
    expect(selectRefusal(locked(), fresh)?.code).toBe('apartment-locked');
  });
  it('003 §5.7-1: given a locked apartment with no waiting holder, when a holder who has not selected waits, then slot 1 is taken', () => {
    expect(waitingRefusal(locked(), fresh, 'B')).toBeUndefined();
    expect(nextWaitingSlot(locked())).toBe(1);
  });
  it('003 §5.7-1: given one waiting holder, when a second holder waits, then slot 2 is taken', () => {
    const a = locked({ waiting: [{ holder: 'B', slot: 1 }], slotsTaken: 1 });
    expect(waitingRefusal(a, fresh, 'C')).toBeUndefined();
    expect(nextWaitingSlot(a)).toBe(2);
  });
  it('003 §5.7-1: given two waiting holders, when a third holder waits, then it is refused', () => {
    const a = locked({
      waiting: [
        { holder: 'B', slot: 1 },
        { holder: 'C', slot: 2 },
      ],
      slotsTaken: 2,
    });
    expect(waitingRefusal(a, fresh, 'D')?.code).toBe('no-waiting-slot');
  });
  it('003 §5.7-1: given a holder who selected an apartment in this announcement, when waiting for another, then it is refused', () => {
    expect(waitingRefusal(locked(), { ...fresh, hasSelected: true }, 'B')?.code).toBe(
      'has-selected',
    );
  });
  it('003 §5.7-1: given a holder already waiting in this announcement, when waiting for another apartment, then it is refused', () => {
    expect(waitingRefusal(locked(), { ...fresh, hasWaited: true }, 'B')?.code).toBe(
      'already-waiting',
    );
  });
  it('003 §5.7-1: given a free apartment, when a holder asks to wait, then it is refused (select it instead)', () => {
    expect(waitingRefusal({ waiting: [], slotsTaken: 0 }, fresh, 'B')?.code).toBe('apartment-free');
  });
  it('003 §5.7-2: given the applicant’s selection cancelled and two waiting, when promoted, then the first waiting holder becomes the applicant', () => {
    const a = locked({
      waiting: [
        { holder: 'C', slot: 2 },
        { holder: 'B', slot: 1 },
      ],
      slotsTaken: 2,
    });
    expect(promotionAfterCancellation(a)).toEqual({
      kind: 'promote',
      holder: 'B',
      fromSlot: 1,
      citation: '003 §5.7-2',
    });
  });
  it('003 §5.7-3: given the promoted applicant’s selection cancelled, when promoted again, then the second waiting holder becomes the applicant', () => {
    const a = locked({ applicant: 'B', waiting: [{ holder: 'C', slot: 2 }], slotsTaken: 2 });
    expect(promotionAfterCancellation(a)).toEqual({
      kind: 'promote',
      holder: 'C',
      fromSlot: 2,
      citation: '003 §5.7-3',
    });
  });
  it('003 §5.9: given a cancelled selection and nobody waiting, when promoted, then the lock is lifted', () => {
    expect(promotionAfterCancellation(locked())).toEqual({
      kind: 'lift-lock',
      citation: '003 §5.9',
    });
  });
  it('003 §5.7-1: given the first waiting holder promoted, when the second looks at the cabinet, then they are first in line', () => {
    const a = locked({ applicant: 'B', waiting: [{ holder: 'C', slot: 2 }], slotsTaken: 2 });
    expect(waitingPosition(a, 'C')).toBe(1);
  });
  it('003 §5.7-1: given a slot left by promotion, when a new holder asks to wait, then it is refused (two holders in all)', () => {
    const a = locked({ applicant: 'B', waiting: [{ holder: 'C', slot: 2 }], slotsTaken: 2 });
    expect(waitingRefusal(a, fresh, 'D')?.code).toBe('no-waiting-slot');
  });
});

describe('cancellation grounds (003 §5.9, §6.5)', () => {
  it('003 §5.9: the four grounds of §5.9 are data citing §5.9', () => {
    expect(
      ['not-satisfied', 'grant-revoked', 'no-show', 'holder-refused'].map(
        (c) => CANCELLATION_GROUNDS[c as keyof typeof CANCELLATION_GROUNDS].citation.split(',')[0],
      ),
    ).toEqual(['003 §5.9', '003 §5.9', '003 §5.9', '003 §5.9']);
  });
  it('003 §6.5.1–6.5.3: the §6.5 grounds cite their sub-point', () => {
    expect(CANCELLATION_GROUNDS['distortion-court'].citation).toBe('003 §6.5.1');
    expect(CANCELLATION_GROUNDS['category-lost-no-switch'].citation).toBe('003 §6.5.2');
    expect(CANCELLATION_GROUNDS['no-bank-application'].citation).toBe('003 §6.5.3');
    expect(CANCELLATION_GROUNDS['bank-refused-no-switch'].citation).toBe('003 §6.5.3');
  });
  it('003 §6.5.1: a court finding is decided by an officer; the no-show follows from the §6.2 deadline', () => {
    expect(OFFICER_CANCELLATION_GROUNDS).toContain('distortion-court');
    expect(OFFICER_CANCELLATION_GROUNDS).not.toContain('no-show');
  });
});

describe('deadlines (003 §6.1–§6.5)', () => {
  it('003 §6.1: given a selection on Thu 19 Mar 2026, when the notice deadline is computed, then it is Mon 6 Apr 2026 (5 working days, Novruz off)', () => {
    expect(noticeDeadline('2026-03-19', APARTMENT_PERIODS, calendar)).toMatchObject({
      dueDate: '2026-04-06',
      citation: '003 §6.1',
    });
  });
  it('003 §6.2: given the §6.1 notice on Mon 1 Jun 2026, when the own-funds contract deadline is computed, then it is Tue 23 Jun 2026 (15 working days, 15 Jun off)', () => {
    expect(
      afterNoticeDeadline('own-funds', '2026-06-01', APARTMENT_PERIODS, calendar),
    ).toMatchObject({
      dueDate: '2026-06-23',
      citation: '003 §6.2',
    });
  });
  it('003 §6.3: given the §6.1 notice on Mon 1 Jun 2026, when the bank application deadline is computed, then it is Tue 16 Jun 2026 (10 working days)', () => {
    expect(
      afterNoticeDeadline('mortgage', '2026-06-01', APARTMENT_PERIODS, calendar),
    ).toMatchObject({
      dueDate: '2026-06-16',
      citation: '003 §6.3',
    });
  });
  it('003 §6.5.3: given a bank refusal in the cabinet on Thu 11 Jun 2026, when the switch deadline is computed, then it is Wed 17 Jun 2026 (3 working days)', () => {
    expect(switchDeadline('2026-06-11', APARTMENT_PERIODS, calendar)).toMatchObject({
      dueDate: '2026-06-17',
      citation: '003 §6.5.2, §6.5.3',
    });
  });
});

describe('003 §6.1: the notice delivered in time (cabinet and one more channel)', () => {
  const due = new Date('2026-06-10T23:59:59.999+04:00');
  const before = new Date('2026-06-09T10:00:00+04:00');
  const after = new Date('2026-06-11T09:00:00+04:00');

  it('003 §6.1: given the cabinet copy and the e-mail sent before the due instant, then it is delivered in time', () => {
    expect(
      noticeDeliveredInTime(
        [
          { channel: 'cabinet', sentAt: before },
          { channel: 'email', sentAt: before },
          { channel: 'sms', sentAt: null },
        ],
        due,
      ),
    ).toBe(true);
  });

  it('003 §6.1: given the cabinet copy placed but the other channel not sent by the due instant, then it is not', () => {
    expect(
      noticeDeliveredInTime(
        [
          { channel: 'cabinet', sentAt: before },
          { channel: 'email', sentAt: after },
        ],
        due,
      ),
    ).toBe(false);
  });

  it('003 §6.1: given the e-mail sent but no cabinet copy, then it is not', () => {
    expect(
      noticeDeliveredInTime(
        [
          { channel: 'cabinet', sentAt: null },
          { channel: 'email', sentAt: before },
        ],
        due,
      ),
    ).toBe(false);
  });

  it('003 §6.1: given no notice queued at all (the notary not named yet), then it is not', () => {
    expect(noticeDeliveredInTime([], due)).toBe(false);
  });

  it('003 §6.1: given a holder who gave no other channel, then the cabinet copy in time is enough', () => {
    expect(noticeDeliveredInTime([{ channel: 'cabinet', sentAt: due }], due)).toBe(true);
  });
});
