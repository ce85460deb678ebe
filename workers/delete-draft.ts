import { changeStatus } from '../src/cases/application-status.js';
import { inTransaction } from '../src/db/pool.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * A draft not submitted within 10 days is deleted (000 §2.2), or the citizen deleted it. The
 * personal data and documents go; a bare row stays so the audit trail keeps its subject.
 */
export default defineWorker<{ applicationId: string }, Record<string, never>>({
  taskType: 'delete-draft',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const { applicationId } = job.variables;
    await inTransaction(pool, async (tx) => {
      const deleted = await changeStatus(
        tx,
        applicationId,
        ['draft'],
        'deleted',
        { actor: 'system:delete-draft', action: 'draft-deleted', legalGround: '000 §2.2' },
        { form: '{}', applicant_fin: null, spouse_fin: null },
      );
      if (deleted)
        await tx.query(`DELETE FROM application_document WHERE application_id = $1`, [
          applicationId,
        ]);
    });
    return {};
  },
});
