import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  announcementBody,
  freeApartments,
  holder,
  openAnnouncement,
  select,
  wait,
} from '../support/apartments.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * 003 §5.7: a selected apartment is locked for everyone else at once. Holders pressing "select"
 * on the same apartment at the same instant: exactly one wins, the others get a clear 409 and
 * may take one of the two waiting slots (§5.7-1), which are raced the same way.
 */
let t: TestStack;
let announcementId: string;
beforeAll(async () => {
  t = await startTestStack();
  announcementId = await openAnnouncement(t, announcementBody({ apartments: 10 }));
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

async function race(n: number) {
  const [apt] = await freeApartments(t, announcementId);
  const holders = await Promise.all(Array.from({ length: n }, () => holder(t)));
  const answers = await Promise.all(holders.map((h) => select(t, h, apt.id)));
  return { apt: apt.id, holders, answers };
}

async function locksOf(apartmentId: string) {
  const { rows } = await t.stack.db.pool.query(
    `SELECT position, origin, waiting_slot FROM apartment_selection WHERE apartment_id = $1 AND state = 'active' ORDER BY position`,
    [apartmentId],
  );
  return rows;
}

describe('the race for one apartment (003 §5.7, §5.7-1)', () => {
  it.each([2, 12])(
    '003 §5.7: given %i holders selecting the same apartment at the same instant, when the requests race, then exactly one wins and the others get 409 naming the lock',
    async (n) => {
      const { apt, answers } = await race(n);
      const won = answers.filter((a) => a.status === 201);
      const lost = answers.filter((a) => a.status !== 201);
      expect(won).toHaveLength(1);
      expect(lost.map((a) => a.status)).toEqual(Array(n - 1).fill(409));
      for (const a of lost)
        expect(a.body.errors).toEqual([{ field: 'apartmentId', message: 'apartment-locked' }]);
      expect(await locksOf(apt)).toEqual([{ position: 0, origin: 'select', waiting_slot: null }]);
    },
  );

  it('003 §5.7-1: given 12 losers of the race, when all ask for a waiting slot at once, then slots 1 and 2 go to two of them and the others get 409', async () => {
    const { apt, holders, answers } = await race(13);
    const losers = holders.filter((_, i) => answers[i]!.status === 409);
    expect(losers).toHaveLength(12);
    const waits = await Promise.all(losers.map((h) => wait(t, h, apt)));
    const taken = waits.filter((w) => w.status === 201).map((w) => w.body.slot);
    expect(taken.sort()).toEqual([1, 2]);
    const refused = waits.filter((w) => w.status !== 201);
    expect(refused.map((w) => w.status)).toEqual(Array(10).fill(409));
    for (const w of refused)
      expect(w.body.errors).toEqual([{ field: 'apartmentId', message: 'no-waiting-slot' }]);
    expect((await locksOf(apt)).map((r) => [r.position, r.waiting_slot])).toEqual([
      [0, null],
      [1, 1],
      [2, 2],
    ]);
  });

  it('003 §5.7: given one holder selecting two apartments at the same instant, when the requests race, then only one selection exists', async () => {
    const [a, b] = await freeApartments(t, announcementId);
    const h = await holder(t);
    const answers = await Promise.all([select(t, h, a.id), select(t, h, b.id)]);
    expect(answers.map((x) => x.status).sort()).toEqual([201, 409]);
    const { rows } = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM apartment_selection WHERE application_id = $1`,
      [h],
    );
    expect(rows[0].n).toBe(1);
  });
});
