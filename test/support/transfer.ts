import { addDays, civilDateInBaku } from '../../src/domain/calendar.js';
import type { TestStack } from './stack.js';
import { eventually } from './stack.js';
import { BODY_REVIEWER } from './waitlist.js';

export const todayInBaku = (): string => civilDateInBaku(new Date());
export const daysAgo = (n: number): string => addDays(todayInBaku(), -n);

/** Annex 1 with the members of annex 2: an adult spouse represents, an adult child signed. */
export function transferApplication(
  repFin: string,
  childFin: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    via: 'body',
    variant: 'martyr-family',
    event: 'death',
    eventDate: daysAgo(10),
    representative: {
      fin: repFin,
      kind: 'family-member',
      relation: 'spouse',
      birthDate: '1980-04-04',
    },
    family: [
      { fin: childFin, relation: 'child', birthDate: '2001-05-05', adult: true, signed: true },
      { relation: 'child', birthDate: '2016-07-07', adult: false },
    ],
    documents: [
      { kind: 'identity-documents', accepted: true },
      { kind: 'representation-statement', accepted: true, note: 'notarial qaydada təsdiq edilib' },
      { kind: 'death-certificate', accepted: true },
    ],
    documentsReceivedOn: todayInBaku(),
    contact: { email: 'temsilci@example.az' },
    ...over,
  };
}

/**
 * The family the waitlist file registered with the deceased (002 §1.2.2), matching
 * transferApplication: the spouse, the adult child and the minor child without a FIN.
 */
export async function familyOnFile(
  t: TestStack,
  entryId: string,
  spouseFin: string,
  childFin: string,
): Promise<void> {
  await t.stack.db.pool.query(
    `INSERT INTO waitlist_family_member (entry_id, fin, relation, birth_date, adult)
     VALUES ($1, $2, 'spouse', '1980-04-04', true), ($1, $3, 'child', '2001-05-05', true),
            ($1, NULL, 'child', '2016-07-07', false)`,
    [entryId, spouseFin, childFin],
  );
}

export async function fileTransfer(
  t: TestStack,
  entryId: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  return t.api(`/api/v1/waitlist/entries/${entryId}/transfer-applications`, { body });
}

export async function transferView(t: TestStack, caseId: string): Promise<Record<string, any>> {
  return (await t.api(`/api/v1/waitlist/transfer-cases/${caseId}`)).body;
}

export async function waitForTransfer(
  t: TestStack,
  caseId: string,
  pred: (c: Record<string, any>) => boolean,
  timeoutMs = 30_000,
): Promise<Record<string, any>> {
  return eventually(async () => {
    const c = await transferView(t, caseId);
    return pred(c) ? c : undefined;
  }, timeoutMs);
}

export async function decideTask(
  t: TestStack,
  taskId: string,
  body: { outcome: string; legalGround: string; reason: string },
): Promise<{ status: number; body: any }> {
  return t.api(`/api/v1/review-tasks/${taskId}/decision`, { body, headers: BODY_REVIEWER });
}

/** The notices queued for a case: template and cabinet / e-mail address. */
export async function noticesOf(
  t: TestStack,
  caseId: string,
  template: string,
): Promise<{ channel: string; address: string }[]> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT channel, address FROM notice_outbox WHERE case_id = $1 AND template = $2 ORDER BY id`,
    [caseId, template],
  );
  return rows;
}

/** Every slot's place in its list, by id (the queue order of 56.1, 004 §22). */
export async function positions(t: TestStack, ids: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const { rows } = await t.stack.db.pool.query(
      `SELECT count(*)::int + 1 AS p FROM waitlist_entry e, waitlist_entry me
        WHERE me.id = $1 AND e.waitlist_id = me.waitlist_id AND e.status IN ('active', 'held')
          AND (e.registration_date, e.id) < (me.registration_date, me.id)`,
      [id],
    );
    out[id] = rows[0].p;
  }
  return out;
}
