import type { Pool, PoolClient } from '../db/pool.js';

export interface AuditEntry {
  caseType: string;
  caseId: string;
  /** who: a user id, or `system:<component>` for automated steps */
  actor: string;
  action: string;
  legalGround?: string;
  reason?: string;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit trail; call inside the transaction that makes the change. */
export async function recordAudit(db: Pool | PoolClient, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_event (case_type, case_id, actor, action, legal_ground, reason, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.caseType,
      e.caseId,
      e.actor,
      e.action,
      e.legalGround ?? null,
      e.reason ?? null,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
    ],
  );
}

export interface AuditRecord {
  actor: string;
  action: string;
  legalGround: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

export async function auditTrail(
  db: Pool,
  caseType: string,
  caseId: string,
): Promise<AuditRecord[]> {
  const { rows } = await db.query(
    `SELECT actor, action, legal_ground AS "legalGround", reason, before, after, at
       FROM audit_event WHERE case_type = $1 AND case_id = $2 ORDER BY at, id`,
    [caseType, caseId],
  );
  return rows as AuditRecord[];
}
