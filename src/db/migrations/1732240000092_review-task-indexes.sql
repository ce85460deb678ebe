-- Up Migration

-- Indexes of the task projection (review_task, written by the engine's task projection plugin in
-- the engine's transaction) for the reviewers' inbox, its counts and the deadline dashboard:
-- p99 <= 50 ms with 100,000 open tasks (issue 10, item 5). All partial on the open tasks, the
-- inbox's scope: not completed by the engine and no decision (or withdrawal) recorded yet
-- (src/cases/review-task.ts OPEN_TASK) — completed tasks pile up and are never listed.

-- 090's open-task index is replaced by the ones below (their predicate includes outcome)
DROP INDEX IF EXISTS review_task_open_idx;

-- scope: a reviewer's candidate groups (`candidate_groups && $groups`), for the counts
CREATE INDEX IF NOT EXISTS review_task_open_groups_idx ON review_task USING gin (candidate_groups)
  WHERE completed_at IS NULL AND outcome IS NULL;
-- the page sorted by due date (either direction; ties by creation and id), overdue / due within N
CREATE INDEX IF NOT EXISTS review_task_open_due_idx ON review_task (due_at, created_at, task_id)
  WHERE completed_at IS NULL AND outcome IS NULL;
-- the page sorted by creation
CREATE INDEX IF NOT EXISTS review_task_open_created_idx ON review_task (created_at, task_id)
  WHERE completed_at IS NULL AND outcome IS NULL;
-- "assigned to me", sorted by due date
CREATE INDEX IF NOT EXISTS review_task_open_assignee_idx ON review_task (assignee, due_at, created_at, task_id)
  WHERE completed_at IS NULL AND outcome IS NULL AND assignee IS NOT NULL;
-- (a case's and an instance's tasks: review_task_case_idx, review_task_instance_idx of 090)

-- Down Migration
DROP INDEX IF EXISTS review_task_open_assignee_idx;
DROP INDEX IF EXISTS review_task_open_created_idx;
DROP INDEX IF EXISTS review_task_open_due_idx;
DROP INDEX IF EXISTS review_task_open_groups_idx;
CREATE INDEX IF NOT EXISTS review_task_open_idx ON review_task (due_at) WHERE completed_at IS NULL;
