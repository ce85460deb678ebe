import { recordAudit } from '../src/cases/audit.js';
import { loadWaitlistCase, type WaitlistNotice } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';
import { enqueueNotice } from '../src/notify/outbox.js';
import type { NoticeTemplateName } from '../src/notify/templates.js';

/**
 * Delivers a waitlist decision (51.6, 53.3, 55.2: within 3 working days): the electronic cabinet
 * of the person by FIN, and the e-mail / phone given with the case. The idempotency key is the
 * task instance, so a retried job queues nothing twice.
 */
export default defineWorker<
  { caseId: string; waitlistNotice: WaitlistNotice },
  Record<string, never>
>({
  taskType: 'deliver-waitlist-notice',
  fetchVariables: ['caseId', 'waitlistNotice'],
  async handle(job, { pool, log }) {
    const { caseId, waitlistNotice } = job.variables;
    await inTransaction(pool, async (tx) => {
      const c = await loadWaitlistCase(tx, caseId);
      const contact =
        (c.details.contact as { email?: string; phone?: string; lang?: 'az' | 'en' } | undefined) ??
        {};
      const channels: ('cabinet' | 'email' | 'sms')[] = [];
      if (c.applicant_fin) channels.push('cabinet');
      if (contact.email) channels.push('email');
      if (contact.phone) channels.push('sms');
      if (channels.length === 0) {
        log.warn({ caseId }, 'no recipient address for a waitlist notice: left for operators');
        return;
      }
      const { inserted } = await enqueueNotice(tx, {
        idempotencyKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
        caseType: 'waitlist-case',
        caseId,
        recipient: {
          cabinetFin: c.applicant_fin ?? undefined,
          email: contact.email,
          phone: contact.phone,
          lang: contact.lang,
        },
        template: waitlistNotice.template as NoticeTemplateName,
        params: waitlistNotice.params,
        channels,
      });
      if (inserted > 0) {
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:deliver-waitlist-notice',
          action: 'notice-queued',
          after: { template: waitlistNotice.template, channels },
        });
      }
    });
    return {};
  },
});
