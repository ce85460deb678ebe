import { describe, expect, it } from '@jest/globals';
import {
  compareQueueOrder,
  oneRegisteredMemberPerFamily,
  sortByQueueOrder,
  type FamilyEntry,
  type QueueEntry,
} from '../../src/domain/queue-order.js';

const entry = (over: Partial<QueueEntry> & { id: string }): QueueEntry => ({
  registrationDate: '2010-05-04',
  needDegree: 0,
  seniorityDate: null,
  ...over,
});

const ids = (xs: QueueEntry[]) => xs.map((e) => e.id);

describe('queue order (56.1, 004 §22)', () => {
  it('given different registration dates, then the earlier date comes first whatever the need or seniority', () => {
    const early = entry({ id: 'b', registrationDate: '2001-01-10', needDegree: 0 });
    const late = entry({
      id: 'a',
      registrationDate: '2001-01-11',
      needDegree: 3,
      seniorityDate: '1970-01-01',
    });
    expect(ids(sortByQueueOrder([late, early]))).toEqual(['b', 'a']);
    expect(compareQueueOrder(early, late)).toBeLessThan(0);
  });

  it('given the same date, then the higher degree of need comes first', () => {
    const xs = [
      entry({ id: 'n1', needDegree: 1 }),
      entry({ id: 'n3', needDegree: 3 }),
      entry({ id: 'n0', needDegree: 0 }),
      entry({ id: 'n2', needDegree: 2 }),
    ];
    expect(ids(sortByQueueOrder(xs))).toEqual(['n3', 'n2', 'n1', 'n0']);
  });

  it('given the same date and need, then the earlier seniority comes first and none comes last', () => {
    const xs = [
      entry({ id: 'none', needDegree: 2, seniorityDate: null }),
      entry({ id: 'late', needDegree: 2, seniorityDate: '2005-03-01' }),
      entry({ id: 'early', needDegree: 2, seniorityDate: '1988-09-15' }),
    ];
    expect(ids(sortByQueueOrder(xs))).toEqual(['early', 'late', 'none']);
  });

  it('given everything equal, then the id decides, compared as PostgreSQL compares uuids', () => {
    const a = entry({ id: '0f000000-0000-4000-8000-000000000000' });
    const b = entry({ id: 'A0000000-0000-4000-8000-000000000000' });
    const c = entry({ id: 'b0000000-0000-4000-8000-000000000000' });
    expect(ids(sortByQueueOrder([c, b, a]))).toEqual([a.id, b.id, c.id]);
    expect(compareQueueOrder(a, a)).toBe(0);
  });

  it('given an entry, then it is never ahead of itself and the order is antisymmetric', () => {
    const xs = [
      entry({ id: '1', needDegree: 1, seniorityDate: '2000-01-01' }),
      entry({ id: '2', needDegree: 1 }),
      entry({ id: '3', registrationDate: '2009-12-31' }),
    ];
    for (const x of xs) {
      for (const y of xs) {
        expect(Math.sign(compareQueueOrder(x, y)) + Math.sign(compareQueueOrder(y, x))).toBe(0);
        expect(compareQueueOrder(x, y) === 0).toBe(x === y);
      }
    }
  });

  it('given a malformed date, then sorting refuses it', () => {
    expect(() => sortByQueueOrder([entry({ id: 'x', registrationDate: '2010-02-30' })])).toThrow(
      /registration date/,
    );
    expect(() => sortByQueueOrder([entry({ id: 'x', seniorityDate: '15.09.1988' })])).toThrow(
      /seniority date/,
    );
  });
});

const fam = (over: Partial<FamilyEntry> & { id: string }): FamilyEntry => ({
  status: 'active',
  registeredFin: null,
  memberFins: [],
  ...over,
});

describe('one registered member per family (004 §10)', () => {
  it('given separate families, then the check passes', () => {
    expect(
      oneRegisteredMemberPerFamily([
        fam({ id: 'e1', registeredFin: '5AAAAA1', memberFins: ['5AAAAA2', '5AAAAA3'] }),
        fam({ id: 'e2', registeredFin: '5BBBBB1', memberFins: ['5BBBBB2'] }),
      ]),
    ).toEqual({ ok: true });
  });

  it('given the spouse of a registered member registers too, then it is a conflict naming both entries', () => {
    const check = oneRegisteredMemberPerFamily([
      fam({ id: 'e1', registeredFin: '5AAAAA1', memberFins: ['5AAAAA2'] }),
      fam({ id: 'e2', registeredFin: '5aaaaa2', memberFins: ['5AAAAA1'] }),
    ]);
    expect(check).toEqual({
      ok: false,
      conflicts: [
        { fin: '5AAAAA1', entryIds: ['e1', 'e2'], registeredFins: ['5AAAAA1', '5AAAAA2'] },
        { fin: '5AAAAA2', entryIds: ['e1', 'e2'], registeredFins: ['5AAAAA1', '5AAAAA2'] },
      ],
    });
  });

  it('given a child listed on both parents’ entries, then it is a conflict', () => {
    const check = oneRegisteredMemberPerFamily([
      fam({ id: 'e1', registeredFin: '5MOTHER', memberFins: ['5CHILD1'] }),
      fam({ id: 'e2', registeredFin: '5FATHER', memberFins: ['5CHILD1'] }),
    ]);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.conflicts.map((c) => c.fin)).toEqual(['5CHILD1']);
  });

  it('given the same family on the general and the first-turn list through the same registered member, then it passes (004 §9)', () => {
    expect(
      oneRegisteredMemberPerFamily([
        fam({ id: 'general', registeredFin: '5AAAAA1', memberFins: ['5AAAAA2'] }),
        fam({ id: 'first-turn', registeredFin: '5AAAAA1', memberFins: ['5AAAAA2'] }),
      ]),
    ).toEqual({ ok: true });
  });

  it('given the other entry was removed or housed, then it does not count', () => {
    expect(
      oneRegisteredMemberPerFamily([
        fam({ id: 'e1', status: 'removed', registeredFin: '5AAAAA1', memberFins: ['5AAAAA2'] }),
        fam({ id: 'e2', status: 'housed', registeredFin: '5AAAAA3', memberFins: ['5AAAAA2'] }),
        fam({ id: 'e3', status: 'held', registeredFin: '5AAAAA2' }),
      ]),
    ).toEqual({ ok: true });
  });

  it('given a held entry, then it still counts', () => {
    expect(
      oneRegisteredMemberPerFamily([
        fam({ id: 'e1', status: 'held', registeredFin: '5AAAAA1', memberFins: ['5AAAAA2'] }),
        fam({ id: 'e2', registeredFin: '5AAAAA2' }),
      ]).ok,
    ).toBe(false);
  });
});

describe('queue order tie-break (004 §22)', () => {
  it('004 §22: given the same date, need and seniority, then public-benefit activity decides (higher first) before the id', () => {
    const sorted = sortByQueueOrder([
      entry({ id: 'a', needDegree: 1, seniorityDate: '1999-01-01', publicBenefit: 0 }),
      entry({ id: 'b', needDegree: 1, seniorityDate: '1999-01-01', publicBenefit: 3 }),
      entry({ id: 'c', needDegree: 1, seniorityDate: '1999-01-01' }),
    ]);
    expect(sorted.map((e) => e.id)).toEqual(['b', 'a', 'c']);
  });

  it('004 §22: given more seniority, then it still comes before public-benefit activity (the seed’s sequence)', () => {
    const sorted = sortByQueueOrder([
      entry({ id: 'a', needDegree: 1, seniorityDate: '2005-01-01', publicBenefit: 9 }),
      entry({ id: 'b', needDegree: 1, seniorityDate: '1999-01-01', publicBenefit: 0 }),
    ]);
    expect(sorted.map((e) => e.id)).toEqual(['b', 'a']);
  });
});
