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

-- The inbox's category filter (an application's category 1–11, a waitlist case's list kind) as a
-- column of the projection, so filtering 100,000 open tasks needs no join of the case tables. An
-- app-owned column like outcome: the engine's listener never names it; this trigger fills it in
-- the engine's own transaction when the task row is inserted, and the case tables' triggers keep
-- it in step for open tasks. A missing case leaves it null (the listener must never fail here).
-- The functions pin the app's search_path: the engine's connection searches its own schema first.
ALTER TABLE review_task ADD COLUMN IF NOT EXISTS case_category text;

CREATE OR REPLACE FUNCTION review_task_category_of(p_case_type text, p_case_id uuid) RETURNS text
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT CASE p_case_type
    WHEN 'application' THEN (SELECT a.category::text FROM application a WHERE a.id = p_case_id)
    WHEN 'waitlist-case' THEN (
      SELECT COALESCE(wc.list_kind, wl.kind) FROM waitlist_case wc
        LEFT JOIN waitlist_entry we ON we.id = wc.entry_id
        LEFT JOIN waitlist wl ON wl.id = we.waitlist_id
       WHERE wc.id = p_case_id)
  END
$$;

CREATE OR REPLACE FUNCTION review_task_set_category() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  NEW.case_category := review_task_category_of(NEW.case_type, NEW.case_id);
  RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS review_task_category ON review_task;
CREATE TRIGGER review_task_category BEFORE INSERT ON review_task
  FOR EACH ROW EXECUTE FUNCTION review_task_set_category();

CREATE OR REPLACE FUNCTION review_task_follow_case_category() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE review_task t
     SET case_category = review_task_category_of(t.case_type, t.case_id)
   WHERE t.case_id = NEW.id AND t.completed_at IS NULL
     AND t.case_type = CASE TG_TABLE_NAME WHEN 'application' THEN 'application' ELSE 'waitlist-case' END;
  RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS review_task_application_category ON application;
CREATE TRIGGER review_task_application_category AFTER UPDATE OF category ON application
  FOR EACH ROW WHEN (OLD.category IS DISTINCT FROM NEW.category)
  EXECUTE FUNCTION review_task_follow_case_category();
DROP TRIGGER IF EXISTS review_task_waitlist_case_category ON waitlist_case;
CREATE TRIGGER review_task_waitlist_case_category AFTER UPDATE OF list_kind, entry_id ON waitlist_case
  FOR EACH ROW WHEN (OLD.list_kind IS DISTINCT FROM NEW.list_kind OR OLD.entry_id IS DISTINCT FROM NEW.entry_id)
  EXECUTE FUNCTION review_task_follow_case_category();
UPDATE review_task SET case_category = review_task_category_of(case_type, case_id);

-- Down Migration
DROP TRIGGER IF EXISTS review_task_waitlist_case_category ON waitlist_case;
DROP TRIGGER IF EXISTS review_task_application_category ON application;
DROP TRIGGER IF EXISTS review_task_category ON review_task;
DROP FUNCTION IF EXISTS review_task_follow_case_category();
DROP FUNCTION IF EXISTS review_task_set_category();
DROP FUNCTION IF EXISTS review_task_category_of(text, uuid);
ALTER TABLE review_task DROP COLUMN IF EXISTS case_category;
DROP INDEX IF EXISTS review_task_open_assignee_idx;
DROP INDEX IF EXISTS review_task_open_created_idx;
DROP INDEX IF EXISTS review_task_open_due_idx;
DROP INDEX IF EXISTS review_task_open_groups_idx;
CREATE INDEX IF NOT EXISTS review_task_open_idx ON review_task (due_at) WHERE completed_at IS NULL;
