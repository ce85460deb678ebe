import { syntheticDataset } from '../../dev/synthetic-citizens.js';
import { civilDateInBaku } from '../../src/domain/calendar.js';
import type { IdentityCard } from '../../src/registry/types.js';
import { as } from './auth.js';
import type { TestStack } from './stack.js';
import { eventually } from './stack.js';

export const BODY = 'baku-nasimi';
export const BODY_REVIEWER = as('nasimi-reviewer-1');

export function registrationRequest(
  applicantFin: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    applicantFin,
    listKind: 'general',
    family: [{ fin: null, relation: 'spouse', birthDate: '1990-02-02' }].map(
      ({ fin: _f, ...m }) => m,
    ),
    dwellings: [{ address: 'Bakı ş., Nəsimi r., Sınaq küç. 5, m. 1', areaM2: 14, share: 1 }],
    documents: [
      { kind: 'identity-documents', accepted: true },
      { kind: 'residence-certificate', accepted: true },
      { kind: 'family-composition-certificate', accepted: true },
    ],
    documentsReceivedOn: '2026-11-20',
    contact: { email: 'aile@example.az' },
    ...over,
  };
}

/** An entry on the body's general list, inserted directly (as a registration long ago). */
export async function entryOnList(
  t: TestStack,
  fin: string,
  opts: { registrationDate?: string; groundsOfNeed?: string[]; body?: string; kind?: string } = {},
): Promise<string> {
  const { rows } = await t.stack.db.pool.query<{ id: string }>(
    `INSERT INTO waitlist_entry (waitlist_id, registered_fin, registration_date, decision_number, grounds_of_need)
     SELECT id, $1, $2, $3, $4 FROM waitlist WHERE body_code = $5 AND kind = $6 RETURNING id`,
    [
      fin,
      opts.registrationDate ?? '2015-03-10',
      `T-${fin}`,
      opts.groundsOfNeed ?? [],
      opts.body ?? BODY,
      opts.kind ?? 'general',
    ],
  );
  return rows[0]!.id;
}

/** Waitlist cases use the same inbox as applications. */
export { openTaskOf as openTaskOfCase } from './applications.js';

export async function caseView(t: TestStack, caseId: string): Promise<Record<string, any>> {
  return (await t.api(`/api/v1/waitlist/cases/${caseId}`)).body;
}

export async function waitForCase(
  t: TestStack,
  caseId: string,
  pred: (c: Record<string, any>) => boolean,
  timeoutMs = 30_000,
) {
  return eventually(async () => {
    const c = await caseView(t, caseId);
    return pred(c) ? c : undefined;
  }, timeoutMs);
}

export async function entryStatus(
  t: TestStack,
  entryId: string,
): Promise<{ status: string; removal_ground: string | null; held_until: string | null }> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT status, removal_ground, to_char(held_until, 'YYYY-MM-DD') AS held_until FROM waitlist_entry WHERE id = $1`,
    [entryId],
  );
  return rows[0];
}

/** What the identity registry stand-in holds for a FIN (its synthetic citizens as of today). */
export function registryIdentity(fin: string): IdentityCard | undefined {
  return syntheticDataset(civilDateInBaku(new Date())).citizens.get(fin)?.identity;
}

/** The task's row in the reviewer's inbox (GET /api/v1/review-tasks) and its case file. */
export async function inboxRowAndFile(
  t: TestStack,
  taskId: string,
  process: string,
): Promise<{ row: Record<string, any> | undefined; file: Record<string, any> }> {
  const inbox = await t.api(
    `/api/v1/review-tasks?process=${process}&sort=created&order=desc&limit=200`,
    { headers: BODY_REVIEWER },
  );
  if (inbox.status !== 200) throw new Error(`inbox: ${inbox.status}`);
  const file = await t.api(`/api/v1/review-tasks/${taskId}/case`, { headers: BODY_REVIEWER });
  if (file.status !== 200) throw new Error(`case file: ${file.status}`);
  return {
    row: (inbox.body.tasks as Record<string, any>[]).find((r) => r.taskId === taskId),
    file: file.body,
  };
}
