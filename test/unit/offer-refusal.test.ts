import { describe, expect, it } from '@jest/globals';
import { CalendarDataMissingError, WorkingDayCalendar } from '../../src/domain/calendar.js';
import type { LegalPeriod } from '../../src/domain/legal-periods.js';
import { applyOfferRefusal, mayBeOffered } from '../../src/domain/offer-refusal.js';
import { days, YEAR_2026, YEAR_2027 } from '../support/calendar-fixture.js';

// Non-working weekdays from shared/calendar-az.md (2025 only as far as these tests need it).
const calendar = new WorkingDayCalendar([
  { year: 2025, nonWorkingDays: days(2025, '01-01 01-02 01-03 01-20'), workingWeekendDays: [] },
  YEAR_2026,
  YEAR_2027,
]);

const bar: LegalPeriod = {
  code: 'refused-offer-bar',
  length: 1,
  unit: 'years',
  citation: '004 §37',
  descriptionAz: 'Üzrsüz imtinadan sonra növbəti təklif 1 ildən tez olmayaraq.',
  descriptionEn: 'After a refusal without good reason the next offer waits a year.',
  configurable: false,
};

describe('refusing an offered dwelling (004 §37)', () => {
  it('given a refusal without good reason on Tue 2 Mar 2026, then no offer until the end of Tue 2 Mar 2027, citing 004 §37', () => {
    const out = applyOfferRefusal(
      null,
      { refusedOn: '2026-03-02', goodReason: false },
      bar,
      calendar,
    );
    expect(out.offerBarredUntil).toBe('2027-03-02');
    expect(out.bar).toEqual({
      code: 'refused-offer-bar',
      dueDate: '2027-03-02',
      dueAt: new Date('2027-03-02T23:59:59.999+04:00'),
      citation: '004 §37',
    });
  });

  it('given the year ends on a day off (Mon 10 May 2027, Victory Day moved), then the bar runs to the next working day (§8)', () => {
    const out = applyOfferRefusal(
      null,
      { refusedOn: '2026-05-10', goodReason: false },
      bar,
      calendar,
    );
    expect(out.offerBarredUntil).toBe('2027-05-11');
  });

  it('given a refusal on 29 Feb 2024, then the year ends on 28 Feb 2025 (the month has no 29th)', () => {
    const out = applyOfferRefusal(
      null,
      { refusedOn: '2024-02-29', goodReason: false },
      bar,
      calendar,
    );
    expect(out.offerBarredUntil).toBe('2025-02-28');
  });

  it('given a good reason, then nothing is barred and an earlier bar stays as it was', () => {
    expect(
      applyOfferRefusal(null, { refusedOn: '2026-03-02', goodReason: true }, bar, calendar),
    ).toEqual({ bar: null, offerBarredUntil: null });
    expect(
      applyOfferRefusal('2026-12-01', { refusedOn: '2026-03-02', goodReason: true }, bar, calendar)
        .offerBarredUntil,
    ).toBe('2026-12-01');
  });

  it('given a bar from an earlier refusal, then the later end wins: a refusal never shortens a bar', () => {
    const refusal = { refusedOn: '2026-03-02', goodReason: false };
    expect(applyOfferRefusal('2027-06-01', refusal, bar, calendar).offerBarredUntil).toBe(
      '2027-06-01',
    );
    expect(applyOfferRefusal('2026-04-01', refusal, bar, calendar).offerBarredUntil).toBe(
      '2027-03-02',
    );
  });

  it('given the year would end in a year without calendar data, then it refuses to guess', () => {
    expect(() =>
      applyOfferRefusal(null, { refusedOn: '2027-07-01', goodReason: false }, bar, calendar),
    ).toThrow(CalendarDataMissingError);
  });

  it('given another period or a malformed date, then it is refused', () => {
    expect(() =>
      applyOfferRefusal(
        null,
        { refusedOn: '2026-03-02', goodReason: false },
        { ...bar, code: 'records-files-retention' },
        calendar,
      ),
    ).toThrow(/refused-offer-bar/);
    expect(() =>
      applyOfferRefusal(null, { refusedOn: '02.03.2026', goodReason: false }, bar, calendar),
    ).toThrow(RangeError);
  });

  it('given a bar to 2 Mar 2027, then no offer on that day and one from the next day on', () => {
    expect(mayBeOffered('2027-03-02', '2027-03-01')).toBe(false);
    expect(mayBeOffered('2027-03-02', '2027-03-02')).toBe(false);
    expect(mayBeOffered('2027-03-02', '2027-03-03')).toBe(true);
    expect(mayBeOffered(null, '2026-01-01')).toBe(true);
  });
});
