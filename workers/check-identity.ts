import { checkIdentity } from '../src/domain/eligibility.js';
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
 * Automated check: do the ID card series, number and issue date on the form match the identity
 * registry (003 §5.3.2, pre-filled per 000 §2.1.1)? The registry is asked, not the citizen
 * (002 §2.3, consent 003 §5.3.8). An outage throws: the job is retried, no check is recorded.
 */
export default defineWorker<{ applicationId: string }, { identityCheck: CheckOutcome }>({
  taskType: 'check-identity',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const app = await loadApplicationForChecks(pool, job.variables);
    // Registry first, outside any transaction: a slow registry must not hold a connection.
    const card = foundOrNull(await registry().identity(app.applicantFin));
    const result = checkIdentity(card, app.form);
    await recordRegistryCheck(pool, app.id, {
      name: 'identity',
      taskType: 'check-identity',
      result,
      // the name and date of birth the reviewer sees beside the FIN (000 §2.1.5: age decides
      // the young-family categories), from this record rather than a second registry call
      applicant: card ? { name: card.name, birthDate: card.birthDate } : undefined,
    });
    return { identityCheck: checkOutcome(result) };
  },
});
