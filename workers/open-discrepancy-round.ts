import { changeStatus } from '../src/cases/application-status.js';
import { loadCalendar } from '../src/cases/calendar-repository.js';
import { deadlineFromEvent, toVariables } from '../src/cases/deadlines.js';
import { inTransaction } from '../src/db/pool.js';
import { civilDateInBaku } from '../src/domain/calendar.js';
import { reminderDate, reminderInstant } from '../src/domain/reminder.js';
import { defineWorker } from '../src/engine/worker.js';

/** Working days before the resubmission deadline on which the reminder goes out. */
export const REMINDER_WORKING_DAYS_BEFORE = 2;

interface Vars {
  applicationId: string;
  discrepancyRound?: number;
  decision: { items?: unknown[]; reason?: string; decidedBy?: string };
}

/**
 * Opens a discrepancy round (000 §2.4): records the reviewer's comments per field/document and
 * the resubmission deadline (legal_period 'discrepancy-resubmission', configurable), and sets
 * the status the citizen sees: "discrepancy — fix by DATE".
 */
export default defineWorker<Vars, Record<string, unknown>>({
  taskType: 'open-discrepancy-round',
  fetchVariables: ['applicationId', 'discrepancyRound', 'decision'],
  async handle(job, { pool }) {
    const { applicationId, decision } = job.variables;
    const round = (job.variables.discrepancyRound ?? 0) + 1;
    const opened = civilDateInBaku(job.engineTime);
    const deadline = toVariables(await deadlineFromEvent(pool, 'discrepancy-resubmission', opened));
    const calendar = await loadCalendar(pool);
    const remind = reminderDate(calendar, opened, deadline.dueDate, REMINDER_WORKING_DAYS_BEFORE);
    await inTransaction(pool, async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO discrepancy_round (application_id, round, items, due_date, due_at, opened_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id, round) DO NOTHING`,
        [
          applicationId,
          round,
          JSON.stringify(decision.items ?? []),
          deadline.dueDate,
          deadline.dueAt,
          job.engineTime,
        ],
      );
      if (inserted.rowCount === 1) {
        await changeStatus(tx, applicationId, ['under_review'], 'discrepancy', {
          actor: decision.decidedBy ?? 'reviewer',
          action: 'discrepancy-raised',
          legalGround: '000 §2.4',
          reason: decision.reason,
          extra: { round, dueDate: deadline.dueDate },
        });
      }
    });
    return {
      discrepancyRound: round,
      discrepancyDueAt: deadline.dueAt,
      discrepancyDueDate: deadline.dueDate,
      // No reminder day in a very short period: the reminder timer then coincides with the deadline.
      discrepancyReminderAt: remind ? reminderInstant(remind) : deadline.dueAt,
    };
  },
});
