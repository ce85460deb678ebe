import type { Pool } from '../../src/db/pool.js';

/** A waitlist entry written with SQL (the registration process is tested elsewhere). */
export async function insertEntry(
  pool: Pool,
  e: {
    fin: string | null;
    body?: string;
    list?: 'general' | 'first-turn' | 'out-of-turn';
    status?: 'active' | 'held' | 'removed' | 'housed';
    registrationDate?: string;
    family?: { fin: string; relation: string }[];
    dwellings?: { address: string; areaM2: number; share?: number }[];
  },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, decision_number, status)
     SELECT id, $3, $4, 'TEST-' || substr(md5(random()::text), 1, 8), $5 FROM waitlist
      WHERE body_code = $1 AND kind = $2
     RETURNING id`,
    [
      e.body ?? 'baku-nasimi',
      e.list ?? 'general',
      e.fin,
      e.registrationDate ?? '2015-06-01',
      e.status ?? 'active',
    ],
  );
  const id = rows[0]!.id;
  for (const m of e.family ?? []) {
    await pool.query(
      `INSERT INTO waitlist_family_member (entry_id, fin, relation) VALUES ($1, $2, $3)`,
      [id, m.fin, m.relation],
    );
  }
  for (const d of e.dwellings ?? []) {
    await pool.query(
      `INSERT INTO waitlist_dwelling (entry_id, address, area_m2, share) VALUES ($1, $2, $3, $4)`,
      [id, d.address, d.areaM2, d.share ?? 1],
    );
  }
  return id;
}

export async function seizureCases(
  pool: Pool,
  entryId: string,
): Promise<
  {
    id: string;
    ground: string;
    source: string;
    event_id: string;
    established_on: string;
    details: any;
  }[]
> {
  const { rows } = await pool.query(
    `SELECT id, ground, source, event_id, established_on::text AS established_on, details
       FROM waitlist_case WHERE entry_id = $1 AND kind = 'seizure' ORDER BY opened_at`,
    [entryId],
  );
  return rows;
}

export async function groundMessages(pool: Pool, entryId: string): Promise<any[]> {
  const { rows } = await pool.query(
    `SELECT message_name, correlation_key, message_id, variables FROM engine_outbox
      WHERE message_name = 'waitlist-ground-established' AND variables->>'entryId' = $1 ORDER BY id`,
    [entryId],
  );
  return rows;
}
