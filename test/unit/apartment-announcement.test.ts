import { describe, expect, it } from '@jest/globals';
import {
  announcementProblems,
  earliestSelectionStart,
  type AnnouncementContent,
} from '../../src/domain/apartment-announcement.js';
import { APARTMENT_PERIODS } from '../support/apartment-periods.js';

// A complete announcement as §4.3 and §4.4 describe it.
const content = (over: Partial<AnnouncementContent> = {}): AnnouncementContent => ({
  buildingAddress: 'Bakı şəhəri, Yasamal rayonu, Yeni Yasamal, bina 7',
  buildingAreaM2: 1800,
  landAreaM2: 5200,
  offers: [
    { rooms: 1, count: 20, priceQepik: 4_200_000 },
    { rooms: 2, count: 30, priceQepik: 5_900_000 },
  ],
  howToApply: '“Güzəştli mənzil” sistemi vasitəsilə',
  completionDate: '2027-12-31',
  website: 'https://mida.gov.az/yasamal-7',
  selectionStartsOn: '2026-12-31',
  selectionEndsOn: '2027-01-29',
  generalContractor: { name: 'Tikinti MMC', address: 'Bakı, Nərimanov r.' },
  paymentMethod: 'mortgage-and-own-funds',
  electronic: true,
  masterPlan: 'https://mida.gov.az/yasamal-7/bas-plan',
  agentBanks: [{ name: 'Bank A', headOffice: 'Bakı, Nizami küç. 1', branches: [] }],
  ...over,
});
const facts = { builtPercent: 30, publishedOn: '2026-12-01' };
const fields = (c: AnnouncementContent, f = facts as Parameters<typeof announcementProblems>[1]) =>
  announcementProblems(c, f, APARTMENT_PERIODS).map((p) => p.field);

describe('apartment announcement (003 §3.5, §4)', () => {
  it('003 §4.1: given a building exactly 30 % built, when checked, then the announcement may be published', () => {
    expect(fields(content())).toEqual([]);
  });

  it('003 §4.1: given a building 29.9 % built, when checked, then it is refused on builtPercent citing §4.1', () => {
    const problems = announcementProblems(
      content(),
      { ...facts, builtPercent: 29.9 },
      APARTMENT_PERIODS,
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'builtPercent', citation: '003 §4.1' }),
    ]);
  });

  it('003 §4.2: given publication on 1 Dec 2026, when the earliest selection start is computed, then it is 31 Dec 2026 (30 days later)', () => {
    expect(earliestSelectionStart('2026-12-01', APARTMENT_PERIODS)).toEqual({
      date: '2026-12-31',
      citation: '003 §4.2',
    });
  });

  it('003 §4.2: given selection starting 29 days after publication, when checked, then it is refused on selectionStartsOn citing §4.2', () => {
    const problems = announcementProblems(
      content({ selectionStartsOn: '2026-12-30' }),
      facts,
      APARTMENT_PERIODS,
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'selectionStartsOn', citation: '003 §4.2' }),
    ]);
  });

  it('003 §3.5: given the previous announcement was own-funds-only, when another own-funds-only one is checked, then it is refused on paymentMethod', () => {
    const problems = announcementProblems(
      content({ paymentMethod: 'own-funds-only' }),
      { ...facts, previousPaymentMethod: 'own-funds-only' },
      APARTMENT_PERIODS,
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'paymentMethod', citation: '003 §3.5' }),
    ]);
  });

  it('003 §3.5: given the previous announcement offered the mortgage, when an own-funds-only one is checked, then it may be published', () => {
    expect(
      fields(content({ paymentMethod: 'own-funds-only' }), {
        ...facts,
        previousPaymentMethod: 'mortgage-and-own-funds',
      }),
    ).toEqual([]);
  });

  it('003 §4.3: given an announcement without address, areas, offers, how to apply, completion date, website, selection dates, contractor and payment method, when checked, then each is named', () => {
    const empty: AnnouncementContent = { electronic: false };
    expect(fields(empty)).toEqual([
      'buildingAddress',
      'buildingAreaM2',
      'landAreaM2',
      'offers',
      'howToApply',
      'completionDate',
      'website',
      'selectionStartsOn',
      'selectionEndsOn',
      'generalContractor.name',
      'generalContractor.address',
      'paymentMethod',
    ]);
  });

  it('003 §4.3.3–4.3.4: given an offer without a price, when checked, then offers.0.priceQepik is named citing §4.3.4', () => {
    const problems = announcementProblems(
      content({ offers: [{ rooms: 1, count: 5, priceQepik: 0 }] }),
      facts,
      APARTMENT_PERIODS,
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'offers.0.priceQepik', citation: '003 §4.3.4' }),
    ]);
  });

  it('003 §4.4: given an electronic announcement without master plan and agent banks, when checked, then both are named', () => {
    expect(fields(content({ masterPlan: undefined, agentBanks: [] }))).toEqual([
      'masterPlan',
      'agentBanks',
    ]);
  });

  it('003 §4.4: given an announcement only in the mass media, when checked without master plan and agent banks, then it may be published', () => {
    expect(
      fields(content({ electronic: false, masterPlan: undefined, agentBanks: undefined })),
    ).toEqual([]);
  });

  it('003 §4.3.8: given a selection period ending before it starts, when checked, then selectionEndsOn is named', () => {
    expect(fields(content({ selectionEndsOn: '2026-12-30' }))).toEqual(['selectionEndsOn']);
  });
});
