import { checkCivilStatus } from '../src/domain/eligibility.js';
import { defineWorker } from '../src/engine/worker.js';
import {
  checkOutcome,
  foundOrNull,
  lazyRegistryClient,
  loadApplicationForChecks,
  recordRegistryCheck,
  type CheckOutcome,
} from '../src/registry/index.js';

const registry = lazyRegistryClient();

/**
 * Automated check: do the marital status and the spouse (Azerbaijani by FIN, foreign by hand in
 * Latin letters) match the civil-status registry, and is the applicant alive (000 §2.1.1–2.1.4)?
 * An outage throws: the job is retried, no check is recorded.
 */
export default defineWorker<{ applicationId: string }, { civilStatusCheck: CheckOutcome }>({
  taskType: 'check-civil-status',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const app = await loadApplicationForChecks(pool, job.variables);
    const status = foundOrNull(await registry().civilStatus(app.applicantFin));
    const result = checkCivilStatus(status, app.form, app.spouseFin);
    await recordRegistryCheck(pool, app.id, {
      name: 'civil-status',
      taskType: 'check-civil-status',
      result,
    });
    return { civilStatusCheck: checkOutcome(result) };
  },
});
