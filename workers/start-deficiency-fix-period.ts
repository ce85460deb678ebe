import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, toVariables } from '../src/cases/deadlines.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * 002 §2.5: the deficiencies are fixed "yazılı məlumatın alındığı gündən ən gec 7 iş günü
 * müddətində" — within 7 working days of the day the written notice is RECEIVED, not sent. The
 * receipt (the channel's delivery receipt: the cabinet read, a postal or hand-delivery receipt,
 * the Centre's) was recorded on the case; the period counts from that day (domain brief §8: from
 * the next day, to the end of the 7th working day). The date is computed once: a retried task
 * finds it and keeps it.
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'start-deficiency-fix-period',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    const notice = c.details.deficiencyNotice as
      | { receivedOn?: string; receivedVia?: string; fixUntil?: string; fixUntilAt?: string }
      | undefined;
    if (!notice?.receivedOn)
      throw new Error(`transfer case ${c.id}: no receipt of the deficiency notice is recorded`);
    if (notice.fixUntil && notice.fixUntilAt)
      return { fixUntil: notice.fixUntil, fixUntilAt: notice.fixUntilAt };
    const fix = toVariables(
      await deadlineFromEvent(pool, 'transfer-deficiency-fix', notice.receivedOn),
    );
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_case
            SET details = jsonb_set(details, '{deficiencyNotice}',
                  details->'deficiencyNotice' || jsonb_build_object('fixUntil', $2::text, 'fixUntilAt', $3::text))
          WHERE id = $1 AND NOT (details->'deficiencyNotice' ? 'fixUntil')`,
        [c.id, fix.dueDate, fix.dueAt],
      );
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId: c.id,
          actor: 'system:start-deficiency-fix-period',
          action: 'transfer-deficiency-fix-period-started',
          legalGround: fix.citation,
          after: { receivedOn: notice.receivedOn, via: notice.receivedVia, fixUntil: fix.dueDate },
        });
    });
    return { fixUntil: fix.dueDate, fixUntilAt: fix.dueAt };
  },
});
