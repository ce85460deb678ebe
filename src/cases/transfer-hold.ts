import type { Pool, PoolClient } from '../db/pool.js';
import type { InWindowApplication } from '../domain/transfer.js';

/**
 * The transfer applications that keep a held slot (002 §2.1, §2.6; 004 §20): filed from the death
 * to the end of the window, and the applications filed again after a refusal on 3.1.1 to cure it
 * (002 §3.4), which continue the in-time one. Oldest first.
 */
export async function applicationsInWindow(
  db: Pool | PoolClient,
  entryId: string,
  deathDate: string,
  windowEndsOn: string,
): Promise<InWindowApplication[]> {
  const { rows } = await db.query<InWindowApplication>(
    `WITH RECURSIVE kept AS (
       SELECT id FROM waitlist_case
        WHERE entry_id = $1 AND kind = 'transfer' AND documents_received_on BETWEEN $2::date AND $3::date
       UNION
       SELECT c.id FROM waitlist_case c JOIN kept k ON c.details->>'reviewOfRefusedCase' = k.id::text
        WHERE c.entry_id = $1 AND c.kind = 'transfer')
     SELECT c.id, to_char(c.documents_received_on, 'YYYY-MM-DD') AS "filedOn", c.outcome,
            c.final_at IS NOT NULL AS final, c.decided_at AS "decidedAt"
       FROM waitlist_case c JOIN kept USING (id)
      ORDER BY c.opened_at, c.id`,
    [entryId, deathDate, windowEndsOn],
  );
  return rows;
}
