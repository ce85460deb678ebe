import {
  compareCivilDates,
  isCivilDate,
  type CivilDate,
  type WorkingDayCalendar,
} from './calendar.js';
import { computeDeadline, type Deadline, type LegalPeriod } from './legal-periods.js';

/**
 * Refusing an offered dwelling (004 §37): "when citizens refuse, without good reason, a dwelling
 * offered to them in the order of the queue, another dwelling may be offered no earlier than one
 * year after the day of the refusal". With a good reason nothing is barred.
 *
 * The year is the legal period 'refused-offer-bar' (table legal_period), counted as every
 * period is (domain brief §8): it starts the day after the refusal and ends on the same date a
 * year later, moved to the next working day when that is a day off. The bar lasts to the end
 * of that day (offer_barred_until, inclusive); an offer may be made from the next day on.
 */
export const REFUSED_OFFER_BAR_PERIOD = 'refused-offer-bar';
export const REFUSED_OFFER_CITATION = '004 §37';

export interface OfferRefusal {
  refusedOn: CivilDate;
  goodReason: boolean;
}

export interface RefusalOutcome {
  /** the bar this refusal sets; null with a good reason */
  bar: Deadline | null;
  /** the entry's bar after this refusal: the later of the previous one and this one's */
  offerBarredUntil: CivilDate | null;
}

/**
 * The outcome of a refusal for an entry whose current bar is `current`. A refusal never
 * shortens a bar set earlier (two refusals: the later end wins). Throws
 * CalendarDataMissingError when the year ends in a year without calendar data.
 */
export function applyOfferRefusal(
  current: CivilDate | null,
  refusal: OfferRefusal,
  period: LegalPeriod,
  calendar: WorkingDayCalendar,
): RefusalOutcome {
  if (!isCivilDate(refusal.refusedOn))
    throw new RangeError(`refusal date is not a civil date: ${JSON.stringify(refusal.refusedOn)}`);
  if (period.code !== REFUSED_OFFER_BAR_PERIOD)
    throw new TypeError(`expected legal period ${REFUSED_OFFER_BAR_PERIOD}, got ${period.code}`);
  if (refusal.goodReason) return { bar: null, offerBarredUntil: current };
  const bar = computeDeadline(period, refusal.refusedOn, calendar);
  const later =
    current !== null && compareCivilDates(current, bar.dueDate) >= 0 ? current : bar.dueDate;
  return { bar, offerBarredUntil: later };
}

/** Whether a dwelling may be offered on `day` to an entry barred until `offerBarredUntil`. */
export function mayBeOffered(offerBarredUntil: CivilDate | null, day: CivilDate): boolean {
  return offerBarredUntil === null || compareCivilDates(day, offerBarredUntil) > 0;
}
