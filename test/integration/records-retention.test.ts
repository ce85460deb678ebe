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
/** An entry of the Nasimi general list with a file: two family members and a dwelling. */
async function entryWithFile(
  status: 'active' | 'removed' | 'housed',
  caseClosedOn: CivilDate | null,
): Promise<{ id: string; fin: string }> {
  finNo += 1;
  const fin = `8R${String(finNo).padStart(5, '0')}`;
  const { rows } = await pool.query(
    `INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, need_degree,
                                 decision_number, status, removed_on, case_closed_on)
     SELECT id, $1, date '2001-02-03', 1, $2, $3, $4, $4 FROM waitlist
      WHERE body_code = 'baku-nasimi' AND kind = 'general'
     RETURNING id`,
    [fin, `R-${finNo}`, status, caseClosedOn],
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

describe('records retention (004 §17): a daily job', () => {
  let engineDay: CivilDate;
  const e: Record<string, { id: string; fin: string }> = {};

  it('given entries whose cases ended 2, 4 and 11 years ago, when the daily timer fires, then files go after 3 years and the FIN after 10, the book line stays (and a file goes the day after its 3 years, not before)', async () => {
    const now = new Date();
    const today = civilDateInBaku(now);
    const calendar = await loadCalendar(pool);
    const files = requirePeriod(await loadLegalPeriods(pool), 'records-files-retention');
    // An entry whose 3 years end on the next working day W (today or later): kept at today,
    // destroyed once the engine's day is after W — so only the timer's run can destroy it.
    const lastDay = calendar.nextWorkingDayOnOrAfter(today);
    let boundaryClosedOn: CivilDate | undefined;
    for (
      let d = addDays(yearsBefore(lastDay, 3), -20);
      d <= addDays(yearsBefore(lastDay, 3), 5);
      d = addDays(d, 1)
    ) {
      if (computeDeadline(files, d, calendar).dueDate === lastDay) boundaryClosedOn = d;
    }
    expect(boundaryClosedOn).toBeDefined();

    e.closed2 = await entryWithFile('housed', yearsBefore(today, 2));
    e.closed4 = await entryWithFile('removed', yearsBefore(today, 4));
    e.closed11 = await entryWithFile('removed', yearsBefore(today, 11));
    e.boundary = await entryWithFile('removed', boundaryClosedOn!);
    e.open = await entryWithFile('active', null);

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
    await eventually(
      async () => (await actions(e.closed11!.id)).includes('records-book-anonymized'),
      30_000,
    );
    // run today: the boundary entry's 3 years have not ended yet (they end on W)
    expect(await recordsOf(e.boundary!.id)).toEqual(
      expect.objectContaining({ members: 2, dwellings: 1, fileDestroyedOn: null }),
    );
    // the run of the day after W destroys it
    engineDay = addDays(lastDay, 1);
    expect(await applyRecordsRetention(pool, engineDay)).toEqual(
      expect.objectContaining({ filesDestroyed: 1, booksAnonymized: 0 }),
    );

    // 2 years: everything kept
    expect(await recordsOf(e.closed2!.id)).toEqual(
      expect.objectContaining({
        fin: e.closed2!.fin,
        members: 2,
        dwellings: 1,
        fileDestroyedOn: null,
        bookAnonymizedOn: null,
      }),
    );
    expect(await actions(e.closed2!.id)).toEqual([]);
    // 4 years: the file is gone, the book line with its FIN stays
    expect(await recordsOf(e.closed4!.id)).toEqual({
      fin: e.closed4!.fin,
      decisionNumber: expect.stringMatching(/^R-/),
      registrationDate: '2001-02-03',
      status: 'removed',
      fileDestroyedOn: expect.any(String),
      bookAnonymizedOn: null,
      members: 0,
      dwellings: 0,
    });
    expect(await actions(e.closed4!.id)).toEqual(['records-file-destroyed']);
    // 11 years: file gone and the FIN erased; the anonymous book line stays
    expect(await recordsOf(e.closed11!.id)).toEqual(
      expect.objectContaining({
        fin: null,
        registrationDate: '2001-02-03',
        status: 'removed',
        members: 0,
        dwellings: 0,
        bookAnonymizedOn: expect.any(String),
      }),
    );
    expect(await actions(e.closed11!.id)).toEqual([
      'records-file-destroyed',
      'records-book-anonymized',
    ]);
    // the boundary entry was destroyed by the run of the day after its period, not before
    expect(await recordsOf(e.boundary!.id)).toEqual(
      expect.objectContaining({
        fin: e.boundary!.fin,
        members: 0,
        dwellings: 0,
        fileDestroyedOn: engineDay,
      }),
    );
    const [audit] = await auditTrail(pool, 'waitlist-entry', e.boundary!.id);
    expect(audit).toEqual(
      expect.objectContaining({
        actor: 'system:apply-records-retention',
        legalGround: '004 §17',
        after: {
          retentionDate: engineDay,
          caseClosedOn: boundaryClosedOn,
          familyMembersDeleted: 2,
          dwellingsDeleted: 1,
        },
      }),
    );
    // an open case is never touched
    expect(await recordsOf(e.open!.id)).toEqual(
      expect.objectContaining({
        fin: e.open!.fin,
        members: 2,
        dwellings: 1,
        fileDestroyedOn: null,
      }),
    );
    expect(JSON.stringify(await auditTrail(pool, 'waitlist-entry', e.closed11!.id))).not.toContain(
      e.closed11!.fin,
    );
  });

  it('given the job runs again the same day or later, then nothing more changes and nothing more is audited', async () => {
    const before = await Promise.all(Object.values(e).map((x) => recordsOf(x.id)));
    const audits = await Promise.all(Object.values(e).map((x) => actions(x.id)));
    expect(await applyRecordsRetention(pool, engineDay)).toEqual({
      retentionDate: engineDay,
      filesDestroyed: 0,
      booksAnonymized: 0,
    });
    // a year later the 2-year case has passed 3 years: only its file goes
    const later = addDays(engineDay, 400);
    expect(await applyRecordsRetention(pool, later)).toEqual({
      retentionDate: later,
      filesDestroyed: 1,
      booksAnonymized: 0,
    });
    expect(await applyRecordsRetention(pool, later)).toEqual(
      expect.objectContaining({ filesDestroyed: 0, booksAnonymized: 0 }),
    );
    const after = await Promise.all(Object.values(e).map((x) => recordsOf(x.id)));
    expect(after.filter((_, i) => Object.keys(e)[i] !== 'closed2')).toEqual(
      before.filter((_, i) => Object.keys(e)[i] !== 'closed2'),
    );
    expect(await Promise.all(Object.values(e).map((x) => actions(x.id)))).toEqual(
      audits.map((a, i) => (Object.keys(e)[i] === 'closed2' ? ['records-file-destroyed'] : a)),
    );
  });
});
