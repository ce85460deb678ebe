import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../src/cases/deadlines.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Opens the review: the 5-working-day review period runs from the registration (003 §5.5),
 * counted with the working-day calendar; the reviewer group is the registering body's.
 */
export default defineWorker<{ applicationId: string }, Record<string, unknown>>({
  taskType: 'start-review',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const { applicationId } = job.variables;
    const { rows } = await pool.query<{
      submitted_at: Date;
      registering_body: string;
      payment_intent: string | null;
      registration_number: number;
    }>(
      `SELECT submitted_at, registering_body, form->>'paymentIntent' AS payment_intent, registration_number
         FROM application WHERE id = $1`,
      [applicationId],
    );
    const app = rows[0];
    if (!app) throw new Error(`application ${applicationId} not found`);
    const deadline = toVariables(
      await deadlineFromEvent(pool, 'application-review', app.submitted_at),
    );
    const updated = await pool.query(
      `UPDATE application SET review_due_at = $2, process_instance_key = $3, updated_at = now()
        WHERE id = $1 AND review_due_at IS NULL`,
      [applicationId, deadline.dueAt, job.processInstanceKey],
    );
    if (updated.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'application',
        caseId: applicationId,
        actor: 'system:start-review',
        action: 'review-deadline-set',
        legalGround: deadline.citation,
        after: { reviewDueDate: deadline.dueDate },
      });
    }
    return {
      // every review task names its case the same way (see TaskInbox, escalate-overdue-review)
      caseId: applicationId,
      caseType: 'application',
      reviewDeadlineCitation: deadline.citation,
      registrationNumber: app.registration_number,
      reviewDueAt: deadline.dueAt,
      reviewFollowUpAt: await reviewFollowUpAt(pool, app.submitted_at, deadline),
      reviewDueDate: deadline.dueDate,
      reviewBody: `${app.registering_body}-reviewers`,
      paymentIntent: app.payment_intent ?? 'own_funds',
      reviewExtended: false,
      discrepancyRound: 0,
    };
  },
});
