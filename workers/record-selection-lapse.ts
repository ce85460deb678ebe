import { cancelSelectionTx } from '../src/cases/apartment-selection.js';
import { inTransaction } from '../src/db/pool.js';
import {
  CANCELLATION_GROUNDS,
  CANCELLATION_GROUND_CODES,
} from '../src/domain/apartment-selection.js';
import { defineWorker } from '../src/engine/worker.js';

/**
 * A deadline passed with nothing done: the selection is cancelled on its ground (§5.9 no-show
 * within §6.2; §6.5.2; §6.5.3), the holder told, and the next waiting holder promoted or the
 * lock lifted (§5.7-2, §5.7-3, §5.9).
 */
export default defineWorker<{ selectionId: string; lapseGround: string }, Record<string, never>>({
  taskType: 'record-selection-lapse',
  fetchVariables: ['selectionId', 'lapseGround'],
  async handle(job, { pool }) {
    const { selectionId, lapseGround } = job.variables;
    const ground = CANCELLATION_GROUND_CODES.find((c) => c === lapseGround);
    if (!ground || !CANCELLATION_GROUNDS[ground].byDeadline)
      throw new Error(`lapseGround "${lapseGround}" is not a deadline ground`);
    await inTransaction(pool, (tx) =>
      cancelSelectionTx(tx, selectionId, {
        ground,
        reason: CANCELLATION_GROUNDS[ground].az,
        actor: 'system:record-selection-lapse',
        at: job.engineTime,
        cancelInstance: false,
      }),
    );
    return {};
  },
});
