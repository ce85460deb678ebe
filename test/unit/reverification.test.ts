import { describe, expect, it } from '@jest/globals';
import { reverificationBatchSize, reverificationYear } from '../../src/cases/reverification.js';
import {
  familyHousing,
  normalizeAddress,
  reverificationGrounds,
  type ReverificationFacts,
} from '../../src/domain/reverification.js';
import { syntheticDataset } from '../../dev/synthetic-citizens.js';

const facts = (over: Partial<ReverificationFacts> = {}): ReverificationFacts => ({
  registrationDate: '2020-03-01',
  bodyUnit: 'baku-nasimi',
  civilStatus: { death: null },
  residence: {
    permanent: { administrativeUnit: 'baku-nasimi', since: '2018-01-01' },
    temporary: null,
  },
  mortgage: { loans: [] },
  land: { plots: [] },
  housing: { recorded: [], registry: [], familySize: 3, normM2: 9 },
  ...over,
});
const grounds = (f: ReverificationFacts) => reverificationGrounds(f).grounds.map((g) => g.ground);

describe('annual re-verification rules (004 §18–§20, Housing Code 55.1)', () => {
  it('given nothing changed, then no ground and no note', () => {
    expect(reverificationGrounds(facts())).toEqual({ grounds: [], notes: [] });
  });

  it('given a recorded death, then remove-death (55.1.7) dated the day of death', () => {
    const r = reverificationGrounds(facts({ civilStatus: { death: { date: '2026-10-01' } } }));
    expect(r.grounds).toEqual([
      expect.objectContaining({
        ground: 'remove-death',
        citation: 'Mənzil Məcəlləsi 55.1.7',
        occurredOn: '2026-10-01',
      }),
    ]);
  });

  it('given a permanent residence in another unit, then remove-moved-away (55.1.3, 004 §19(b))', () => {
    const f = facts({
      residence: {
        permanent: { administrativeUnit: 'ganja', since: '2026-09-01' },
        temporary: null,
      },
    });
    expect(reverificationGrounds(f).grounds).toEqual([
      expect.objectContaining({ ground: 'remove-moved-away', occurredOn: '2026-09-01' }),
    ]);
  });

  it('given a temporary stay elsewhere, then the place is kept (004 §20(a)): a note, no ground', () => {
    const f = facts({
      residence: {
        permanent: { administrativeUnit: 'baku-nasimi', since: '2010-01-01' },
        temporary: { administrativeUnit: 'sumgait', since: '2026-09-01', until: null },
      },
    });
    expect(reverificationGrounds(f)).toEqual({ grounds: [], notes: ['temporary-absence'] });
  });

  it('given a work-place list (no territory), then residence is not a test', () => {
    const f = facts({
      bodyUnit: null,
      residence: {
        permanent: { administrativeUnit: 'ganja', since: '2026-09-01' },
        temporary: null,
      },
    });
    expect(grounds(f)).toEqual([]);
  });

  it('given a preferential mortgage since registration, then remove-preferential-mortgage (55.1.4); an ordinary one or one before registration is not', () => {
    expect(
      grounds(facts({ mortgage: { loans: [{ grantedOn: '2026-01-10', preferential: true }] } })),
    ).toEqual(['remove-preferential-mortgage']);
    expect(
      reverificationGrounds(
        facts({ mortgage: { loans: [{ grantedOn: '2026-01-10', preferential: false }] } }),
      ),
    ).toEqual({ grounds: [], notes: ['mortgage-not-preferential'] });
    expect(
      grounds(facts({ mortgage: { loans: [{ grantedOn: '2019-01-10', preferential: true }] } })),
    ).toEqual([]);
  });

  it('given a plot for housing since registration, then remove-land-plot (55.1.5); a farm plot is not', () => {
    expect(
      grounds(
        facts({ land: { plots: [{ grantedOn: '2025-05-05', purpose: 'housing-construction' }] } }),
      ),
    ).toEqual(['remove-land-plot']);
    expect(
      reverificationGrounds(
        facts({ land: { plots: [{ grantedOn: '2025-05-05', purpose: 'agriculture' }] } }),
      ).notes,
    ).toEqual(['land-plot-not-for-housing']);
  });

  it('given a new dwelling that brings the family to the norm, then remove-need-ceased (55.1.2); below the norm only a note', () => {
    const bought = { address: 'Uydurma küç. 9', areaM2: 27, share: 1 };
    // 27 m² / 3 persons = 9 m², the norm: not below it, so the need has ceased
    expect(grounds(facts({ housing: { ...facts().housing, registry: [bought] } }))).toEqual([
      'remove-need-ceased',
    ]);
    const r = reverificationGrounds(
      facts({ housing: { ...facts().housing, registry: [{ ...bought, areaM2: 26.9 }] } }),
    );
    expect(r).toEqual({ grounds: [], notes: ['dwelling-acquired-below-norm'] });
  });

  it('given only the dwellings already in the file, then no ground (the body measured them at registration)', () => {
    const flat = { address: 'Uydurma küç. 1, mənzil 1', areaM2: 90, share: 1 };
    const f = facts({
      housing: {
        recorded: [flat],
        registry: [{ ...flat, address: 'uydurma  küç 1 mənzil 1' }],
        familySize: 2,
        normM2: 9,
      },
    });
    expect(grounds(f)).toEqual([]);
  });

  it('given no registration norm, then a new dwelling is a ground for the reviewer to measure', () => {
    const f = facts({
      housing: {
        recorded: [],
        registry: [{ address: 'x', areaM2: 5, share: 1 }],
        familySize: 4,
        normM2: null,
      },
    });
    expect(grounds(f)).toEqual(['remove-need-ceased']);
  });

  it('given spouses each owning half of a new flat, then it is counted once (50.2)', () => {
    const half = { address: 'Uydurma pr. 2', areaM2: 60, share: 0.5 };
    expect(
      familyHousing({ recorded: [], registry: [half, half], familySize: 2, normM2: 9 }),
    ).toEqual({ newDwellings: 1, totalAreaM2: 60, areaPerPersonM2: 30 });
  });

  it('given several grounds, then all are found, death first', () => {
    const f = facts({
      civilStatus: { death: { date: '2026-10-01' } },
      mortgage: { loans: [{ grantedOn: '2026-01-10', preferential: true }] },
    });
    expect(grounds(f)).toEqual(['remove-death', 'remove-preferential-mortgage']);
  });

  it('given a person no registry knows, then notes only, never a ground', () => {
    const r = reverificationGrounds(
      facts({ civilStatus: null, residence: null, mortgage: null, land: null }),
    );
    expect(r.grounds).toEqual([]);
    expect(r.notes).toEqual([
      'not-in-civil-status-registry',
      'not-in-residence-registry',
      'not-in-mortgage-fund',
      'not-in-land-registry',
    ]);
  });

  it('given addresses written differently, then they are the same dwelling', () => {
    expect(normalizeAddress('Uydurma küç. 1,  mənzil 1')).toBe(
      normalizeAddress('uydurma küç 1 mənzil 1'),
    );
  });
});

describe('synthetic waitlist personas: every expectation holds under the pure rules', () => {
  const dataset = syntheticDataset();
  it.each(dataset.waitlistPersonas.map((p) => [p.key, p] as const))('%s', (_key, p) => {
    const c = dataset.citizens.get(p.fin)!;
    const family = p.family.map((m) => dataset.citizens.get(m.fin)!);
    const r = reverificationGrounds({
      registrationDate: '2015-06-01',
      bodyUnit: p.bodyCode,
      civilStatus: { death: c.civilStatus.death },
      residence: c.residence!,
      mortgage: c.mortgageFund!,
      land: c.land!,
      housing: {
        recorded: [],
        registry: [c, ...family].flatMap((x) => x.property.dwellings),
        familySize: 1 + p.family.length,
        normM2: 9,
      },
    });
    expect(r.grounds.map((g) => g.ground)).toEqual(p.expectedGrounds);
  });
});

describe('re-verification settings', () => {
  it('given no REVERIFICATION_BATCH_SIZE, then 500; a number is taken; nonsense is refused', () => {
    expect(reverificationBatchSize({})).toBe(500);
    expect(reverificationBatchSize({ REVERIFICATION_BATCH_SIZE: '2' })).toBe(2);
    expect(() => reverificationBatchSize({ REVERIFICATION_BATCH_SIZE: '0' })).toThrow(
      /REVERIFICATION_BATCH_SIZE/,
    );
    expect(() => reverificationBatchSize({ REVERIFICATION_BATCH_SIZE: 'many' })).toThrow();
  });

  it('given the timer firing at 05:00 UTC on 15 January, then the run is for that year in Baku', () => {
    expect(reverificationYear(new Date('2027-01-15T05:00:00Z'))).toBe(2027);
    // 31 Dec 21:00 UTC is already 1 January in Baku
    expect(reverificationYear(new Date('2026-12-31T21:00:00Z'))).toBe(2027);
  });
});
