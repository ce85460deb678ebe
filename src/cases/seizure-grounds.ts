import type { PoolClient } from '../db/pool.js';
import type { RegistryGround } from '../domain/registry-event-grounds.js';
import { openSeizureCase, type SeizureGround, type SeizureInput } from './waitlist-case.js';

// Every ground a registry can establish is a seizure ground (compile-time check).
const _registryGroundsAreSeizureGrounds: RegistryGround extends SeizureGround ? true : never = true;
void _registryGroundsAreSeizureGrounds;

export type GroundOutcome = 'case-opened' | 'ground-added' | 'ground-already-open';

/**
 * Establishes a removal ground for a slot in the caller's transaction: opens a seizure case
 * (openSeizureCase writes the case, its audit entry and the engine message), or adds the ground
 * to the slot's open case — unless that case already carries the same ground (a registry event
 * and the re-verification finding the same death add it once). The entry row is locked first,
 * so two events about one slot are serialised instead of racing for the one open case.
 */
export async function establishGround(
  tx: PoolClient,
  s: SeizureInput & { ground: RegistryGround },
  actor: string,
): Promise<{ outcome: GroundOutcome; caseId: string }> {
  await tx.query(`SELECT 1 FROM waitlist_entry WHERE id = $1 FOR UPDATE`, [s.entryId]);
  const open = await tx.query<{ id: string; grounds: string[] }>(
    `SELECT id,
            array_prepend(ground, ARRAY(SELECT g->>'ground'
                                          FROM jsonb_array_elements(coalesce(details->'furtherGrounds', '[]'::jsonb)) AS g)) AS grounds
       FROM waitlist_case
      WHERE entry_id = $1 AND kind = 'seizure' AND final_at IS NULL`,
    [s.entryId],
  );
  const existing = open.rows[0];
  if (existing?.grounds.includes(s.ground)) {
    return { outcome: 'ground-already-open', caseId: existing.id };
  }
  const { caseId, created } = await openSeizureCase(tx, s, actor);
  return { outcome: created ? 'case-opened' : 'ground-added', caseId };
}
