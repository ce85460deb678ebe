import {
  CATEGORY_EVIDENCE_SOURCE,
  categoryEvidenceSatisfied,
  isCategoryNumber,
  YOUNG_FAMILY_CATEGORIES,
  type CategoryRegistryData,
  type EvidenceSource,
} from '../src/domain/eligibility.js';
import { defineWorker } from '../src/engine/worker.js';
import {
  checkOutcome,
  foundOrNull,
  lazyRegistryClient,
  loadApplicationForChecks,
  recordRegistryCheck,
  referenceDate,
  type CheckOutcome,
  type RegistryClient,
} from '../src/registry/index.js';

const registry = lazyRegistryClient();

/** Asks the one registry that holds the category's evidence. */
async function fetchEvidence(
  client: RegistryClient,
  source: EvidenceSource,
  fin: string,
): Promise<Partial<CategoryRegistryData>> {
  switch (source) {
    case 'serviceRecords':
      return { serviceRecords: foundOrNull(await client.serviceRecords(fin)) };
    case 'degrees':
      return { degrees: foundOrNull(await client.degrees(fin)) };
    case 'idp':
      return { idp: foundOrNull(await client.idp(fin)) };
    case 'martyrFamily':
      return { martyrFamily: foundOrNull(await client.martyrFamily(fin)) };
    case 'heroFamily':
      return { heroFamily: foundOrNull(await client.heroFamily(fin)) };
    case 'sport':
      return { sport: foundOrNull(await client.sport(fin)) };
  }
}

/**
 * Automated check: does the registry evidence put the applicant in the chosen category
 * (003 §2.1, 000 §2.1.5), and for categories 1–7 is the family a young family? Only the
 * registries the category needs are asked. An outage throws: the job is retried, no check is
 * recorded.
 */
export default defineWorker<
  { applicationId: string },
  { categoryEvidenceCheck: CheckOutcome & { requiredDocuments: string[] } }
>({
  taskType: 'check-category-evidence',
  fetchVariables: ['applicationId'],
  async handle(job, { pool }) {
    const app = await loadApplicationForChecks(pool, job.variables);
    const fin = app.applicantFin;
    const data: CategoryRegistryData = { identity: null };
    if (isCategoryNumber(app.category)) {
      const client = registry();
      data.identity = foundOrNull(await client.identity(fin));
      if (data.identity) {
        if (YOUNG_FAMILY_CATEGORIES.includes(app.category)) {
          data.civilStatus = foundOrNull(await client.civilStatus(fin));
          const spouse = data.civilStatus?.spouse;
          if (data.civilStatus?.maritalStatus === 'married' && spouse && 'fin' in spouse)
            data.spouseIdentity = foundOrNull(await client.identity(spouse.fin));
        }
        Object.assign(
          data,
          await fetchEvidence(client, CATEGORY_EVIDENCE_SOURCE[app.category], fin),
        );
      }
    }
    const result = categoryEvidenceSatisfied(
      app.category,
      data,
      app.form,
      referenceDate(app, job.engineTime),
    );
    await recordRegistryCheck(pool, app.id, {
      name: 'category-evidence',
      taskType: 'check-category-evidence',
      result,
      detail: {
        category: result.category,
        youngFamily: result.youngFamily?.basis ?? null,
        requiredDocuments: result.requiredDocuments,
        evidence: result.evidence,
      },
    });
    // e.g. the single parent's notarised birth certificate (000 §2.1.5 note), for the review.
    return {
      categoryEvidenceCheck: {
        ...checkOutcome(result),
        requiredDocuments: result.requiredDocuments,
      },
    };
  },
});
