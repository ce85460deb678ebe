import { compareCivilDates, type CivilDate, type WorkingDayCalendar } from './calendar.js';
import {
  computeDeadline,
  requirePeriod,
  type Deadline,
  type LegalPeriod,
} from './legal-periods.js';

/**
 * Selection of an announced apartment (003 §5.6–§5.9, §6): the loan limit, the bank's
 * preliminary approval, the two waiting slots and their promotion, the cancellation grounds and
 * the deadlines. Pure: the case layer loads the rows and the legal_period data.
 */

// ---------------------------------------------------------------------------------------------
// §3.4 the loan

export const LOAN_LIMIT = {
  /** the loan is at most this share of the sale price */
  percentOfPrice: 90,
  citation: '003 §3.4',
} as const;

/** The largest loan for a price (qəpik, rounded down: "not more than 90 %"). */
export function maxLoanQepik(priceQepik: number): number {
  return Math.floor((priceQepik * LOAN_LIMIT.percentOfPrice) / 100);
}

export function loanWithinLimit(loanQepik: number, priceQepik: number): boolean {
  return loanQepik > 0 && loanQepik <= maxLoanQepik(priceQepik);
}

// ---------------------------------------------------------------------------------------------
// §5.5-2, §5.5-3, §5.6 the bank's preliminary approval

export const PRE_APPROVAL_PERIOD = 'bank-preliminary-approval-validity';

export type PreApprovalCheck =
  | { ok: true; validUntil: CivilDate; citation: string }
  | { ok: false; reason: 'missing' | 'future' | 'expired'; message: string; citation: string };

/**
 * The mortgage payment method is open only to a holder whose preliminary approval is in the
 * cabinet (§5.5-2, §5.6) and was issued less than a year ago (§5.5-3: within a year of the
 * decision, otherwise a new decision is needed). The year is counted by the general rule.
 */
export function checkPreApproval(
  issuedOn: CivilDate | undefined,
  selectedOn: CivilDate,
  periods: readonly LegalPeriod[],
  calendar: WorkingDayCalendar,
): PreApprovalCheck {
  const period = requirePeriod(periods, PRE_APPROVAL_PERIOD);
  if (!issuedOn)
    return {
      ok: false,
      reason: 'missing',
      message:
        'the mortgage needs the bank’s preliminary approval uploaded to the cabinet (003 §5.5-2, §5.6)',
      citation: '003 §5.5-2, §5.6',
    };
  if (compareCivilDates(issuedOn, selectedOn) > 0)
    return {
      ok: false,
      reason: 'future',
      message: 'the preliminary approval cannot be issued in the future',
      citation: '003 §5.5-2',
    };
  const validUntil = computeDeadline(period, issuedOn, calendar).dueDate;
  if (compareCivilDates(selectedOn, validUntil) > 0)
    return {
      ok: false,
      reason: 'expired',
      message: `the preliminary approval of ${issuedOn} is more than a year old: a new one is needed (${period.citation})`,
      citation: period.citation,
    };
  return { ok: true, validUntil, citation: period.citation };
}

// ---------------------------------------------------------------------------------------------
// §5.7, §5.7-1..3 the lock and the two waiting slots

/** 0: the applicant (holds the lock, §5.7); 1 and 2: the waiting slots in order (§5.7-1). */
export type SlotPosition = 0 | 1 | 2;
export const WAITING_SLOTS: readonly SlotPosition[] = [1, 2];

export interface ApartmentSlots {
  /** the holder whose selection locks the apartment (§5.7), if any */
  applicant?: string;
  /** active waiting holders by the slot they took (§5.7-1) */
  waiting: { holder: string; slot: 1 | 2 }[];
  /** slots ever taken in this announcement: §5.7-1 allows two holders, in order, not more */
  slotsTaken: number;
}

export interface HolderInAnnouncement {
  /** the holder selected an apartment in this announcement (active or not) */
  hasSelected: boolean;
  /** the holder took a waiting slot in this announcement (active or not) */
  hasWaited: boolean;
}

export type SlotRefusal = { code: string; message: string; citation: string };

/** §5.7: one apartment per holder per announcement; a locked apartment is not selectable. */
export function selectRefusal(a: ApartmentSlots, h: HolderInAnnouncement): SlotRefusal | undefined {
  if (h.hasSelected || h.hasWaited)
    return {
      code: 'already-selected',
      message: 'a cabinet holder selects only one apartment per announcement (003 §5.7)',
      citation: '003 §5.7',
    };
  if (a.applicant)
    return {
      code: 'apartment-locked',
      message:
        'the apartment is already selected and locked for others (003 §5.7); a waiting slot may be free (003 §5.7-1)',
      citation: '003 §5.7',
    };
  return undefined;
}

/**
 * §5.7-1: a locked apartment may be taken in waiting order by two holders who have not selected
 * an apartment in this announcement, one waiting selection per holder per announcement. The two
 * places are read as two holders in all (the rule names two, and §5.7-3 ends with the second):
 * a slot left by promotion or withdrawal is not offered again.
 */
export function waitingRefusal(
  a: ApartmentSlots,
  h: HolderInAnnouncement,
  holder: string,
): SlotRefusal | undefined {
  if (!a.applicant)
    return {
      code: 'apartment-free',
      message: 'the apartment is free: select it instead of waiting (003 §5.7)',
      citation: '003 §5.7-1',
    };
  if (a.applicant === holder || h.hasSelected)
    return {
      code: 'has-selected',
      message:
        'only holders who have not selected an apartment in this announcement may wait (003 §5.7-1)',
      citation: '003 §5.7-1',
    };
  if (h.hasWaited)
    return {
      code: 'already-waiting',
      message: 'a holder waits for only one apartment per announcement (003 §5.7-1)',
      citation: '003 §5.7-1',
    };
  if (a.slotsTaken >= WAITING_SLOTS.length)
    return {
      code: 'no-waiting-slot',
      message: 'both waiting slots of this apartment are taken (003 §5.7-1)',
      citation: '003 §5.7-1',
    };
  return undefined;
}

/** The slot the next waiting holder takes (§5.7-1: in order). */
export function nextWaitingSlot(a: ApartmentSlots): 1 | 2 {
  return a.slotsTaken === 0 ? 1 : 2;
}

export type Promotion =
  | { kind: 'promote'; holder: string; fromSlot: 1 | 2; citation: string }
  | { kind: 'lift-lock'; citation: string };

/**
 * The applicant's selection was cancelled under §5.9: the first waiting holder becomes the
 * applicant (§5.7-2), after them the second (§5.7-3); with nobody waiting the lock is lifted and
 * the apartment goes to the next announcement (§5.9).
 */
export function promotionAfterCancellation(a: ApartmentSlots): Promotion {
  const next = [...a.waiting].sort((x, y) => x.slot - y.slot)[0];
  if (!next) return { kind: 'lift-lock', citation: '003 §5.9' };
  return {
    kind: 'promote',
    holder: next.holder,
    fromSlot: next.slot,
    citation: next.slot === 1 ? '003 §5.7-2' : '003 §5.7-3',
  };
}

/** The waiting position shown in the cabinet: 1 when first in line, else 2. */
export function waitingPosition(a: ApartmentSlots, holder: string): 1 | 2 | undefined {
  const sorted = [...a.waiting].sort((x, y) => x.slot - y.slot);
  const i = sorted.findIndex((w) => w.holder === holder);
  return i < 0 ? undefined : ((i + 1) as 1 | 2);
}

// ---------------------------------------------------------------------------------------------
// §5.9, §6.5 the cancellation grounds

export interface CancellationGround {
  code: string;
  citation: string;
  az: string;
  en: string;
  /** set by a deadline passing (a timer), not by an officer's decision */
  byDeadline: boolean;
}

export const CANCELLATION_GROUNDS = {
  'not-satisfied': {
    code: 'not-satisfied',
    citation: '003 §5.9',
    az: 'Ərizə təmin edilməmişdir.',
    en: 'The application was not satisfied.',
    byDeadline: false,
  },
  'grant-revoked': {
    code: 'grant-revoked',
    citation: '003 §5.9',
    az: 'Ərizənin təmin edilməsi barədə qərar ləğv edilmişdir.',
    en: 'The decision to satisfy the application was revoked.',
    byDeadline: false,
  },
  'no-show': {
    code: 'no-show',
    citation: '003 §5.9, §6.2',
    az: 'Ərizəçi müqavilənin rəsmiləşdirilməsi üçün 6.2-ci bənddə müəyyən edilmiş müddətdə gəlməmişdir.',
    en: 'The applicant did not come to sign the contract within the §6.2 period.',
    byDeadline: true,
  },
  'holder-refused': {
    code: 'holder-refused',
    citation: '003 §5.9',
    az: 'Ərizəçi mənzil almaqdan imtina etmişdir.',
    en: 'The applicant refused to buy the apartment.',
    byDeadline: false,
  },
  'distortion-court': {
    code: 'distortion-court',
    citation: '003 §6.5.1',
    az: 'Kateqoriyaya aid olma barədə məlumatlarda təhrif etmə halı məhkəmə tərəfindən müəyyən edilmişdir.',
    en: 'A court established that the category data (§5.3.3) were distorted.',
    byDeadline: false,
  },
  'category-lost-no-switch': {
    code: 'category-lost-no-switch',
    citation: '003 §6.5.2',
    az: 'Alqı-satqı anına ərizəçi 2.1-ci bənddə müəyyən edilmiş kateqoriyaya artıq aid deyil və 3 iş günü ərzində öz vəsaiti hesabına almaq niyyətini bildirməmişdir.',
    en: 'At the time of purchase the applicant was no longer in a §2.1 category and did not switch to own funds within 3 working days.',
    byDeadline: true,
  },
  'no-bank-application': {
    code: 'no-bank-application',
    citation: '003 §6.5.3',
    az: 'Ərizəçi 6.3-cü bənddə müəyyən olunan 10 iş günü ərzində agent banka müraciət etməmiş və öz vəsaiti hesabına almaq niyyətini bildirməmişdir.',
    en: 'The applicant did not apply to the agent bank within the 10 working days of §6.3, nor switch to own funds.',
    byDeadline: true,
  },
  'bank-refused-no-switch': {
    code: 'bank-refused-no-switch',
    citation: '003 §6.5.3',
    az: 'Agent bank ipoteka kreditinin verilməsindən imtina etmiş və ərizəçi 3 iş günü ərzində öz vəsaiti hesabına almaq niyyətini bildirməmişdir.',
    en: 'The agent bank refused the mortgage and the applicant did not switch to own funds within 3 working days.',
    byDeadline: true,
  },
} as const satisfies Record<string, CancellationGround>;

export type CancellationGroundCode = keyof typeof CANCELLATION_GROUNDS;
export const CANCELLATION_GROUND_CODES = Object.keys(CANCELLATION_GROUNDS) as [
  CancellationGroundCode,
  ...CancellationGroundCode[],
];
/** The grounds an officer decides (the others follow from a deadline passing). */
export const OFFICER_CANCELLATION_GROUNDS = CANCELLATION_GROUND_CODES.filter(
  (c) => !CANCELLATION_GROUNDS[c].byDeadline,
);

// ---------------------------------------------------------------------------------------------
// §6.1–§6.5 deadlines (legal_period rows)

export const SELECTION_PERIODS = {
  notice: 'selection-notice',
  ownFundsContract: 'selection-own-funds-contract',
  bankApplication: 'selection-mortgage-bank-application',
  switchToOwnFunds: 'selection-switch-to-own-funds',
} as const;

/** §6.1: the notice on the selected apartment within 5 working days of the selection. */
export function noticeDeadline(
  selectedOn: CivilDate,
  periods: readonly LegalPeriod[],
  calendar: WorkingDayCalendar,
): Deadline {
  return computeDeadline(requirePeriod(periods, SELECTION_PERIODS.notice), selectedOn, calendar);
}

/**
 * After the §6.1 notice: own funds → the sale contract within 15 working days (§6.2);
 * mortgage → the application to the agent bank within 10 working days (§6.3, §6.5.3).
 */
export function afterNoticeDeadline(
  method: 'own-funds' | 'mortgage',
  noticeOn: CivilDate,
  periods: readonly LegalPeriod[],
  calendar: WorkingDayCalendar,
): Deadline {
  const code =
    method === 'own-funds' ? SELECTION_PERIODS.ownFundsContract : SELECTION_PERIODS.bankApplication;
  return computeDeadline(requirePeriod(periods, code), noticeOn, calendar);
}

/** §6.5.2, §6.5.3: 3 working days to switch to own funds from the day the refusal reached the cabinet. */
export function switchDeadline(
  refusalPostedOn: CivilDate,
  periods: readonly LegalPeriod[],
  calendar: WorkingDayCalendar,
): Deadline {
  return computeDeadline(
    requirePeriod(periods, SELECTION_PERIODS.switchToOwnFunds),
    refusalPostedOn,
    calendar,
  );
}

// ---------------------------------------------------------------------------------------------
// §6.1 the notice's delivery by its due instant

/** One channel of a §6.1 notice as the notice outbox holds it. */
export interface NoticeChannelState {
  channel: string;
  sentAt: Date | null;
}

/**
 * §6.1: the notice is placed in the cabinet **and** sent by one of the other means the holder
 * gave (e-mail, mobile phone, post). Delivered in time: the cabinet copy was placed by `dueAt`
 * and, when the notice went to other channels at all, at least one of them was sent by then.
 */
export function noticeDeliveredInTime(
  channels: readonly NoticeChannelState[],
  dueAt: Date,
): boolean {
  const inTime = (c: NoticeChannelState) => c.sentAt !== null && c.sentAt <= dueAt;
  const cabinet = channels.filter((c) => c.channel === 'cabinet');
  const others = channels.filter((c) => c.channel !== 'cabinet');
  return cabinet.some(inTime) && (others.length === 0 || others.some(inTime));
}
