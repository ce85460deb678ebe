import { recordAudit } from '../src/cases/audit.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/** The applicant resubmitted in time: the round is closed and the case goes back to the checks. */
export default defineWorker<
  { applicationId: string; discrepancyRound: number },
  { resubmitted: true }
>({
  taskType: 'record-resubmission',
  fetchVariables: ['applicationId', 'discrepancyRound'],
  async handle(job, { pool }) {
    const { applicationId, discrepancyRound } = job.variables;
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE discrepancy_round SET resubmitted_at = $3
          WHERE application_id = $1 AND round = $2 AND resubmitted_at IS NULL`,
        [applicationId, discrepancyRound, job.engineTime],
      );
      if (res.rowCount === 1) {
        await recordAudit(tx, {
          caseType: 'application',
          caseId: applicationId,
          actor: 'system:record-resubmission',
          action: 'discrepancy-round-closed',
          legalGround: '000 §2.4',
          after: { round: discrepancyRound, resubmitted: true },
        });
      }
    });
    return { resubmitted: true };
  },
});
