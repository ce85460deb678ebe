import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../src/cases/deadlines.js';
import { applicationsInWindow } from '../src/cases/transfer-hold.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * The family's in-time transfer application was refused and not cured (002 §3.1, §3.4): the
 * removal case resumes — not as a system removal but with a reviewer's reasoned decision (55.2:
 * remove on 55.1.7, or retain under 004 §20 while the family's need remains). Reading: the ground
 * of 55.1.7 is established the day the refusal is decided, so the 30 working days of 55.2 run
 * from that day. The slot stays held until the decision.
 */
export default defineWorker<
  { caseId: string; entryId: string; deathDate: string; heldUntil: string },
  Record<string, unknown>
>({
  taskType: 'resume-removal-review',
  fetchVariables: ['caseId', 'entryId', 'deathDate', 'heldUntil'],
  async handle(job, { pool }) {
    const { caseId, entryId, deathDate, heldUntil } = job.variables;
    const apps = await applicationsInWindow(pool, entryId, deathDate, heldUntil);
    const refused = apps.filter((a) => a.final && a.outcome === 'refused' && a.decidedAt).at(-1);
    if (!refused) throw new Error(`no refused transfer application for the held slot ${entryId}`);
    const refusedOn = civilDateInBaku(refused.decidedAt!);
    const ground = await pool.query<{ legal_ground: string; citation: string }>(
      `SELECT d.legal_ground, g.citation FROM decision d JOIN legal_ground g ON g.code = d.legal_ground
        WHERE d.case_id = $1 AND d.outcome = 'refuse' ORDER BY d.decided_at DESC LIMIT 1`,
      [refused.id],
    );
    const deadline = toVariables(await deadlineFromEvent(pool, 'seizure-decision', refusedOn));
    const resumed = {
      transferCaseId: refused.id,
      refusedOn,
      refusalGround: ground.rows[0]?.legal_ground ?? null,
      refusalCitation: ground.rows[0]?.citation ?? null,
      decisionDue: deadline.dueDate,
    };
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_case SET status = 'under_review', decision_due_at = $2,
                details = details || jsonb_build_object('resumedAfterTransferRefusal', $3::jsonb)
          WHERE id = $1 AND NOT (details ? 'resumedAfterTransferRefusal')`,
        [caseId, deadline.dueAt, JSON.stringify(resumed)],
      );
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: 'system:resume-removal-review',
          action: 'removal-review-resumed',
          legalGround: `${resumed.refusalCitation ?? '002 §3.1'}; Mənzil Məcəlləsi 55.1.7, 55.2; 004 §20`,
          after: resumed,
        });
    });
    return {
      reviewDueAt: deadline.dueAt,
      reviewFollowUpAt: await reviewFollowUpAt(pool, refusedOn, deadline),
      reviewDueDate: deadline.dueDate,
      reviewDeadlineCitation: deadline.citation,
    };
  },
});
