import { recordAudit } from '../src/cases/audit.js';
import { defineWorker } from '../src/engine/worker.js';

/** The court overturned the removal: the slot stays where it is (55.2: the decision is appealable). */
export default defineWorker<{ caseId: string }, Record<string, never>>({
  taskType: 'keep-slot',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const { caseId } = job.variables;
    const res = await pool.query(
      `UPDATE waitlist_case SET status = 'closed', outcome = 'overturned', final_at = $2 WHERE id = $1 AND final_at IS NULL`,
      [caseId, job.engineTime],
    );
    if (res.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'waitlist-case',
        caseId,
        actor: 'system:keep-slot',
        action: 'removal-overturned',
        legalGround: 'Mənzil Məcəlləsi 55.2',
      });
    }
    return {};
  },
});
