import { setSelectionOpen } from '../src/cases/announcement.js';
import { defineWorker } from '../src/engine/worker.js';

/** The selection start date has come (003 §4.3.8): holders may select apartments. */
export default defineWorker<{ announcementId: string }, Record<string, never>>({
  taskType: 'open-announcement-selection',
  fetchVariables: ['announcementId'],
  async handle(job, { pool }) {
    await setSelectionOpen(
      pool,
      job.variables.announcementId,
      true,
      'system:open-announcement-selection',
    );
    return {};
  },
});
