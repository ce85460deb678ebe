import { as } from '../support/auth.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openTaskOf } from '../support/applications.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

/** An application registered at a given moment, handed to the engine like the portal does. */
async function registeredAt(submittedAt: string): Promise<string> {
  const { rows } = await t.stack.db.pool.query<{ id: string; registration_number: number }>(
    `INSERT INTO application (applicant_fin, category, status, form, registration_number, submitted_at)
     VALUES ('5NV0RUZ', 9, 'under_review', '{}', next_registration_number(), $1)
     RETURNING id, registration_number`,
    [submittedAt],
  );
  const { id, registration_number } = rows[0]!;
  await t.stack.db.pool.query(
    `INSERT INTO engine_outbox (message_name, correlation_key, message_id, variables) VALUES ('application-submitted', $1, $2, $3)`,
    [
      id,
      `application-submitted:${id}`,
      JSON.stringify({ applicationId: id, registrationNumber: registration_number }),
    ],
  );
  t.stack.outbox.kick();
  return id;
}

describe('review deadline with the seeded working-day calendar (003 §5.5, calendar_day)', () => {
  it('given an application registered on Thursday 19 March 2026, the day before Novruz, then its 5 working days skip the holidays and end on Monday 6 April', async () => {
    // Off: Fri 20 Mar (Novruz), 23–27 Mar (Novruz), Mon 30 Mar (Ramazan moved, 105.6) and the weekends.
    // Working: Tue 31 Mar (1), Wed 1 Apr (2), Thu 2 Apr (3), Fri 3 Apr (4), Mon 6 Apr (5).
    const id = await registeredAt('2026-03-19T10:00:00+04:00');
    const task = await openTaskOf(t, id);
    expect(new Date(task.dueAt).toISOString()).toBe(
      new Date('2026-04-06T23:59:59.999+04:00').toISOString(),
    );
  });

  it('given an operator declares 3 April 2026 a day off, then a deadline computed afterwards moves to Tuesday 7 April', async () => {
    const put = await t.api('/api/v1/calendar/days/2026-04-03', {
      method: 'PUT',
      body: {
        kind: 'other_day_off',
        nameAz: 'Sınaq istirahət günü',
        nameEn: 'Test day off',
        sourceAz: 'sınaq',
        sourceEn: 'test',
      },
      headers: as('operator-1'),
    });
    expect([200, 201]).toContain(put.status);
    const id = await registeredAt('2026-03-19T11:00:00+04:00');
    const task = await openTaskOf(t, id);
    expect(new Date(task.dueAt).toISOString()).toBe(
      new Date('2026-04-07T23:59:59.999+04:00').toISOString(),
    );
  });
});
