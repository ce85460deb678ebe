import { changeStatus } from '../src/cases/application-status.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

interface Decision {
  legalGround: string;
  reason: string;
  decidedBy?: string;
}

/** Grants the electronic cabinet (003 §5.5): the reviewer's decision becomes the case status. */
export default defineWorker<{ applicationId: string; decision: Decision }, Record<string, never>>({
  taskType: 'grant-cabinet',
  fetchVariables: ['applicationId', 'decision'],
  async handle(job, { pool }) {
    const { applicationId, decision } = job.variables;
    await inTransaction(pool, (tx) =>
      changeStatus(
        tx,
        applicationId,
        ['under_review'],
        'approved',
        {
          actor: decision.decidedBy ?? 'reviewer',
          action: 'cabinet-granted',
          legalGround: decision.legalGround,
          reason: decision.reason,
        },
        { decided_at: job.engineTime },
      ),
    );
    return {};
  },
});
