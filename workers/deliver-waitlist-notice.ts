import { recordAudit } from '../src/cases/audit.js';
import { recordNoticeDelivery, waitlistDecisionDay } from '../src/cases/notice-delivery.js';
import { loadWaitlistCase, type WaitlistNotice } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';
import { enqueueNotice } from '../src/notify/outbox.js';
import type { NoticeTemplateName } from '../src/notify/templates.js';

/**
 * Delivers a waitlist decision (51.6, 53.3, 55.2: within 3 working days): the electronic cabinet
 * of the person by FIN, and the e-mail / phone given with the case. The delivery is tracked with
 * its due date (legal_period, calendar); a person with no address gets the paper route — a
 * postal delivery operators mark delivered. The idempotency key is the task instance, so a
 * retried job queues and records nothing twice.
 */
export default defineWorker<
  { caseId: string; waitlistNotice: WaitlistNotice },
  Record<string, never>
>({
  taskType: 'deliver-waitlist-notice',
  fetchVariables: ['caseId', 'waitlistNotice'],
  async handle(job, { pool, log }) {
    const { caseId, waitlistNotice } = job.variables;
    const decidedOn = await waitlistDecisionDay(pool, caseId, job.engineTime);
    const idempotencyKey = `${job.processInstanceKey}:${job.elementInstanceKey}`;
    await inTransaction(pool, async (tx) => {
      const c = await loadWaitlistCase(tx, caseId);
      const contact =
        (c.details.contact as { email?: string; phone?: string; lang?: 'az' | 'en' } | undefined) ??
        {};
      const channels: ('cabinet' | 'email' | 'sms')[] = [];
      if (c.applicant_fin) channels.push('cabinet');
      if (contact.email) channels.push('email');
      if (contact.phone) channels.push('sms');
      const template = waitlistNotice.template as NoticeTemplateName;
      const delivery = await recordNoticeDelivery(pool, tx, {
        idempotencyKey,
        caseType: 'waitlist-case',
        caseId,
        template,
        params: waitlistNotice.params,
        lang: contact.lang,
        channels,
        decidedOn,
      });
      if (channels.length === 0) {
        log.warn(
          { caseId, deliveryId: delivery?.id },
          'no recipient address: paper delivery opened',
        );
        return;
      }
      const { inserted } = await enqueueNotice(tx, {
        idempotencyKey,
        caseType: 'waitlist-case',
        caseId,
        recipient: {
          cabinetFin: c.applicant_fin ?? undefined,
          email: contact.email,
          phone: contact.phone,
          lang: contact.lang,
        },
        template,
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
