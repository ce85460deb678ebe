import type { Pool, PoolClient } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import type { ApplicationOfFamily } from '../domain/once-only-right.js';
import { enqueueCancelInstance, enqueueMessage } from '../engine/messages.js';
import {
  requireComplete,
  requireDocumentDetails,
  type ApplicationForm,
  type FormProblem,
} from './application-form.js';
import { changeStatus } from './application-status.js';
import { recordAudit } from './audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from './deadlines.js';
import { currentDocuments } from './documents.js';
import { CaseError } from './errors.js';
import { onceByKey, type IdempotencyScope, type StoredAnswer } from './idempotency.js';

/** Messages between the portal and the processes (message events in workflows/). */
export const MESSAGES = {
  draftStarted: 'application-draft-started',
  submitted: 'application-submitted',
  draftCancelled: 'application-draft-cancelled',
  resubmitted: 'application-resubmitted',
} as const;

async function lockApplication(
  tx: PoolClient,
  id: string,
): Promise<{
  id: string;
  status: string;
  form: ApplicationForm;
  applicant_fin: string | null;
  process_instance_key: string | null;
  review_due_at: Date | null;
  registration_number: number | null;
}> {
  const { rows } = await tx.query(
    `SELECT id, status, form, applicant_fin, process_instance_key, review_due_at, registration_number FROM application WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0])
    throw new CaseError('not-found', `no application ${id}`, [
      { field: 'id', message: 'no such application' },
    ]);
  return rows[0] as never;
}

function syncedColumns(form: ApplicationForm): {
  spouseFin: string | null;
  category: number | null;
} {
  const spouse = form.spouse as { fin?: string } | undefined;
  return { spouseFin: spouse?.fin ?? null, category: form.category ?? null };
}

/**
 * Starts an application (status "draft", 000 §2): the draft process deletes it after 10 days
 * (legal_period 'draft-deletion', 000 §2.2) unless it is submitted first.
 */
export async function createDraft(
  pool: Pool,
  input: { applicantFin: string; form: ApplicationForm; registeringBody?: string },
  actor: string,
): Promise<DraftCreated> {
  return (await createDraftOnce(pool, input, actor)).body;
}

export interface DraftCreated {
  id: string;
  status: string;
  draftExpiresAt: string;
}

/**
 * createDraft with the portal's Idempotency-Key: a retried request with the same key (and the
 * same body) gets the draft of the first one, whose answer was lost, instead of a second draft.
 * Without a key every call makes a draft.
 */
export async function createDraftOnce(
  pool: Pool,
  input: { applicantFin: string; form: ApplicationForm; registeringBody?: string },
  actor: string,
  idempotency?: Omit<IdempotencyScope, 'operation' | 'request'>,
): Promise<StoredAnswer<DraftCreated>> {
  const expiry = toVariables(await deadlineFromEvent(pool, 'draft-deletion', new Date()));
  return inTransaction(pool, async (tx) => {
    const create = async () => ({
      status: 201,
      body: await insertDraft(tx, input, actor, expiry),
    });
    if (!idempotency) return { ...(await create()), replayed: false };
    return onceByKey(tx, { ...idempotency, operation: 'create-draft', request: input }, create);
  });
}

async function insertDraft(
  tx: PoolClient,
  input: { applicantFin: string; form: ApplicationForm; registeringBody?: string },
  actor: string,
  expiry: { dueAt: string; dueDate: string },
): Promise<DraftCreated> {
  const cols = syncedColumns(input.form);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO application (applicant_fin, spouse_fin, category, status, form, registering_body, draft_expires_at)
     VALUES ($1, $2, $3, 'draft', $4, $5, $6) RETURNING id`,
    [
      input.applicantFin,
      cols.spouseFin,
      cols.category,
      JSON.stringify(input.form),
      input.registeringBody ?? 'mida',
      expiry.dueAt,
    ],
  );
  const id = rows[0]!.id;
  await recordAudit(tx, {
    caseType: 'application',
    caseId: id,
    actor,
    action: 'draft-started',
    legalGround: '000 §2.2',
    after: { status: 'draft', draftExpiresDate: expiry.dueDate },
  });
  await enqueueMessage(tx, {
    name: MESSAGES.draftStarted,
    correlationKey: id,
    messageId: `${MESSAGES.draftStarted}:${id}`,
    variables: { applicationId: id, draftExpiresAt: expiry.dueAt },
  });
  return { id, status: 'draft', draftExpiresAt: expiry.dueAt };
}

/** Changes a draft's form (fields given replace those stored; null removes one). */
export async function updateDraft(
  pool: Pool,
  id: string,
  patch: ApplicationForm,
  actor: string,
): Promise<ApplicationForm> {
  return inTransaction(pool, async (tx) => {
    const app = await lockApplication(tx, id);
    if (app.status !== 'draft')
      throw new CaseError('conflict', `application is ${app.status}: only a draft can be edited`, [
        { field: 'status', message: `is ${app.status}` },
      ]);
    const form = mergeForm(app.form, patch);
    const cols = syncedColumns(form);
    await tx.query(
      `UPDATE application SET form = $2, spouse_fin = $3, category = $4, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(form), cols.spouseFin, cols.category],
    );
    await recordAudit(tx, {
      caseType: 'application',
      caseId: id,
      actor,
      action: 'draft-updated',
      after: { fields: Object.keys(patch) },
    });
    return form;
  });
}

function mergeForm(form: ApplicationForm, patch: ApplicationForm): ApplicationForm {
  const merged: Record<string, unknown> = { ...form };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = v;
  }
  return merged as ApplicationForm;
}

/**
 * What "sign and submit" requires (000 §2.1): the form with its category answers (2.1.5) and
 * every uploaded document with its issue date and issuer (2.1.10–2.1.11). Drafts stay lenient.
 */
async function submissionProblems(
  tx: PoolClient,
  id: string,
  form: ApplicationForm,
): Promise<FormProblem[]> {
  const documents = await currentDocuments(tx, id);
  return [
    ...requireComplete(
      form,
      documents.map((d) => d.kind),
    ),
    ...requireDocumentDetails(documents),
  ];
}

/** Another application of the same person or family that still uses the right (003 §2.2). */
async function familyConflict(
  tx: PoolClient,
  id: string,
  fins: string[],
): Promise<{ registrationNumber: number; field: string } | undefined> {
  const { rows } = await tx.query<{ registration_number: number; applicant_fin: string }>(
    `SELECT registration_number, applicant_fin FROM application
      WHERE id <> $1 AND status IN ('under_review', 'discrepancy', 'approved')
        AND (applicant_fin = ANY($2) OR spouse_fin = ANY($2))
      ORDER BY registration_number LIMIT 1`,
    [id, fins],
  );
  const r = rows[0];
  return r
    ? {
        registrationNumber: r.registration_number,
        field: fins[0] === r.applicant_fin ? 'applicantFin' : 'spouse.fin',
      }
    : undefined;
}

/** Statuses in which a submission still stands, so a repeated submit is answered as the first. */
const STANDING = ['under_review', 'discrepancy', 'approved', 'refused'];

/**
 * The next registration number (003 §5.5: a citizen's place in line), from the counter row in
 * the submitting transaction: the row lock orders concurrent submissions, and a submission that
 * rolls back — or dies with its connection or the server — takes its number back with it, so
 * numbers stay gapless (a sequence would skip). Taken last, just before the commit, to hold the
 * lock briefly.
 */
export async function nextRegistrationNumber(tx: PoolClient): Promise<number> {
  const { rows } = await tx.query<{ n: number | null }>(`SELECT next_registration_number() AS n`);
  if (!rows[0]?.n)
    throw new Error('registration_counter has no row for application (migration 121)');
  return rows[0].n;
}

/**
 * Sign and submit: the application is registered in real time with the next registration
 * number (003 §5.5); the review process starts and the draft process ends through the same
 * engine message, written in this transaction (outbox), so a crash keeps all of it or none.
 */
export async function submitApplication(
  pool: Pool,
  id: string,
  actor: string,
): Promise<{ id: string; registrationNumber: number; status: string }> {
  return inTransaction(pool, async (tx) => {
    const app = await lockApplication(tx, id);
    // A retried submission (the answer was lost) gets the first answer again: the same
    // registration number, nothing changed, nothing audited twice.
    if (app.registration_number !== null && STANDING.includes(app.status))
      return { id, registrationNumber: app.registration_number, status: 'under_review' };
    if (app.status !== 'draft')
      throw new CaseError(
        'conflict',
        `application is ${app.status}: only a draft can be submitted`,
        [{ field: 'status', message: `is ${app.status}` }],
      );
    const problems = await submissionProblems(tx, id, app.form);
    if (problems.length)
      throw new CaseError('invalid', 'the application is not complete', problems);
    const cols = syncedColumns(app.form);
    const fins = [app.applicant_fin, cols.spouseFin].filter((f): f is string => !!f);
    const conflict = await familyConflict(tx, id, fins);
    if (conflict) {
      throw new CaseError(
        'conflict',
        `the right can be used once per person or family (003 §2.2): application No. ${conflict.registrationNumber} already uses it`,
        [
          {
            field: conflict.field,
            message: `already in application No. ${conflict.registrationNumber}`,
          },
        ],
      );
    }
    const registrationNumber = await nextRegistrationNumber(tx);
    await tx.query(
      `UPDATE application SET registration_number = $2,
              status = 'under_review', submitted_at = now(), updated_at = now()
        WHERE id = $1`,
      [id, registrationNumber],
    );
    await recordAudit(tx, {
      caseType: 'application',
      caseId: id,
      actor,
      action: 'submitted',
      legalGround: '003 §5.5',
      before: { status: 'draft' },
      after: { status: 'under_review', registrationNumber },
    });
    await enqueueMessage(tx, {
      name: MESSAGES.submitted,
      correlationKey: id,
      messageId: `${MESSAGES.submitted}:${id}`,
      variables: { applicationId: id, registrationNumber },
    });
    return { id, registrationNumber, status: 'under_review' };
  });
}

/** The process variables of a review period after a discrepancy round (000 §2.4, 003 §5.5). */
export interface ReviewPeriodVariables {
  reviewDueAt: string;
  reviewDueDate: string;
  reviewFollowUpAt: string;
  reviewDeadlineCitation: string;
}

/**
 * The review period a discrepancy round's end opens (legal_period 'discrepancy-review'): from a
 * resubmission, or from the lapse of its deadline when a reviewer decides on the file as it
 * stands. Counted from that day with the working-day calendar; the follow-up as for any review.
 */
export async function resubmissionReviewPeriod(
  pool: Pool,
  from: Date,
): Promise<ReviewPeriodVariables> {
  const due = toVariables(await deadlineFromEvent(pool, 'discrepancy-review', from));
  return {
    reviewDueAt: due.dueAt,
    reviewDueDate: due.dueDate,
    reviewFollowUpAt: await reviewFollowUpAt(pool, from, due),
    reviewDeadlineCitation: due.citation,
  };
}

/**
 * Resubmission after a discrepancy (000 §2.4): only while the round's deadline runs; the
 * applicant signs again, the form changes given are applied, and the case goes back to the
 * checks (message to the waiting discrepancy process).
 */
export async function resubmitApplication(
  pool: Pool,
  id: string,
  patch: ApplicationForm,
  actor: string,
  now = new Date(),
): Promise<{ status: string; round: number }> {
  return inTransaction(pool, async (tx) => {
    const app = await lockApplication(tx, id);
    if (app.status !== 'discrepancy')
      throw new CaseError(
        'conflict',
        `application is ${app.status}: only an application with a discrepancy can be resubmitted`,
        [{ field: 'status', message: `is ${app.status}` }],
      );
    const round = await tx.query<{ round: number; due_at: Date }>(
      `SELECT round, due_at FROM discrepancy_round WHERE application_id = $1 AND resubmitted_at IS NULL AND lapsed_at IS NULL ORDER BY round DESC LIMIT 1`,
      [id],
    );
    const open = round.rows[0];
    if (!open)
      throw new CaseError('conflict', 'no open discrepancy round', [
        { field: 'status', message: 'no open round' },
      ]);
    if (now > open.due_at)
      throw new CaseError(
        'conflict',
        `the resubmission deadline passed on ${open.due_at.toISOString()}`,
        [{ field: 'status', message: 'deadline passed' }],
      );
    const form = mergeForm(app.form, patch);
    const problems = await submissionProblems(tx, id, form);
    if (problems.length)
      throw new CaseError('invalid', 'the application is not complete', problems);
    const cols = syncedColumns(form);
    // 000 §2.4 with 003 §5.5: the resubmission opens a new review period (legal_period
    // 'discrepancy-review'), counted from the resubmission day; the first one has run out.
    const review = await resubmissionReviewPeriod(pool, now);
    await tx.query(
      `UPDATE application SET form = $2, spouse_fin = $3, category = $4, status = 'under_review',
              review_due_at = $5, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(form), cols.spouseFin, cols.category, review.reviewDueAt],
    );
    await recordAudit(tx, {
      caseType: 'application',
      caseId: id,
      actor,
      action: 'resubmitted',
      legalGround: review.reviewDeadlineCitation,
      before: { status: 'discrepancy', reviewDueAt: app.review_due_at },
      after: {
        status: 'under_review',
        round: open.round,
        fields: Object.keys(patch),
        reviewDueDate: review.reviewDueDate,
      },
    });
    await enqueueMessage(tx, {
      name: MESSAGES.resubmitted,
      correlationKey: id,
      messageId: `${MESSAGES.resubmitted}:${id}:${open.round}`,
      // the new period travels with the message into the waiting round and back to the review
      variables: { ...review },
    });
    return { status: 'under_review', round: open.round };
  });
}

/**
 * The citizen deletes a draft (its data goes at once) or withdraws a submitted application
 * (its review process is cancelled and open review tasks closed).
 */
export async function cancelApplication(
  pool: Pool,
  id: string,
  actor: string,
): Promise<{ status: string }> {
  return inTransaction(pool, async (tx) => {
    const app = await lockApplication(tx, id);
    if (app.status === 'draft') {
      await changeStatus(
        tx,
        id,
        ['draft'],
        'deleted',
        { actor, action: 'draft-deleted-by-citizen', legalGround: '000 §2.2' },
        { form: '{}', applicant_fin: null, spouse_fin: null },
      );
      await tx.query(`DELETE FROM application_document WHERE application_id = $1`, [id]);
      await enqueueMessage(tx, {
        name: MESSAGES.draftCancelled,
        correlationKey: id,
        messageId: `${MESSAGES.draftCancelled}:${id}`,
        variables: {},
      });
      return { status: 'deleted' };
    }
    if (app.status === 'under_review' || app.status === 'discrepancy') {
      if (!app.process_instance_key)
        throw new CaseError('conflict', 'the review is still starting; try again in a moment', [
          { field: 'status', message: 'starting' },
        ]);
      await changeStatus(tx, id, ['under_review', 'discrepancy'], 'cancelled', {
        actor,
        action: 'withdrawn',
      });
      // Out of the inbox at once; the engine closes the task (completed_at, cancelled) when the
      // outbox cancels the instance.
      await tx.query(
        `UPDATE review_task SET outcome = 'withdrawn' WHERE case_id = $1 AND case_type = 'application' AND completed_at IS NULL AND outcome IS NULL`,
        [id],
      );
      await enqueueCancelInstance(tx, {
        processInstanceKey: app.process_instance_key,
        commandId: `cancel:${id}`,
      });
      return { status: 'cancelled' };
    }
    throw new CaseError('conflict', `application is ${app.status}: it can no longer be cancelled`, [
      { field: 'status', message: `is ${app.status}` },
    ]);
  });
}

export interface ApplicationView {
  id: string;
  status: string;
  registrationNumber: number | null;
  category: number | null;
  submittedAt: string | null;
  draftExpiresAt: string | null;
  reviewDueAt: string | null;
  decidedAt: string | null;
  processInstanceKey: string | null;
  form: ApplicationForm;
  documents: {
    id: string;
    kind: string;
    contentType: string;
    sizeBytes: number;
    uploadedAt: string;
  }[];
  checks: {
    name: string;
    passed: boolean;
    legalGround: string;
    detail: unknown;
    checkedAt: string;
  }[];
  /** the open discrepancy round: "fix by DATE" with the reviewer's comments (000 §2.4) */
  discrepancy: { round: number; dueDate: string; dueAt: string; items: unknown[] } | null;
  /** the latest decision with its ground (reasoned decision, domain brief §8) */
  decision: {
    outcome: string;
    legalGround: string;
    citation: string;
    reason: string;
    decidedAt: string;
  } | null;
}

/** The citizen's view of the application (statuses of 000 §2). */
export async function getApplication(pool: Pool, id: string): Promise<ApplicationView | undefined> {
  const { rows } = await pool.query(
    `SELECT id, status, registration_number AS "registrationNumber", category, submitted_at AS "submittedAt",
            draft_expires_at AS "draftExpiresAt", review_due_at AS "reviewDueAt", decided_at AS "decidedAt",
            process_instance_key AS "processInstanceKey", form
       FROM application WHERE id = $1`,
    [id],
  );
  const app = rows[0] as
    Omit<ApplicationView, 'checks' | 'documents' | 'discrepancy' | 'decision'> | undefined;
  if (!app) return undefined;
  const [checks, documents, round, decision] = await Promise.all([
    pool.query(
      `SELECT check_name AS name, passed, legal_ground AS "legalGround", detail, checked_at AS "checkedAt"
         FROM automated_check WHERE application_id = $1 ORDER BY check_name`,
      [id],
    ),
    pool.query(
      `SELECT id, kind, content_type AS "contentType", size_bytes AS "sizeBytes", uploaded_at AS "uploadedAt"
         FROM application_document WHERE application_id = $1 AND replaced_at IS NULL ORDER BY uploaded_at`,
      [id],
    ),
    pool.query(
      `SELECT round, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", due_at AS "dueAt", items FROM discrepancy_round
        WHERE application_id = $1 AND resubmitted_at IS NULL AND lapsed_at IS NULL ORDER BY round DESC LIMIT 1`,
      [id],
    ),
    pool.query(
      `SELECT d.outcome, d.legal_ground AS "legalGround", g.citation, d.reason, d.decided_at AS "decidedAt"
         FROM decision d JOIN legal_ground g ON g.code = d.legal_ground
        WHERE d.application_id = $1 ORDER BY d.decided_at DESC LIMIT 1`,
      [id],
    ),
  ]);
  return {
    ...app,
    checks: checks.rows as ApplicationView['checks'],
    documents: documents.rows as ApplicationView['documents'],
    discrepancy:
      app.status === 'discrepancy'
        ? ((round.rows[0] as ApplicationView['discrepancy']) ?? null)
        : null,
    decision: (decision.rows[0] as ApplicationView['decision']) ?? null,
  };
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

/**
 * Records an automated check (upsert: a retried job overwrites, not duplicates) and its audit
 * entry in one statement, so both or neither are written; with `applicant`, the identity
 * registry's name and date of birth go onto the application in the same statement. One round
 * trip instead of a transaction of four or five: every application runs five checks.
 */
export async function recordCheckWithAudit(
  db: Pool | PoolClient,
  applicationId: string,
  check: { name: string; passed: boolean; legalGround: string; detail: unknown },
  audit: { actor: string; action: string; after: unknown },
  applicant?: { name: unknown; birthDate: string },
): Promise<void> {
  await db.query(
    `WITH checked AS (
       INSERT INTO automated_check (application_id, check_name, passed, legal_ground, detail, checked_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (application_id, check_name)
       DO UPDATE SET passed = EXCLUDED.passed, legal_ground = EXCLUDED.legal_ground,
                     detail = EXCLUDED.detail, checked_at = EXCLUDED.checked_at
       RETURNING application_id
     ), named AS (
       UPDATE application SET applicant_name = $9, applicant_birth_date = $10
        WHERE id = $1 AND $11::boolean
       RETURNING id
     )
     INSERT INTO audit_event (case_type, case_id, actor, action, legal_ground, after)
     VALUES ('application', $6, $7, $8, $4, $12)`,
    [
      applicationId,
      check.name,
      check.passed,
      check.legalGround,
      JSON.stringify(check.detail),
      applicationId,
      audit.actor,
      audit.action,
      applicant ? JSON.stringify(applicant.name) : null,
      applicant?.birthDate ?? null,
      !!applicant,
      JSON.stringify(audit.after),
    ],
  );
}
