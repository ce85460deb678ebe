import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/** The legal ground of a refusal after an unanswered discrepancy (002 §3.1.1, Housing Code 53.1.1). */
export const LAPSE_GROUND = 'refuse-documents-not-submitted';

/**
 * The resubmission deadline passed: the round lapses and a system decision is recorded on the
 * "documents not submitted" ground; the refusal itself follows in the calling process.
 */
export default defineWorker<
  { applicationId: string; discrepancyRound: number; discrepancyDueDate: string },
  Record<string, unknown>
>({
  taskType: 'record-lapse',
  fetchVariables: ['applicationId', 'discrepancyRound', 'discrepancyDueDate'],
  async handle(job, { pool }) {
    const { applicationId, discrepancyRound, discrepancyDueDate } = job.variables;
    const ground = await pool.query<{ text_az: string }>(
      `SELECT text_az FROM legal_ground WHERE code = $1`,
      [LAPSE_GROUND],
    );
    const reason = `${ground.rows[0]?.text_az ?? ''} (${discrepancyDueDate})`.trim();
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE discrepancy_round SET lapsed_at = $3 WHERE application_id = $1 AND round = $2 AND lapsed_at IS NULL`,
        [applicationId, discrepancyRound, job.engineTime],
      );
      if (res.rowCount === 1) {
        await tx.query(
          `INSERT INTO decision (case_type, case_id, application_id, outcome, legal_ground, reason, details, decided_by, decided_at)
           VALUES ('application', $1, $1, 'refuse', $2, $3, $4, 'system', $5)`,
          [
            applicationId,
            LAPSE_GROUND,
            reason,
            JSON.stringify({ round: discrepancyRound }),
            job.engineTime,
          ],
        );
        await recordAudit(tx, {
          caseType: 'application',
          caseId: applicationId,
          actor: 'system:record-lapse',
          action: 'discrepancy-lapsed',
          legalGround: '002 §3.1.1',
          after: { round: discrepancyRound, dueDate: discrepancyDueDate },
        });
      }
    });
    return {
      resubmitted: false,
      decision: { outcome: 'refuse', legalGround: LAPSE_GROUND, reason, decidedBy: 'system' },
    };
  },
});
