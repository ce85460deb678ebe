import { loadSelection } from '../src/cases/apartment-selection.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * Opens the holder's selection case: records the instance (so a decided cancellation can end
 * it) and hands the process the payment method the holder has now (§5.6).
 */
export default defineWorker<{ selectionId: string }, { paymentMethod: string }>({
  taskType: 'open-apartment-selection',
  fetchVariables: ['selectionId'],
  async handle(job, { pool }) {
    const { selectionId } = job.variables;
    await pool.query(
      `UPDATE apartment_selection SET process_instance_key = $2 WHERE id = $1 AND process_instance_key IS DISTINCT FROM $2`,
      [selectionId, job.processInstanceKey],
    );
    const s = await loadSelection(pool, selectionId);
    return { paymentMethod: s.payment_method };
  },
});
