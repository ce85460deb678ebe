import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, toVariables } from '../src/cases/deadlines.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import type { Deficiency } from '../src/domain/transfer.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Written notice of the correctable deficiencies, no later than 1 working day after the filing
 * (002 §2.5); the representative fixes them within 7 working days of receiving it. The notice
 * reaches the electronic cabinet the day it is sent, so that day is taken as the day it was
 * received and the 7 working days count from it (a notice by post would count from delivery).
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'notify-transfer-deficiency',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    const earlier = c.details.deficiencyNotice as
      { sentOn: string; fixUntil: string; fixUntilAt: string } | undefined;
    const sentOn = earlier?.sentOn ?? civilDateInBaku(job.engineTime);
    const fix = toVariables(await deadlineFromEvent(pool, 'transfer-deficiency-fix', sentOn));
    const items = (c.details.deficiencies as Deficiency[] | undefined) ?? [];
    const noticeDue = (c.details.deadlines as { deficiencyNoticeDue?: string } | undefined)
      ?.deficiencyNoticeDue;
    const notice = {
      sentOn,
      receivedOn: sentOn,
      receivedOnBasis: 'electronic cabinet: received the day it is sent (002 §2.5)',
      noticeDue,
      noticeInTime: !noticeDue || sentOn <= noticeDue,
      fixUntil: fix.dueDate,
      fixUntilAt: fix.dueAt,
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
          legalGround: fix.citation,
          after: { items: items.map((i) => i.kind), fixUntil: fix.dueDate, sentOn },
        });
    });
    return {
      fixUntil: fix.dueDate,
      fixUntilAt: fix.dueAt,
      waitlistNotice: {
        template: 'transfer-deficiency-notice',
        params: {
          noticeDate: sentOn,
          fixUntil: fix.dueDate,
          deficiencies: items.map((i) => `${i.kind} (${i.point}): ${i.message}`).join('; '),
        },
      },
    };
  },
});
