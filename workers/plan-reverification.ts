import {
  planReverification,
  reverificationBatchSize,
  reverificationYear,
} from '../src/cases/reverification.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Starts the year's re-verification of the waitlists (004 §18, first quarter): creates the run
 * and cuts the entries holding a place into batches of REVERIFICATION_BATCH_SIZE (default 500).
 * The year is the engine's year in Baku (the timer start carries no variables); an instance
 * started by hand may name it in `reverificationYear`. Idempotent per year: a retried job, or a
 * second start in the same year, gets the same batches.
 */
export default defineWorker<
  { reverificationYear?: unknown },
  { reverificationYear: number; batchIds: string[] }
>({
  taskType: 'plan-reverification',
  fetchVariables: ['reverificationYear'],
  async handle(job, { pool, log }) {
    const given = job.variables.reverificationYear;
    const year =
      typeof given === 'number' && Number.isInteger(given) && given >= 2000 && given <= 2200
        ? given
        : reverificationYear(job.engineTime);
    const plan = await planReverification(pool, {
      year,
      batchSize: reverificationBatchSize(),
      processInstanceKey: job.processInstanceKey,
      now: job.engineTime,
    });
    log.info(
      { year, batches: plan.batchIds.length, created: plan.created },
      'waitlist re-verification planned',
    );
    return { reverificationYear: year, batchIds: plan.batchIds };
  },
});
