import { recordAudit } from '../src/cases/audit.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import type { Deficiency } from '../src/domain/transfer.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Written notice of the correctable deficiencies, no later than 1 working day after the filing
 * (002 §2.5). The representative fixes them within 7 working days of the day the notice is
 * RECEIVED ("yazılı məlumatın alındığı gündən"), which sending does not prove: the period starts
 * only when the channel's receipt is recorded (start-deficiency-fix-period).
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'notify-transfer-deficiency',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    const earlier = c.details.deficiencyNotice as { sentOn: string } | undefined;
    const sentOn = earlier?.sentOn ?? civilDateInBaku(job.engineTime);
    const items = (c.details.deficiencies as Deficiency[] | undefined) ?? [];
    const noticeDue = (c.details.deadlines as { deficiencyNoticeDue?: string } | undefined)
      ?.deficiencyNoticeDue;
    const notice = {
      sentOn,
      // set by the receipt (POST …/deficiency-notice-received); until then no fix period runs
      receivedOn: null,
      noticeDue,
      noticeInTime: !noticeDue || sentOn <= noticeDue,
    };
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_case SET status = 'deficiency-notified',
                details = details || jsonb_build_object('deficiencyNotice', $2::jsonb)
          WHERE id = $1 AND NOT (details ? 'deficiencyNotice')`,
        [c.id, JSON.stringify(notice)],
      );
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId: c.id,
          actor: 'system:notify-transfer-deficiency',
          action: 'transfer-deficiency-notified',
          legalGround: '002 §2.5',
          after: { items: items.map((i) => i.kind), sentOn },
        });
    });
    return {
      waitlistNotice: {
        template: 'transfer-deficiency-notice',
        params: {
          noticeDate: sentOn,
          deficiencies: items.map((i) => `${i.kind} (${i.point}): ${i.message}`).join('; '),
        },
      },
    };
  },
});
