import { setSelectionOpen } from '../src/cases/announcement.js';
import { defineWorker } from '../src/engine/worker.js';

/** The selection period is over: selection stops (003 §5.8). Selections already made go on. */
export default defineWorker<{ announcementId: string }, Record<string, never>>({
  taskType: 'close-announcement-selection',
  fetchVariables: ['announcementId'],
  async handle(job, { pool }) {
    await setSelectionOpen(
      pool,
      job.variables.announcementId,
      false,
      'system:close-announcement-selection',
    );
    return {};
  },
});
