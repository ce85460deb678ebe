import { addDays, compareCivilDates, type CivilDate } from './calendar.js';
import { requirePeriod, type LegalPeriod } from './legal-periods.js';

/**
 * An announcement of apartments for sale (003 §4), and the rules that refuse one: the building
 * under 30 % built (§4.1), selection starting less than 30 days after publication (§4.2), an
 * own-funds-only announcement right after another (§3.5), and missing contents (§4.3, §4.4).
 */

/** §4.3.10: mortgage + own funds, or own funds only. */
export const PAYMENT_METHODS = ['mortgage-and-own-funds', 'own-funds-only'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Rule parameters that the seed states as numbers, with their point. */
export const ANNOUNCEMENT_RULES = {
  minBuiltPercent: { value: 30, citation: '003 §4.1' },
} as const;

/** The legal_period row of the lead time between publication and the selection start (§4.2). */
export const LEAD_TIME_PERIOD = 'announcement-lead-time';

export interface RoomOffer {
  /** §4.3.3: number of rooms */
  rooms: number;
  /** §4.3.3: how many apartments with that many rooms */
  count: number;
  /** §4.3.4: the sale price of such an apartment, in qəpik (1 AZN = 100 qəpik) */
  priceQepik: number;
}

export interface AgentBank {
  name: string;
  headOffice: string;
  branches: string[];
}

export interface AnnouncementContent {
  /** §4.3.1 */
  buildingAddress?: string;
  /** §4.3.2 construction area of the building, m² */
  buildingAreaM2?: number;
  /** §4.3.2 land plot, m² */
  landAreaM2?: number;
  /** §4.3.3–4.3.4 */
  offers?: RoomOffer[];
  /** §4.3.5 */
  howToApply?: string;
  /** §4.3.6 completion date from the construction permit */
  completionDate?: CivilDate;
  /** §4.3.7 */
  website?: string;
  /** §4.3.8 selection start date and its period (last day) */
  selectionStartsOn?: CivilDate;
  selectionEndsOn?: CivilDate;
  /** §4.3.9 */
  generalContractor?: { name?: string; address?: string };
  /** §4.3.10 */
  paymentMethod?: PaymentMethod;
  /** §4.4: an electronic announcement also carries the master plan and the agent banks */
  electronic?: boolean;
  /** §4.4.1 master plan, architectural sections, or a website showing them */
  masterPlan?: string;
  /** §4.4.2 */
  agentBanks?: AgentBank[];
}

export interface AnnouncementFacts {
  /** §4.1: share of the construction works done, per cent */
  builtPercent: number;
  /** The day the announcement is published */
  publishedOn: CivilDate;
  /** §3.5: the payment method of the announcement published before this one (none: undefined) */
  previousPaymentMethod?: PaymentMethod;
}

export interface AnnouncementProblem {
  field: string;
  message: string;
  /** the point the rule comes from */
  citation: string;
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** §4.3 and §4.4: what an announcement must state. */
export function missingContents(c: AnnouncementContent): AnnouncementProblem[] {
  const p: AnnouncementProblem[] = [];
  const need = (ok: boolean, field: string, citation: string, message = 'is required') => {
    if (!ok) p.push({ field, message: `${message} (${citation})`, citation });
  };
  need(!blank(c.buildingAddress), 'buildingAddress', '003 §4.3.1');
  need((c.buildingAreaM2 ?? 0) > 0, 'buildingAreaM2', '003 §4.3.2', 'must be a positive area');
  need((c.landAreaM2 ?? 0) > 0, 'landAreaM2', '003 §4.3.2', 'must be a positive area');
  need((c.offers?.length ?? 0) > 0, 'offers', '003 §4.3.3', 'must list apartments per room count');
  (c.offers ?? []).forEach((o, i) => {
    need(
      Number.isInteger(o.rooms) && o.rooms > 0,
      `offers.${i}.rooms`,
      '003 §4.3.3',
      'must be a positive whole number',
    );
    need(
      Number.isInteger(o.count) && o.count > 0,
      `offers.${i}.count`,
      '003 §4.3.3',
      'must be a positive whole number',
    );
    need(
      Number.isInteger(o.priceQepik) && o.priceQepik > 0,
      `offers.${i}.priceQepik`,
      '003 §4.3.4',
      'must be a positive price',
    );
  });
  const rooms = (c.offers ?? []).map((o) => o.rooms);
  need(
    new Set(rooms).size === rooms.length,
    'offers',
    '003 §4.3.3',
    'must give each room count once',
  );
  need(!blank(c.howToApply), 'howToApply', '003 §4.3.5');
  need(!!c.completionDate, 'completionDate', '003 §4.3.6');
  need(!blank(c.website), 'website', '003 §4.3.7');
  need(!!c.selectionStartsOn, 'selectionStartsOn', '003 §4.3.8');
  need(!!c.selectionEndsOn, 'selectionEndsOn', '003 §4.3.8');
  if (c.selectionStartsOn && c.selectionEndsOn)
    need(
      compareCivilDates(c.selectionEndsOn, c.selectionStartsOn) >= 0,
      'selectionEndsOn',
      '003 §4.3.8',
      'must not be before the selection start',
    );
  need(!blank(c.generalContractor?.name), 'generalContractor.name', '003 §4.3.9');
  need(!blank(c.generalContractor?.address), 'generalContractor.address', '003 §4.3.9');
  need(!!c.paymentMethod, 'paymentMethod', '003 §4.3.10');
  if (c.electronic) {
    need(!blank(c.masterPlan), 'masterPlan', '003 §4.4.1');
    need(
      (c.agentBanks?.length ?? 0) > 0,
      'agentBanks',
      '003 §4.4.2',
      'must name the agent bank(s)',
    );
    (c.agentBanks ?? []).forEach((b, i) => {
      need(!blank(b.name), `agentBanks.${i}.name`, '003 §4.4.2');
      need(!blank(b.headOffice), `agentBanks.${i}.headOffice`, '003 §4.4.2');
    });
  }
  return p;
}

/**
 * The earliest selection start for a publication day (§4.2: "at least 30 days before the start
 * of sales"): publication day + the period's length in calendar days. A lower bound, not a
 * deadline, so it is not moved to a working day.
 */
export function earliestSelectionStart(
  publishedOn: CivilDate,
  periods: readonly LegalPeriod[],
): { date: CivilDate; citation: string } {
  const period = requirePeriod(periods, LEAD_TIME_PERIOD);
  if (period.unit !== 'calendar_days')
    throw new TypeError(`legal period ${LEAD_TIME_PERIOD} must be in calendar days`);
  return { date: addDays(publishedOn, period.length), citation: period.citation };
}

/** Every reason this announcement may not be published (empty: it may). */
export function announcementProblems(
  content: AnnouncementContent,
  facts: AnnouncementFacts,
  periods: readonly LegalPeriod[],
): AnnouncementProblem[] {
  const problems = missingContents(content);
  const minBuilt = ANNOUNCEMENT_RULES.minBuiltPercent;
  if (!(facts.builtPercent >= minBuilt.value))
    problems.push({
      field: 'builtPercent',
      message: `the building must be at least ${minBuilt.value} % built (${minBuilt.citation})`,
      citation: minBuilt.citation,
    });
  if (content.selectionStartsOn) {
    const earliest = earliestSelectionStart(facts.publishedOn, periods);
    if (compareCivilDates(content.selectionStartsOn, earliest.date) < 0)
      problems.push({
        field: 'selectionStartsOn',
        message: `selection may start on ${earliest.date} at the earliest: the announcement is published at least 30 days before (${earliest.citation})`,
        citation: earliest.citation,
      });
  }
  if (
    content.paymentMethod === 'own-funds-only' &&
    facts.previousPaymentMethod === 'own-funds-only'
  )
    problems.push({
      field: 'paymentMethod',
      message:
        'the previous announcement was own-funds-only: two own-funds-only announcements may not follow each other (003 §3.5)',
      citation: '003 §3.5',
    });
  return problems;
}
