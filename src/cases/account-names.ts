import type { Pool } from '../db/pool.js';

/** The name and roles of a staff account, as a case file shows who acted. */
export interface AccountName {
  displayName: string;
  roles: string[];
}

/**
 * The display names and roles of the staff accounts among `ids` (issue 15: the audit trail and
 * the decisions name the person, not the account id). Ids that are not accounts (`system:…`,
 * the portal, a service client) are absent from the map.
 */
export async function accountNames(
  pool: Pool,
  ids: Iterable<string>,
): Promise<Map<string, AccountName>> {
  const wanted = [...new Set(ids)].filter((id) => !id.startsWith('system'));
  if (wanted.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; displayName: string; roles: string[] }>(
    `SELECT id, display_name AS "displayName", roles FROM account WHERE id = ANY($1::text[])`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.id, { displayName: r.displayName, roles: r.roles }]));
}
