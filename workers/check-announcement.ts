import { checkAndPublish } from '../src/cases/announcement.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Checks the announcement (003 §3.5, §4.1–§4.4, offers vs apartments) and publishes it, or
 * refuses it naming every problem with its point. The selection opens at the start of the
 * announced start day and stops at the end of its last day (§4.3.8, §5.8).
 */
export default defineWorker<
  { announcementId: string },
  { announcementPublished: boolean; selectionOpensAt?: string; selectionClosesAt?: string }
>({
  taskType: 'check-announcement',
  fetchVariables: ['announcementId'],
  async handle(job, { pool }) {
    const r = await checkAndPublish(
      pool,
      job.variables.announcementId,
      job.engineTime,
      'system:check-announcement',
    );
    return r.published
      ? { announcementPublished: true, selectionOpensAt: r.opensAt, selectionClosesAt: r.closesAt }
      : { announcementPublished: false };
  },
});
