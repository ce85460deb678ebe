import { reverifyBatch } from '../src/cases/reverification.js';
import { defineWorker } from '../src/engine/worker.js';
import { lazyRegistryClient, withWaitlistLookups } from '../src/registry/index.js';

const registry = lazyRegistryClient();

/**
 * One batch of the annual re-verification (004 §18): every entry's registered person is looked
 * up in the registries (death, residence, mortgage fund, land, real estate) and a seizure case
 * is opened for each removal ground found (Housing Code 55.1, 004 §19) — see
 * src/cases/reverification.ts. Entries are committed one by one, so a retry resumes where an
 * outage stopped the batch. The lease is long: a batch of 500 makes a few thousand lookups.
 */
export default defineWorker<{ batchId: string }, Record<string, never>>({
  taskType: 'reverify-batch',
  fetchVariables: ['batchId'],
  timeoutMs: 15 * 60_000,
  async handle(job, { pool, log }) {
    const { batchId } = job.variables;
    if (typeof batchId !== 'string') throw new Error('variable batchId is missing');
    const out = await reverifyBatch(pool, withWaitlistLookups(registry()), {
      batchId,
      now: job.engineTime,
    });
    log.info(out, 'waitlist re-verification batch done');
    // Nothing goes back to the process: progress lives in the database.
    return {};
  },
});
