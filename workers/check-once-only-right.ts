import { loadFamilyApplications, recordCheckWithAudit } from '../src/cases/application.js';
import { checkOnceOnlyRight } from '../src/domain/once-only-right.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Automated check: has this person or family already used the right (003 §2.2)? A thin adapter:
 * load the family's applications, apply the pure rule, record the result and the audit entry.
 */
export default defineWorker<
  { applicationId: string },
  { onceOnlyRight: { passed: boolean; legalGround: string } }
>({
  taskType: 'check-once-only-right',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const { applicationId } = job.variables;
    if (typeof applicationId !== 'string') throw new Error('variable applicationId is missing');
    // plain reads, then one statement writing the check and its audit entry together
    const family = await loadFamilyApplications(pool, applicationId);
    if (!family) throw new Error(`application ${applicationId} not found`);
    const result = checkOnceOnlyRight(family.application, family.others);
    await recordCheckWithAudit(
      pool,
      applicationId,
      {
        name: 'once-only-right',
        passed: result.passed,
        legalGround: result.legalGround,
        detail: { conflictingRegistrationNumbers: result.conflictingRegistrationNumbers },
      },
      {
        actor: 'system:check-once-only-right',
        action: result.passed ? 'check-passed' : 'check-failed',
        after: { check: 'once-only-right', passed: result.passed },
      },
    );
    return { onceOnlyRight: { passed: result.passed, legalGround: result.legalGround } };
  },
});
