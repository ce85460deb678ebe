import { recordAudit } from '../src/cases/audit.js';
import { defineWorker } from '../src/engine/worker.js';
import { lazyRegistryClient } from '../src/registry/index.js';

const registry = lazyRegistryClient();

/**
 * After a grant with mortgage intent, the person is registered in the Mortgage and Credit
 * Guarantee Fund's e-system (003 §5.5-1). The registration is idempotent by application id, so a
 * retried job registers once; an outage is retried with backoff.
 */
export default defineWorker<{ applicationId: string }, { mortgageRegistrationId: string }>({
  taskType: 'hand-over-to-mortgage-system',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const { applicationId } = job.variables;
    const { rows } = await pool.query<{ applicant_fin: string }>(
      `SELECT applicant_fin FROM application WHERE id = $1`,
      [applicationId],
    );
    const fin = rows[0]?.applicant_fin;
    if (!fin) throw new Error(`application ${applicationId} not found`);
    const registration = await registry().registerInMortgageSystem({ applicationId, fin });
    if (registration.created) {
      await recordAudit(pool, {
        caseType: 'application',
        caseId: applicationId,
        actor: 'system:hand-over-to-mortgage-system',
        action: 'mortgage-system-registered',
        legalGround: '003 §5.5-1',
        after: { registrationId: registration.registrationId },
      });
    }
    return { mortgageRegistrationId: registration.registrationId };
  },
});
