import type { Pool, PoolClient } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import type { ApplicationOfFamily } from '../domain/once-only-right.js';
import { enqueueMessage } from '../engine/outbox.js';
import { recordAudit } from './audit.js';

/** The message that starts application review (message start event in application-review.bpmn). */
export const APPLICATION_SUBMITTED_MESSAGE = 'application-submitted';

export interface SubmittedApplicationInput {
  applicantFin: string;
  spouseFin?: string | null;
  category: number;
}

export interface ApplicationView {
  id: string;
  registrationNumber: number;
  status: string;
  category: number;
  submittedAt: string;
  processInstanceKey: string | null;
  checks: {
    name: string;
    passed: boolean;
    legalGround: string;
    detail: unknown;
    checkedAt: string;
  }[];
}

/**
 * Sign-and-submit: the application is registered in real time with the next registration
 * number (003 §5.5), audited, and the review process is started through the outbox, all in
 * one transaction, so a crash either keeps all of it or none.
 */
export async function submitApplication(
  pool: Pool,
  input: SubmittedApplicationInput,
  actor: string,
): Promise<{ id: string; registrationNumber: number; status: string }> {
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string; registration_number: number; status: string }>(
      `INSERT INTO application (registration_number, applicant_fin, spouse_fin, category, status, submitted_at)
       VALUES (nextval('application_registration_number_seq'), $1, $2, $3, 'under_review', now())
       RETURNING id, registration_number, status`,
      [input.applicantFin, input.spouseFin ?? null, input.category],
    );
    const row = rows[0]!;
    await recordAudit(tx, {
      caseType: 'application',
      caseId: row.id,
      actor,
      action: 'submitted',
      legalGround: '003 §5.5',
      after: { status: row.status, registrationNumber: row.registration_number },
    });
    await enqueueMessage(tx, {
      name: APPLICATION_SUBMITTED_MESSAGE,
      correlationKey: row.id,
      messageId: `${APPLICATION_SUBMITTED_MESSAGE}:${row.id}`,
      variables: { applicationId: row.id, registrationNumber: row.registration_number },
    });
    return { id: row.id, registrationNumber: row.registration_number, status: row.status };
  });
}

export async function getApplication(pool: Pool, id: string): Promise<ApplicationView | undefined> {
  const { rows } = await pool.query(
    `SELECT id, registration_number AS "registrationNumber", status, category,
            submitted_at AS "submittedAt", process_instance_key AS "processInstanceKey"
       FROM application WHERE id = $1`,
    [id],
  );
  const app = rows[0] as Omit<ApplicationView, 'checks'> | undefined;
  if (!app) return undefined;
  const checks = await pool.query(
    `SELECT check_name AS name, passed, legal_ground AS "legalGround", detail, checked_at AS "checkedAt"
       FROM automated_check WHERE application_id = $1 ORDER BY check_name`,
    [id],
  );
  return { ...app, checks: checks.rows as ApplicationView['checks'] };
}

/** The application and every other application that shares a family member with it. */
export async function loadFamilyApplications(
  db: Pool | PoolClient,
  id: string,
): Promise<{ application: ApplicationOfFamily; others: ApplicationOfFamily[] } | undefined> {
  const cols = `id, registration_number AS "registrationNumber", applicant_fin AS "applicantFin",
                spouse_fin AS "spouseFin", status`;
  const own = await db.query<ApplicationOfFamily>(`SELECT ${cols} FROM application WHERE id = $1`, [
    id,
  ]);
  const application = own.rows[0];
  if (!application) return undefined;
  const fins = [application.applicantFin, application.spouseFin].filter((f): f is string => !!f);
  const others = await db.query<ApplicationOfFamily>(
    `SELECT ${cols} FROM application
      WHERE id <> $1 AND (applicant_fin = ANY($2) OR spouse_fin = ANY($2))`,
    [id, fins],
  );
  return { application, others: others.rows };
}

export async function recordCheck(
  tx: PoolClient,
  applicationId: string,
  check: { name: string; passed: boolean; legalGround: string; detail: unknown },
): Promise<void> {
  // Upsert: a retried job (after a crash between write and completion) overwrites, not duplicates.
  await tx.query(
    `INSERT INTO automated_check (application_id, check_name, passed, legal_ground, detail, checked_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (application_id, check_name)
     DO UPDATE SET passed = EXCLUDED.passed, legal_ground = EXCLUDED.legal_ground,
                   detail = EXCLUDED.detail, checked_at = EXCLUDED.checked_at`,
    [applicationId, check.name, check.passed, check.legalGround, JSON.stringify(check.detail)],
  );
}

export async function linkProcessInstance(
  tx: PoolClient,
  applicationId: string,
  processInstanceKey: string,
): Promise<void> {
  await tx.query(
    `UPDATE application SET process_instance_key = $2, updated_at = now()
      WHERE id = $1 AND process_instance_key IS DISTINCT FROM $2`,
    [applicationId, processInstanceKey],
  );
}
