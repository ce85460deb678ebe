import type { Pool, PoolClient } from '../db/pool.js';

export interface WaitlistCaseRow {
  id: string;
  kind: string;
  body_code: string;
  entry_id: string | null;
  applicant_fin: string | null;
  list_kind: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form case file, read field by field
  details: Record<string, any>;
  documents: unknown[];
  documents_received_on: string | null;
  ground: string | null;
  established_on: string | null;
  status: string;
}

export async function loadWaitlistCase(
  db: Pool | PoolClient,
  caseId: string,
  forUpdate = false,
): Promise<WaitlistCaseRow> {
  const { rows } = await db.query<WaitlistCaseRow>(
    `SELECT id, kind, body_code, entry_id, applicant_fin, list_kind, details, documents,
            to_char(documents_received_on, 'YYYY-MM-DD') AS documents_received_on, ground,
            to_char(established_on, 'YYYY-MM-DD') AS established_on, status
       FROM waitlist_case WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [caseId],
  );
  if (!rows[0]) throw new Error(`waitlist case ${caseId} not found`);
  return rows[0];
}

export async function citationOf(db: Pool | PoolClient, groundCode: string): Promise<string> {
  const { rows } = await db.query<{ citation: string }>(
    `SELECT citation FROM legal_ground WHERE code = $1`,
    [groundCode],
  );
  if (!rows[0]) throw new Error(`unknown legal ground ${groundCode}`);
  return rows[0].citation;
}

/** What the deliver-waitlist-notice task sends next: the template and its parameters. */
export interface WaitlistNotice {
  template: string;
  params: Record<string, unknown>;
}
