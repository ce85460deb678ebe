import type { PoolClient } from '../db/pool.js';
import { recordAudit } from './audit.js';

/** Statuses the citizen sees (000 §2). */
export type ApplicationStatus =
  'draft' | 'under_review' | 'discrepancy' | 'approved' | 'refused' | 'cancelled' | 'deleted';

/**
 * Moves an application to a new status and audits it, in the caller's transaction. Returns
 * false (and changes nothing) when it is not in one of the expected statuses — a retried job
 * that already did this, or a case that moved on (withdrawn) in the meantime.
 */
export async function changeStatus(
  tx: PoolClient,
  applicationId: string,
  from: ApplicationStatus[],
  to: ApplicationStatus,
  audit: {
    actor: string;
    action: string;
    legalGround?: string;
    reason?: string;
    at?: Date;
    extra?: Record<string, unknown>;
  },
  set: Record<string, unknown> = {},
): Promise<boolean> {
  const cols = Object.keys(set);
  const assignments = cols.map((c, i) => `${c} = $${i + 4}`);
  const { rows } = await tx.query<{ status: string }>(
    `UPDATE application a SET status = $2, updated_at = now()${assignments.length ? `, ${assignments.join(', ')}` : ''}
       FROM (SELECT id, status FROM application WHERE id = $1 FOR UPDATE) old
      WHERE a.id = old.id AND old.status = ANY($3)
      RETURNING old.status`,
    [applicationId, to, from, ...cols.map((c) => set[c])],
  );
  if (rows.length === 0) return false;
  await recordAudit(tx, {
    caseType: 'application',
    caseId: applicationId,
    actor: audit.actor,
    action: audit.action,
    legalGround: audit.legalGround,
    reason: audit.reason,
    before: { status: rows[0]!.status },
    after: { status: to, ...audit.extra },
  });
  return true;
}
