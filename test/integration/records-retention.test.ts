import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditTrail } from '../../src/cases/audit.js';
import { loadCalendar, loadLegalPeriods } from '../../src/cases/calendar-repository.js';
import type { Pool } from '../../src/db/pool.js';
import { addDays, civilDateInBaku, type CivilDate } from '../../src/domain/calendar.js';
import { computeDeadline, requirePeriod } from '../../src/domain/legal-periods.js';
import { applyRecordsRetention } from '../../workers/apply-records-retention.js';
import { ok } from '../../src/engine/rest.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';

let t: TestStack;
let pool: Pool;
beforeAll(async () => {
  t = await startTestStack();
  pool = t.stack.db.pool;
});
afterAll(async () => {
  await t?.stop();
});

/** The same day of the month `years` earlier (28 Feb for a 29 Feb that does not exist then). */
function yearsBefore(date: CivilDate, years: number): CivilDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const candidate = `${String(y - years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return m === 2 && d === 29 && (y - years) % 4 !== 0 ? candidate.replace(/29$/, '28') : candidate;
}

let finNo = 0;
/** An entry of a body's list with a file: two family members and a dwelling. */
async function entryWithFile(
  status: 'active' | 'removed' | 'housed',
  caseClosedOn: CivilDate | null,
  list: { body: string; kind: string } = { body: 'baku-nasimi', kind: 'general' },
): Promise<{ id: string; fin: string }> {
  finNo += 1;
  const fin = `8R${String(finNo).padStart(5, '0')}`;
  const { rows } = await pool.query(
    `INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, need_degree,
                                 decision_number, status, removed_on, case_closed_on)
     SELECT id, $1, date '2001-02-03', 1, $2, $3, $4, $4 FROM waitlist
      WHERE body_code = $5 AND kind = $6
     RETURNING id`,
    [fin, `R-${finNo}`, status, caseClosedOn, list.body, list.kind],
  );
  const id = rows[0].id as string;
  await pool.query(
    `INSERT INTO waitlist_family_member (entry_id, fin, relation, adult) VALUES
       ($1, $2, 'spouse', true), ($1, $3, 'child', false)`,
    [id, `8S${String(finNo).padStart(5, '0')}`, `8C${String(finNo).padStart(5, '0')}`],
  );
  await pool.query(
    `INSERT INTO waitlist_dwelling (entry_id, address, area_m2) VALUES ($1, 'Bakı ş., Nəsimi r., Sınaq küç. 5', 31.5)`,
    [id],
  );
  return { id, fin };
}

async function recordsOf(id: string) {
  const { rows } = await pool.query(
    `SELECT e.registered_fin AS fin, e.decision_number AS "decisionNumber",
            e.registration_date::text AS "registrationDate", e.status,
            e.records_file_destroyed_on::text AS "fileDestroyedOn",
            e.records_book_anonymized_on::text AS "bookAnonymizedOn",
            (SELECT count(*)::int FROM waitlist_family_member m WHERE m.entry_id = e.id) AS members,
            (SELECT count(*)::int FROM waitlist_dwelling d WHERE d.entry_id = e.id) AS dwellings
       FROM waitlist_entry e WHERE e.id = $1`,
    [id],
  );
  return rows[0];
}

const actions = async (id: string) =>
  (await auditTrail(pool, 'waitlist-entry', id)).map((a) => a.action);

const KEPT = { members: 2, dwellings: 1, fileDestroyedOn: null, bookAnonymizedOn: null };
const SUMGAIT_FIRST = { body: 'sumgait', kind: 'first-turn' };
const SUMGAIT_GENERAL = { body: 'sumgait', kind: 'general' };

describe('records retention (004 §17): per book and per list, a daily job', () => {
  let today: CivilDate;
  let lastDay: CivilDate;
  let boundaryClosedOn: CivilDate;
  const e: Record<string, { id: string; fin: string }> = {};

  it('004 §17: given a live list (a citizen still holds a place), when the daily timer fires, then no file or book line of it is touched, however long ago the other cases ended', async () => {
    today = civilDateInBaku(new Date());
    const calendar = await loadCalendar(pool);
    const files = requirePeriod(await loadLegalPeriods(pool), 'records-files-retention');
    // a list-closing day whose 3 years end on the next working day W (today or later)
    lastDay = calendar.nextWorkingDayOnOrAfter(today);
    let found: CivilDate | undefined;
    for (
      let d = addDays(yearsBefore(lastDay, 3), -20);
      d <= addDays(yearsBefore(lastDay, 3), 5);
      d = addDays(d, 1)
    ) {
      if (computeDeadline(files, d, calendar).dueDate === lastDay) found = d;
    }
    expect(found).toBeDefined();
    boundaryClosedOn = found!;

    // Nasimi general: live (one active entry), with cases that ended 4 and 11 years ago
    e.live11 = await entryWithFile('removed', yearsBefore(today, 11));
    e.live4 = await entryWithFile('housed', yearsBefore(today, 4));
    e.liveOpen = await entryWithFile('active', null);
    // Sumgait general: closed 11 years ago; Sumgait first-turn: its last case ended on the
    // boundary day, an earlier one 6 years ago — so the book of Sumgait closed on the boundary day
    e.closedGeneral = await entryWithFile('removed', yearsBefore(today, 11), SUMGAIT_GENERAL);
    e.firstEarly = await entryWithFile('removed', yearsBefore(today, 6), SUMGAIT_FIRST);
    e.firstLast = await entryWithFile('housed', boundaryClosedOn, SUMGAIT_FIRST);

    // The daily timer (R/P1D) first fires one day after the model was deployed.
    const definition = ok(
      await t.engine.GET('/process-definition/key/{key}', {
        params: { path: { key: 'records-retention' } },
      }),
    );
    const deployment = ok(
      await t.engine.GET('/deployment/{id}', {
        params: { path: { id: definition.deploymentId! } },
      }),
    );
    await fireTimer(
      t.engine,
      { processDefinitionKey: 'records-retention', activityId: 'retention-day' },
      new Date(new Date(deployment.deploymentTime!).getTime() + 86_400_000),
      1000, // the engine schedules it while deploying, a few ms after the deployment's time
    );
    // the run of the timer destroys the Sumgait general list's files (closed 11 years ago)
    await eventually(
      async () => (await actions(e.closedGeneral!.id)).includes('records-file-destroyed'),
      30_000,
    );
    for (const k of ['live11', 'live4', 'liveOpen'])
      expect({ k, ...(await recordsOf(e[k]!.id)) }).toEqual(
        expect.objectContaining({ k, fin: e[k]!.fin, ...KEPT }),
      );
    expect(await actions(e.live11!.id)).toEqual([]);
  });

  it('004 §17: given a list whose citizens were all housed or removed, then its files go 3 years after the LAST of them (not after each one’s own case), the day after the period', async () => {
    // the earlier case ended 6 years ago, but the list closed on the boundary day: kept today
    expect(await recordsOf(e.firstEarly!.id)).toEqual(
      expect.objectContaining({ fin: e.firstEarly!.fin, ...KEPT }),
    );
    expect(await applyRecordsRetention(pool, lastDay)).toEqual(
      expect.objectContaining({ filesDestroyed: 0, booksAnonymized: 0 }),
    );
    const dayAfter = addDays(lastDay, 1);
    expect(await applyRecordsRetention(pool, dayAfter)).toEqual(
      expect.objectContaining({ listsClosed: 1, filesDestroyed: 2, booksAnonymized: 0 }),
    );
    for (const k of ['firstEarly', 'firstLast'])
      expect(await recordsOf(e[k]!.id)).toEqual(
        expect.objectContaining({
          fin: e[k]!.fin,
          members: 0,
          dwellings: 0,
          fileDestroyedOn: dayAfter,
          bookAnonymizedOn: null,
        }),
      );
    const [audit] = await auditTrail(pool, 'waitlist-entry', e.firstEarly!.id);
    expect(audit).toEqual(
      expect.objectContaining({
        actor: 'system:apply-records-retention',
        legalGround: '004 §17',
        after: {
          retentionDate: dayAfter,
          listClosedOn: boundaryClosedOn,
          familyMembersDeleted: 2,
          dwellingsDeleted: 1,
        },
      }),
    );
  });

  it('004 §17: given a book whose lists all closed, then its FINs go 10 years after the last list closed — not 10 years after an older list closed — and the lines stay', async () => {
    // Sumgait general closed 11 years ago, but the book closed on the boundary day
    // lastDay is the book's closing day + 3 years: +6 years = 9 years after it, +8 = 11 years
    const in9Years = yearsBefore(lastDay, -6);
    expect(await applyRecordsRetention(pool, in9Years)).toEqual(
      expect.objectContaining({ booksAnonymized: 0 }),
    );
    expect((await recordsOf(e.closedGeneral!.id)).fin).toBe(e.closedGeneral!.fin);
    const in11Years = yearsBefore(lastDay, -8);
    const run = await applyRecordsRetention(pool, in11Years);
    expect(run).toEqual(expect.objectContaining({ booksClosed: 1, booksAnonymized: 3 }));
    for (const k of ['closedGeneral', 'firstEarly', 'firstLast'])
      expect(await recordsOf(e[k]!.id)).toEqual(
        expect.objectContaining({
          fin: null,
          registrationDate: '2001-02-03',
          members: 0,
          dwellings: 0,
          bookAnonymizedOn: in11Years,
        }),
      );
    expect(await actions(e.closedGeneral!.id)).toEqual([
      'records-file-destroyed',
      'records-book-anonymized',
    ]);
    expect(
      JSON.stringify(await auditTrail(pool, 'waitlist-entry', e.closedGeneral!.id)),
    ).not.toContain(e.closedGeneral!.fin);
    // the live Nasimi book is still untouched, 11 years on
    for (const k of ['live11', 'live4', 'liveOpen'])
      expect(await recordsOf(e[k]!.id)).toEqual(
        expect.objectContaining({ fin: e[k]!.fin, ...KEPT }),
      );
  });

  it('004 §17: given a closed list that gets a new registration, then it is live again and nothing of it goes; a run again the same day changes nothing', async () => {
    const before = await Promise.all(Object.values(e).map((x) => recordsOf(x.id)));
    const audits = await Promise.all(Object.values(e).map((x) => actions(x.id)));
    const far = yearsBefore(lastDay, -8);
    expect(await applyRecordsRetention(pool, far)).toEqual({
      retentionDate: far,
      listsClosed: 0,
      booksClosed: 0,
      filesDestroyed: 0,
      booksAnonymized: 0,
    });
    expect(await Promise.all(Object.values(e).map((x) => recordsOf(x.id)))).toEqual(before);
    expect(await Promise.all(Object.values(e).map((x) => actions(x.id)))).toEqual(audits);
    // Sumgait out-of-turn: closed long ago, then a new citizen registered: live again
    const old = await entryWithFile('removed', yearsBefore(today, 12), {
      body: 'sumgait',
      kind: 'out-of-turn',
    });
    await entryWithFile('active', null, { body: 'sumgait', kind: 'out-of-turn' });
    expect(await applyRecordsRetention(pool, far)).toEqual(
      expect.objectContaining({ filesDestroyed: 0, booksAnonymized: 0 }),
    );
    expect(await recordsOf(old.id)).toEqual(expect.objectContaining({ fin: old.fin, ...KEPT }));
  });
});
