import type { PoolClient } from '../db/pool.js';
import { enqueueNotice } from '../notify/outbox.js';
import { recordAudit } from './audit.js';
import { CaseError } from './errors.js';

/**
 * A court appeal against a removal from the waitlist and its outcome (Housing Code 55.2: "Həmin
 * qərardan ... məhkəmə qaydasında şikayət verilə bilər" — the Code sets no period). Both are
 * recorded whenever they arrive: there is no appeal window and no refusal for lateness. The
 * removal takes effect when decided (workers/release-slot.ts); an overturned removal restores the
 * entry with its ORIGINAL registration date and decision number, so its place in the queue (56.1,
 * 004 §22: derived from those, never stored) is the one it had.
 *
 * The appeal lives in the case file (details.appeal: filedOn, state pending | upheld |
 * overturned, decidedOn); the case status shows 'appealed' while it is pending.
 */
export interface AppealState {
  filedOn: string;
  state: 'pending' | 'upheld' | 'overturned';
  decidedOn?: string;
}

interface SeizureCaseRow {
  id: string;
  kind: string;
  entry_id: string | null;
  outcome: string | null;
  applicant_fin: string | null;
  appeal: AppealState | null;
}

async function lockSeizureCase(tx: PoolClient, caseId: string): Promise<SeizureCaseRow> {
  const { rows } = await tx.query<SeizureCaseRow>(
    `SELECT id, kind, entry_id, outcome, applicant_fin, details->'appeal' AS appeal
       FROM waitlist_case WHERE id = $1 FOR UPDATE`,
    [caseId],
  );
  const c = rows[0];
  if (!c)
    throw new CaseError('not-found', `no case ${caseId}`, [
      { field: 'caseId', message: 'no such case' },
    ]);
  return c;
}

/** Records a court appeal against a removal decision, however long after the decision. */
export async function recordRemovalAppeal(
  tx: PoolClient,
  caseId: string,
  filedOn: string,
  actor: string,
): Promise<void> {
  const c = await lockSeizureCase(tx, caseId);
  // a removal decision exists: recorded ('remove') or already in effect ('removed')
  if (c.kind !== 'seizure' || !['remove', 'removed'].includes(c.outcome ?? '')) {
    throw new CaseError('conflict', 'no removal decision to appeal', [
      { field: 'caseId', message: 'the case has no removal decision' },
    ]);
  }
  if (c.appeal?.state === 'pending')
    throw new CaseError('conflict', 'an appeal is already pending', [
      { field: 'caseId', message: 'appeal already recorded' },
    ]);
  const appeal: AppealState = { filedOn, state: 'pending' };
  await tx.query(
    `UPDATE waitlist_case SET status = 'appealed', details = jsonb_set(details, '{appeal}', $2::jsonb) WHERE id = $1`,
    [caseId, JSON.stringify(appeal)],
  );
  await recordAudit(tx, {
    caseType: 'waitlist-case',
    caseId,
    actor,
    action: 'removal-appealed',
    legalGround: 'Mənzil Məcəlləsi 55.2',
    after: { filedOn },
  });
}

/**
 * Records the court's outcome. Upheld: the removal stands. Overturned: the entry holds its place
 * again with the registration date and decision number it always had, and the person is told.
 */
export async function recordAppealOutcome(
  tx: PoolClient,
  caseId: string,
  input: { upheld: boolean; decidedOn: string },
  actor: string,
  now: Date,
): Promise<{ restored: boolean }> {
  const c = await lockSeizureCase(tx, caseId);
  if (c.appeal?.state !== 'pending')
    throw new CaseError('conflict', 'no appeal pending', [
      { field: 'caseId', message: 'no appeal pending' },
    ]);
  const appeal: AppealState = {
    ...c.appeal,
    state: input.upheld ? 'upheld' : 'overturned',
    decidedOn: input.decidedOn,
  };
  if (input.upheld) {
    await tx.query(
      `UPDATE waitlist_case SET status = CASE WHEN final_at IS NULL THEN 'removal-decided' ELSE 'closed' END,
              details = jsonb_set(details, '{appeal}', $2::jsonb) WHERE id = $1`,
      [caseId, JSON.stringify(appeal)],
    );
    await recordAudit(tx, {
      caseType: 'waitlist-case',
      caseId,
      actor,
      action: 'appeal-dismissed',
      legalGround: 'Mənzil Məcəlləsi 55.2',
      after: { decidedOn: input.decidedOn },
    });
    return { restored: false };
  }

  // Overturned. The case is final now, so a release still to come (release-slot) changes
  // nothing; the entry goes back to its place if it was released already.
  await tx.query(
    `UPDATE waitlist_case SET status = 'closed', outcome = 'overturned', final_at = $3,
            details = jsonb_set(details, '{appeal}', $2::jsonb) WHERE id = $1`,
    [caseId, JSON.stringify(appeal), now],
  );
  // a list being closed by the records retention (004 §17) holds its row FOR UPDATE: wait for it
  await tx.query(
    `SELECT 1 FROM waitlist WHERE id = (SELECT waitlist_id FROM waitlist_entry WHERE id = $1) FOR KEY SHARE`,
    [c.entry_id],
  );
  const entry = await tx.query<{ registration_date: string; decision_number: string }>(
    `SELECT to_char(registration_date, 'YYYY-MM-DD') AS registration_date, decision_number
       FROM waitlist_entry WHERE id = $1 FOR UPDATE`,
    [c.entry_id],
  );
  const e = entry.rows[0];
  if (!e) throw new Error(`case ${caseId}: entry ${c.entry_id} not found`);
  let restored: boolean;
  try {
    await tx.query('SAVEPOINT restore_entry');
    const res = await tx.query(
      `UPDATE waitlist_entry
          SET status = 'active', removed_on = NULL, removal_ground = NULL, case_closed_on = NULL, updated_at = now()
        WHERE id = $1 AND status = 'removed'`,
      [c.entry_id],
    );
    restored = res.rowCount === 1;
    await tx.query('RELEASE SAVEPOINT restore_entry');
  } catch (err) {
    // the person holds another place on the same list since (one place per person per list)
    if ((err as { code?: string }).code !== '23505') throw err;
    await tx.query('ROLLBACK TO SAVEPOINT restore_entry');
    throw new CaseError(
      'conflict',
      'the person holds another place on this list since the removal; the two must be merged by the body',
      [{ field: 'caseId', message: 'entry cannot be restored: a newer place exists' }],
    );
  }
  await recordAudit(tx, {
    caseType: 'waitlist-case',
    caseId,
    actor,
    action: 'appeal-granted',
    legalGround: 'Mənzil Məcəlləsi 55.2',
    after: {
      decidedOn: input.decidedOn,
      entryId: c.entry_id,
      restored,
      registrationDate: e.registration_date,
      decisionNumber: e.decision_number,
    },
  });
  if (c.applicant_fin) {
    await enqueueNotice(tx, {
      idempotencyKey: `removal-overturned:${caseId}`,
      caseType: 'waitlist-case',
      caseId,
      recipient: { cabinetFin: c.applicant_fin },
      template: 'waitlist-removal-overturned',
      params: { registrationDate: e.registration_date, decisionNumber: e.decision_number },
      channels: ['cabinet'],
    });
  }
  return { restored };
}
