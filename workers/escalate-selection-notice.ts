import { escalateSelectionNoticeIfUndelivered } from '../src/cases/selection-notice-escalation.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * 003 §6.1: the 5 working days of the notice on the selected apartment are over. Delivered in
 * time (cabinet and one more channel) → nothing; otherwise MİDA's miss is raised to the officers
 * and operators (overdue deliveries list, the selection marked). The engine's time is the check's
 * instant, so a job run late judges the notice as of its due date all the same.
 */
export default defineWorker<{ selectionId: string }, { noticeEscalated: boolean }>({
  taskType: 'escalate-selection-notice',
  fetchVariables: ['selectionId'],
  async handle(job, { pool }) {
    const r = await escalateSelectionNoticeIfUndelivered(
      pool,
      job.variables.selectionId,
      job.engineTime,
    );
    return { noticeEscalated: r.outcome === 'escalated' };
  },
});
