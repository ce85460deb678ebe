import type { Pool } from '../db/pool.js';

/**
 * The open review deadlines of one process instance, from the task projection the engine writes
 * in its own transaction (table review_task), for the operator's instance view.
 */
export interface InstanceDeadline {
  taskId: string;
  elementId: string;
  dueAt: string | null;
  assignee: string | null;
  candidateGroups: string[];
  overdueEscalatedAt: string | null;
}

export async function openDeadlines(
  pool: Pool,
  processInstanceId: string,
): Promise<InstanceDeadline[]> {
  const { rows } = await pool.query<InstanceDeadline>(
    `SELECT task_id AS "taskId", element_id AS "elementId", due_at AS "dueAt", assignee,
            candidate_groups AS "candidateGroups", overdue_escalated_at AS "overdueEscalatedAt"
       FROM review_task
      WHERE process_instance_id = $1 AND completed_at IS NULL
      ORDER BY due_at NULLS LAST, task_id`,
    [processInstanceId],
  );
  return rows;
}
