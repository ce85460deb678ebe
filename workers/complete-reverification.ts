import { completeReverification } from '../src/cases/reverification.js';
import { defineWorker } from '../src/engine/worker.js';

/** Closes the year's re-verification run once every batch is done; the summary is the result. */
export default defineWorker<
  { reverificationYear: number },
  {
    reverificationSummary: {
      year: number;
      entriesChecked: number;
      casesOpened: number;
      grounds: Record<string, number>;
    };
  }
>({
  taskType: 'complete-reverification',
  fetchVariables: ['reverificationYear'],
  async handle(job, { pool, log }) {
    const year = job.variables.reverificationYear;
    if (typeof year !== 'number') throw new Error('variable reverificationYear is missing');
    const p = await completeReverification(pool, year, job.engineTime);
    const summary = {
      year,
      entriesChecked: p.entries.checked,
      casesOpened: p.casesOpened,
      grounds: p.grounds,
    };
    log.info(summary, 'waitlist re-verification complete');
    return { reverificationSummary: summary };
  },
});
