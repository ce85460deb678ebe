import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The database itself refuses what 003 §5.7 and §5.7-1 forbid, whatever the code does: an
 * apartment locked to two holders, a holder with two live selections in one announcement, a
 * third waiting holder.
 */
let db: TestDatabase;
let pool: Pool;
let announcementId: string;

async function holder(fin: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO application (applicant_fin, category, status) VALUES ($1, 4, 'approved') RETURNING id`,
    [fin],
  );
  return rows[0]!.id;
}
async function apartment(number: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO apartment (announcement_id, building, number, address, rooms, floor, area_m2, price_qepik)
     VALUES ($1, 'B1', $2, 'Bakı, Yasamal', 2, 3, 64.5, 5900000) RETURNING id`,
    [announcementId, number],
  );
  return rows[0]!.id;
}
function select(
  apartmentId: string,
  applicationId: string,
  over: { origin?: string; slot?: number; position?: number } = {},
) {
  return pool.query(
    `INSERT INTO apartment_selection (announcement_id, apartment_id, application_id, origin, waiting_slot, position, payment_method)
     VALUES ($1, $2, $3, $4, $5, $6, 'own-funds')`,
    [
      announcementId,
      apartmentId,
      applicationId,
      over.origin ?? 'select',
      over.slot ?? null,
      over.position ?? 0,
    ],
  );
}

beforeAll(async () => {
  db = await createTestDatabase('az_housing_apartment_schema');
  pool = createPool({ connectionString: db.url, max: 4 });
  await migrate(pool, createLogger('silent'));
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO announcement (content, built_percent, payment_method, electronic, selection_starts_on, selection_ends_on, drafted_by)
     VALUES ('{}', 40, 'mortgage-and-own-funds', true, '2027-01-04', '2027-01-29', 'test') RETURNING id`,
  );
  announcementId = rows[0]!.id;
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('apartment selection constraints (003 §5.7, §5.7-1)', () => {
  it('003 §5.7: given an apartment locked by one holder, when a second lock row is inserted, then the database refuses it', async () => {
    const apt = await apartment('1');
    await select(apt, await holder('AAAAAA1'));
    await expect(select(apt, await holder('AAAAAA2'))).rejects.toMatchObject({
      constraint: 'apartment_selection_one_lock',
    });
  });

  it('003 §5.7: given a holder with a selection, when a second selection in the same announcement is inserted, then the database refuses it', async () => {
    const h = await holder('AAAAAA3');
    await select(await apartment('2'), h);
    await expect(select(await apartment('3'), h)).rejects.toMatchObject({ code: '23505' });
  });

  it('003 §5.7-1: given both waiting slots taken, when a third waiting row is inserted, then the database refuses it', async () => {
    const apt = await apartment('4');
    await select(apt, await holder('AAAAAA4'));
    await select(apt, await holder('AAAAAA5'), { origin: 'waiting', slot: 1, position: 1 });
    await select(apt, await holder('AAAAAA6'), { origin: 'waiting', slot: 2, position: 2 });
    await expect(
      select(apt, await holder('AAAAAA7'), { origin: 'waiting', slot: 2, position: 2 }),
    ).rejects.toMatchObject({ constraint: 'apartment_selection_waiting_slot' });
  });

  it('003 §5.7-1: given a holder waiting for one apartment, when a second waiting row in the announcement is inserted, then the database refuses it', async () => {
    const a = await apartment('5');
    const b = await apartment('6');
    await select(a, await holder('AAAAAA8'));
    await select(b, await holder('AAAAAA9'));
    const w = await holder('AAAAAB1');
    await select(a, w, { origin: 'waiting', slot: 1, position: 1 });
    await expect(select(b, w, { origin: 'waiting', slot: 1, position: 1 })).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('003 §5.7-1: given a direct selection carrying a waiting slot, when inserted, then the check refuses it (slots belong to waiting selections)', async () => {
    const apt = await apartment('7');
    await expect(
      select(apt, await holder('AAAAAB2'), { origin: 'select', slot: 1, position: 0 }),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
