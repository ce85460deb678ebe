import type { Pool, PoolClient } from '../db/pool.js';

export interface ReviewTaskRow {
  jobKey: string;
  /** 'application' (e-cabinet) or 'waitlist-case' */
  caseType: string;
  caseId: string;
  applicationId: string | null;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  candidateGroups: string[];
  assignee: string | null;
  dueAt: string | null;
  createdAt: string;
  completedAt: string | null;
  outcome: string | null;
  overdueEscalatedAt: string | null;
}

const COLUMNS = `job_key AS "jobKey", case_type AS "caseType", case_id AS "caseId", application_id AS "applicationId",
  process_instance_key AS "processInstanceKey", bpmn_process_id AS "bpmnProcessId",
  element_id AS "elementId", candidate_groups AS "candidateGroups", assignee, due_at AS "dueAt",
  created_at AS "createdAt", completed_at AS "completedAt", outcome,
  overdue_escalated_at AS "overdueEscalatedAt"`;

/** Records a user task the engine created; seeing it again (lease renewed) changes nothing. */
export async function upsertReviewTask(
  db: Pool,
  t: Pick<
    ReviewTaskRow,
    | 'jobKey'
    | 'caseType'
    | 'caseId'
    | 'processInstanceKey'
    | 'bpmnProcessId'
    | 'elementId'
    | 'candidateGroups'
    | 'dueAt'
  >,
): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO review_task (job_key, case_type, case_id, application_id, process_instance_key, bpmn_process_id, element_id, candidate_groups, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (job_key) DO NOTHING`,
    [
      t.jobKey,
      t.caseType,
      t.caseId,
      t.caseType === 'application' ? t.caseId : null,
      t.processInstanceKey,
      t.bpmnProcessId,
      t.elementId,
      t.candidateGroups,
      t.dueAt,
    ],
  );
  return res.rowCount === 1;
}

export async function getReviewTask(
  db: Pool | PoolClient,
  jobKey: string,
  forUpdate = false,
): Promise<ReviewTaskRow | undefined> {
  const { rows } = await db.query<ReviewTaskRow>(
    `SELECT ${COLUMNS} FROM review_task WHERE job_key = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [jobKey],
  );
  return rows[0];
}
