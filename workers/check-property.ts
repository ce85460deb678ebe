import { normalizeFin } from '../src/domain/fin.js';
import { checkProperty } from '../src/domain/eligibility.js';
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
 * Automated check: what dwellings do the applicant and spouse hold (real-estate registry)?
 * 003 §2 makes the right depend on the category (2.1) and once-only use (2.2), not on owning a
 * dwelling, so this check records the holdings for the reviewer and always passes
 * (PROPERTY_NOT_A_CONDITION). An outage throws: the job is retried, no check is recorded.
 */
export default defineWorker<{ applicationId: string }, { propertyCheck: CheckOutcome }>({
  taskType: 'check-property',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const app = await loadApplicationForChecks(pool, job.variables);
    const formSpouse = app.form.spouse && 'fin' in app.form.spouse ? app.form.spouse.fin : null;
    const fins = [app.applicantFin, app.spouseFin ?? formSpouse]
      .filter((f): f is string => !!f)
      .map(normalizeFin);
    const holdings = [];
    for (const fin of new Set(fins)) holdings.push(foundOrNull(await registry().property(fin)));
    const result = checkProperty(holdings);
    await recordRegistryCheck(pool, app.id, {
      name: 'property',
      taskType: 'check-property',
      result,
      // Counts and area only: addresses are personal data and stay in the registry.
      detail: { dwellingCount: result.dwellingCount, totalAreaM2: result.totalAreaM2 },
    });
    return { propertyCheck: checkOutcome(result) };
  },
});
