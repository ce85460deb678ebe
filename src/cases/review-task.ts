import type { ReviewTask } from '../contracts/reviewer.js';
import type { Pool, PoolClient } from '../db/pool.js';
import { EngineTaskConflict, EngineTaskNotFound } from '../engine/tasks.js';
import { CaseError } from './errors.js';

/**
 * One row of the task projection (table review_task): the API's review task without what the
 * inbox adds. The engine's task projection plugin writes it in the engine's own transaction
 * (create, assignment, update, complete, delete); the app only writes its own columns (outcome,
 * overdue_escalated_at). The engine's task stays the source of truth for who holds a task and
 * whether it is open.
 */
export type ReviewTaskRow = Omit<
  ReviewTask,
  'body' | 'category' | 'registrationNumber' | 'caseKind' | 'remainingWorkingDays'
>;

/** Columns of review_task as ReviewTaskRow, for a table alias (`t.`) or none. */
export const reviewTaskColumns = (
  a = '',
) => `${a}task_id AS "taskId", ${a}case_type AS "caseType", ${a}case_id AS "caseId",
  ${a}application_id AS "applicationId", ${a}process_instance_id AS "processInstanceId",
  ${a}process_definition_key AS "bpmnProcessId", ${a}element_id AS "elementId",
  ${a}business_key AS "businessKey", ${a}candidate_groups AS "candidateGroups", ${a}assignee,
  ${a}due_at AS "dueAt", ${a}follow_up_at AS "followUpAt", ${a}created_at AS "createdAt",
  ${a}completed_at AS "completedAt", ${a}cancelled, ${a}outcome,
  ${a}overdue_escalated_at AS "overdueEscalatedAt"`;

/**
 * A task is open for reviewers while the engine has not completed it and no decision (or
 * withdrawal) was recorded for it yet: between a decision and the engine's completion (outbox)
 * the task leaves the inbox at once.
 */
export const OPEN_TASK = (a = '') => `${a}completed_at IS NULL AND ${a}outcome IS NULL`;

export async function getReviewTask(
  db: Pool | PoolClient,
  taskId: string,
  forUpdate = false,
): Promise<ReviewTaskRow | undefined> {
  const { rows } = await db.query<ReviewTaskRow>(
    `SELECT ${reviewTaskColumns()} FROM review_task WHERE task_id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [taskId],
  );
  return rows[0];
}

/** The open task if it is one of the caller's candidate groups; otherwise CaseError not-found. */
export async function openTaskInGroups(
  db: Pool | PoolClient,
  taskId: string,
  groups: string[],
): Promise<ReviewTaskRow> {
  const task = await getReviewTask(db, taskId);
  if (!task || task.completedAt || task.outcome)
    throw new CaseError('not-found', `no open review task ${taskId}`, [
      { field: 'taskId', message: 'no open task' },
    ]);
  if (!task.candidateGroups.some((g) => groups.includes(g)))
    throw new CaseError('not-found', `no open review task ${taskId}`, [
      { field: 'taskId', message: 'not in your groups' },
    ]);
  return task;
}

/**
 * Runs engine task calls, turning the engine's answers into case errors: no such open task ->
 * not-found (404), claimed by someone else -> conflict (409). Other engine errors pass (500/503).
 */
export async function engineTaskCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof EngineTaskNotFound)
      throw new CaseError('not-found', `no open review task ${err.taskId}`, [
        { field: 'taskId', message: 'no open task' },
      ]);
    if (err instanceof EngineTaskConflict)
      throw new CaseError('conflict', 'the task is claimed by another reviewer', [
        { field: 'assignee', message: 'claimed by another reviewer' },
      ]);
    throw err;
  }
}
