import { changeStatus } from '../src/cases/application-status.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

interface Decision {
  outcome: string;
  legalGround: string;
  reason: string;
  decidedBy?: string;
}

/**
 * A reasoned refusal (domain brief §8): the status changes and the decision carries its ground's
 * citation into the notice. The ground comes from the legal_ground table.
 */
export default defineWorker<
  { applicationId: string; decision: Decision },
  { decision: Decision & { legalGroundCitation: string } }
>({
  taskType: 'record-refusal',
  fetchVariables: ['applicationId', 'decision'],
  async handle(job, { pool }) {
    const { applicationId, decision } = job.variables;
    const ground = await pool.query<{ citation: string }>(
      `SELECT citation FROM legal_ground WHERE code = $1`,
      [decision.legalGround],
    );
    const citation = ground.rows[0]?.citation;
    if (!citation) throw new Error(`unknown legal ground ${decision.legalGround}`);
    await inTransaction(pool, (tx) =>
      changeStatus(
        tx,
        applicationId,
        ['under_review', 'discrepancy'],
        'refused',
        {
          actor: decision.decidedBy ?? 'reviewer',
          action: 'refused',
          legalGround: citation,
          reason: decision.reason,
        },
        { decided_at: job.engineTime },
      ),
    );
    return { decision: { ...decision, legalGroundCitation: citation } };
  },
});
