import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../src/cases/deadlines.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { defineWorker } from '../src/engine/worker.js';

/** The decision is due within 30 working days of the documents (Housing Code 51.5). */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'open-waitlist-registration',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    if (!c.documents_received_on) throw new Error('the case has no documents date');
    const deadline = toVariables(
      await deadlineFromEvent(pool, 'waitlist-registration-decision', c.documents_received_on),
    );
    const res = await pool.query(
      `UPDATE waitlist_case SET decision_due_at = $2, process_instance_key = $3, status = 'under_review'
        WHERE id = $1 AND decision_due_at IS NULL`,
      [c.id, deadline.dueAt, job.processInstanceKey],
    );
    if (res.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'waitlist-case',
        caseId: c.id,
        actor: 'system:open-waitlist-registration',
        action: 'decision-deadline-set',
        legalGround: deadline.citation,
        after: { dueDate: deadline.dueDate },
      });
    }
    return {
      reviewDueAt: deadline.dueAt,
      reviewFollowUpAt: await reviewFollowUpAt(pool, c.documents_received_on, deadline),
      reviewDueDate: deadline.dueDate,
      reviewBody: c.body_code,
      reviewDeadlineCitation: deadline.citation,
    };
  },
});
