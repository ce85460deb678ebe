import { as } from './auth.js';
import type { TestStack } from './stack.js';
import { eventually } from './stack.js';

/** A complete form for a single applicant in category 9 (≥ 15 years civil service, open to anyone). */
export function completeForm(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    maritalStatus: 'single',
    category: 9,
    registrationAddress: 'Bakı ş., Nəsimi r., Sınaq küç. 1, m. 2',
    mobilePhone: { operatorCode: '50', number: '5550101' },
    email: 'vetendas@example.az',
    smsOptIn: true,
    rooms: 2,
    paymentIntent: 'own_funds',
    lang: 'az',
    ...over,
  };
}

export const SIGNED = { consentToRegistryQueries: true, confirmsDataTrue: true };

export const REVIEWER = as('reviewer-1');

export async function createDraft(
  t: TestStack,
  applicantFin: string,
  form: Record<string, unknown>,
): Promise<{ id: string; draftExpiresAt: string }> {
  const res = await t.api('/api/v1/applications', { body: { applicantFin, form } });
  if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Draft + sign and submit; returns the application id and registration number. */
export async function submitNew(
  t: TestStack,
  applicantFin: string,
  form: Record<string, unknown> = completeForm(),
): Promise<{ id: string; registrationNumber: number }> {
  const { id } = await createDraft(t, applicantFin, form);
  const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
  if (res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return { id, registrationNumber: res.body.registrationNumber };
}

/**
 * Waits for the open review task of a case (an application, or a waitlist case) to reach the
 * reviewers' inbox.
 */
export async function openTaskOf(
  t: TestStack,
  caseId: string,
  timeoutMs = 30_000,
): Promise<{ taskId: string; dueAt: string }> {
  return eventually(async () => {
    const { rows } = await t.stack.db.pool.query(
      `SELECT task_id AS "taskId", due_at AS "dueAt" FROM review_task
        WHERE case_id = $1 AND completed_at IS NULL AND outcome IS NULL`,
      [caseId],
    );
    return rows[0];
  }, timeoutMs);
}

export async function statusOf(t: TestStack, id: string): Promise<Record<string, any>> {
  return (await t.api(`/api/v1/applications/${id}`)).body;
}

export async function waitForStatus(
  t: TestStack,
  id: string,
  status: string,
  timeoutMs = 30_000,
): Promise<Record<string, any>> {
  return eventually(async () => {
    const app = await statusOf(t, id);
    return app.status === status ? app : undefined;
  }, timeoutMs);
}

/** Waits until every queued engine command has been delivered. */
export async function outboxDrained(t: TestStack): Promise<void> {
  await eventually(async () => {
    const { rows } = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM engine_outbox WHERE published_at IS NULL`,
    );
    return rows[0].n === 0;
  });
}

export async function decide(t: TestStack, taskId: string, body: Record<string, unknown>) {
  return t.api(`/api/v1/review-tasks/${taskId}/decision`, { body, headers: REVIEWER });
}
