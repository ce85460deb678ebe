import { z } from 'zod';
import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';
import { noticeContact, type ApplicationContactRow } from '../src/notify/contact.js';
import { enqueueNotice } from '../src/notify/outbox.js';
import { NOTICE_TEMPLATES, NOTICE_TEMPLATE_NAMES } from '../src/notify/templates.js';

const variables = z.object({
  applicationId: z.uuid(),
  noticeTemplate: z.enum(NOTICE_TEMPLATE_NAMES),
  noticeParams: z.record(z.string(), z.unknown()).default({}),
});

type Row = ApplicationContactRow;
export { noticeContact };

const present = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

/**
 * What the application row already knows, so a model need not pass it; the process's
 * noticeParams take precedence (a null from the process does not blank a known value).
 */
export function paramsFromApplication(app: Row): Record<string, unknown> {
  return present({
    registrationNumber: app.registration_number,
    registeredAt: app.submitted_at,
    reviewDueDate: app.review_due_at,
    newDueDate: app.review_due_at,
    decisionDate: app.decided_at,
    startedAt: app.created_at,
  });
}

/**
 * Queues a notice to the applicant; the notice dispatcher sends it. Never sends directly: the
 * outbox row is written in this transaction, keyed by the task instance, so a retried job
 * stores the same notice again as a no-op and nothing goes out twice.
 */
export default defineWorker<z.input<typeof variables>, Record<string, never>>({
  taskType: 'send-notice',
  fetchVariables: ['applicationId', 'noticeTemplate', 'noticeParams'],
  async handle(job, { pool, log }) {
    const parsed = variables.safeParse(job.variables);
    if (!parsed.success) {
      const names = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
      throw new Error(`variables missing or invalid: ${names.join(', ')}`);
    }
    const { applicationId, noticeTemplate, noticeParams } = parsed.data;
    if (NOTICE_TEMPLATES[noticeTemplate].audience !== 'applicant') {
      throw new Error(`notice template "${noticeTemplate}" is not addressed to the applicant`);
    }
    return inTransaction(pool, async (tx) => {
      // to_jsonb: columns that a later migration adds (form, notify_*) are read when present.
      const { rows } = await tx.query<{ app: Row }>(
        `SELECT to_jsonb(a) AS app FROM application a WHERE id = $1`,
        [applicationId],
      );
      const app = rows[0]?.app;
      if (!app) throw new Error(`application ${applicationId} not found`);
      const { recipient, channels } = noticeContact(app);
      const result = await enqueueNotice(tx, {
        // Stable across retries of this job, unique per task instance.
        idempotencyKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
        caseType: 'application',
        caseId: applicationId,
        recipient,
        template: noticeTemplate,
        params: { ...paramsFromApplication(app), ...present(noticeParams) },
        channels,
      });
      if (result.inserted > 0) {
        await recordAudit(tx, {
          caseType: 'application',
          caseId: applicationId,
          actor: 'system:send-notice',
          action: 'notice-queued',
          legalGround: NOTICE_TEMPLATES[noticeTemplate].legalGround,
          after: { template: noticeTemplate, channels, noticeIds: result.ids },
        });
      }
      log.info(
        { applicationId, template: noticeTemplate, channels, noticeIds: result.ids },
        result.inserted > 0 ? 'notice queued' : 'notice already queued',
      );
      return {};
    });
  },
});
