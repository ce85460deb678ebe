import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent } from '../src/cases/deadlines.js';
import type { TransferDetails } from '../src/cases/transfer.js';
import { loadWaitlistCase, type WaitlistNotice } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';
import { enqueueNotice } from '../src/notify/outbox.js';
import type { NoticeTemplateName } from '../src/notify/templates.js';

const DECISION_TEMPLATES = new Set(['transfer-granted', 'transfer-refused']);

/**
 * Delivers a transfer notice to the representative (electronic cabinet, and the e-mail / phone of
 * the application) and to every adult family member who signed the representation statement
 * (their cabinets). A decision's copy is due within 3 working days (002 §2.6, §3.3): the worker
 * records the deadline and the channel the application chose for the paper copy — in person, by
 * post or via the Centre. Idempotent per task instance and recipient.
 */
export default defineWorker<
  { caseId: string; waitlistNotice: WaitlistNotice },
  Record<string, never>
>({
  taskType: 'deliver-transfer-notice',
  fetchVariables: ['caseId', 'waitlistNotice'],
  async handle(job, { pool, log }) {
    const { caseId, waitlistNotice } = job.variables;
    const isDecision = DECISION_TEMPLATES.has(waitlistNotice.template);
    const today = civilDateInBaku(job.engineTime);
    const copyDue = isDecision
      ? (await deadlineFromEvent(pool, 'transfer-decision-copy', today)).dueDate
      : null;
    await inTransaction(pool, async (tx) => {
      const c = await loadWaitlistCase(tx, caseId);
      const d = c.details as TransferDetails;
      const signatories = await tx.query<{ fin: string }>(
        `SELECT fin FROM transfer_signatory WHERE case_id = $1 AND NOT representative AND adult AND signed AND fin IS NOT NULL ORDER BY id`,
        [caseId],
      );
      const contact = d.contact ?? {};
      const recipients: {
        key: string;
        cabinetFin?: string;
        email?: string;
        phone?: string;
        channels: ('cabinet' | 'email' | 'sms')[];
      }[] = [];
      const repChannels: ('cabinet' | 'email' | 'sms')[] = [];
      if (c.applicant_fin) repChannels.push('cabinet');
      if (contact.email) repChannels.push('email');
      if (contact.phone) repChannels.push('sms');
      if (repChannels.length)
        recipients.push({
          key: 'representative',
          cabinetFin: c.applicant_fin ?? undefined,
          email: contact.email,
          phone: contact.phone,
          channels: repChannels,
        });
      signatories.rows.forEach((s, i) =>
        recipients.push({ key: `signatory-${i + 1}`, cabinetFin: s.fin, channels: ['cabinet'] }),
      );
      if (recipients.length === 0) {
        log.warn({ caseId }, 'no recipient address for a transfer notice: left for operators');
        return;
      }
      let inserted = 0;
      for (const r of recipients) {
        const res = await enqueueNotice(tx, {
          idempotencyKey: `${job.processInstanceKey}:${job.elementInstanceKey}:${r.key}`,
          caseType: 'waitlist-case',
          caseId,
          recipient: {
            cabinetFin: r.cabinetFin,
            email: r.email,
            phone: r.phone,
            lang: contact.lang,
          },
          template: waitlistNotice.template as NoticeTemplateName,
          params: waitlistNotice.params,
          channels: r.channels,
        });
        inserted += res.inserted;
      }
      if (inserted > 0) {
        const copy = isDecision
          ? {
              channel: d.decisionCopyChannel,
              dueDate: copyDue,
              sentOn: today,
              recipients: recipients.length,
            }
          : null;
        if (copy)
          await tx.query(
            `UPDATE waitlist_case SET details = details || jsonb_build_object('decisionCopy', $2::jsonb) WHERE id = $1`,
            [caseId, JSON.stringify(copy)],
          );
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:deliver-transfer-notice',
          action: isDecision ? 'decision-copy-sent' : 'notice-queued',
          legalGround: isDecision ? '002 §2.6, §3.3' : '002 §2.5',
          after: {
            template: waitlistNotice.template,
            recipients: recipients.map((r) => r.key),
            ...(copy ? { channel: copy.channel, dueDate: copy.dueDate } : {}),
          },
        });
      }
    });
    return {};
  },
});
