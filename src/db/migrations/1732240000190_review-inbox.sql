-- Up Migration

-- The reviewers' inbox projection (issue 13, benchmark 3): one row per (candidate group, open
-- task) of review_task, kept by triggers in the same transaction as review_task (the engine's
-- own for its writes). The inbox counts and pages read it per group with btree range scans —
-- index-only for the counts — instead of a GIN `candidate_groups &&` bitmap heap scan of the
-- whole scope. Open as in src/cases/review-task.ts OPEN_TASK: not completed, no outcome.
CREATE TABLE review_inbox (
  grp                    text NOT NULL,
  task_id                text NOT NULL,
  due_at                 timestamptz,
  created_at             timestamptz NOT NULL,
  assignee               text,
  escalated              boolean NOT NULL,
  case_category          text,
  process_definition_key text NOT NULL,
  -- all the task's groups, and whether it has more than one: a caller of several groups counts
  -- such a task once (src/cases/reviewer-inbox.ts); the flag spares the others that lookup
  candidate_groups       text[] NOT NULL,
  shared                 boolean NOT NULL,
  PRIMARY KEY (grp, task_id)
);
-- the counts (index-only: every column they read is in the index) and the page by due date
CREATE INDEX review_inbox_due_idx ON review_inbox (grp, due_at, created_at, task_id)
  INCLUDE (assignee, escalated, case_category, process_definition_key, shared, candidate_groups);
-- the page by creation
CREATE INDEX review_inbox_created_idx ON review_inbox (grp, created_at, task_id);
-- "assigned to me", by due date
CREATE INDEX review_inbox_assignee_idx ON review_inbox (grp, assignee, due_at, created_at, task_id)
  WHERE assignee IS NOT NULL;
-- the trigger's delete by task
CREATE INDEX review_inbox_task_idx ON review_inbox (task_id);

-- The function pins the app's search_path: the engine's connection searches its own schema first.
CREATE FUNCTION review_inbox_follow() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM review_inbox WHERE task_id = OLD.task_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.completed_at IS NULL AND NEW.outcome IS NULL THEN
    INSERT INTO review_inbox (grp, task_id, due_at, created_at, assignee, escalated, case_category,
                              process_definition_key, candidate_groups, shared)
    SELECT DISTINCT g, NEW.task_id, NEW.due_at, NEW.created_at, NEW.assignee,
           NEW.overdue_escalated_at IS NOT NULL, NEW.case_category, NEW.process_definition_key,
           NEW.candidate_groups, cardinality(NEW.candidate_groups) > 1
      FROM unnest(NEW.candidate_groups) g;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER review_inbox_insert_delete AFTER INSERT OR DELETE ON review_task
  FOR EACH ROW EXECUTE FUNCTION review_inbox_follow();
-- only when a column the inbox reads changes, for a task open before or after
CREATE TRIGGER review_inbox_update AFTER UPDATE ON review_task
  FOR EACH ROW WHEN (
    ((OLD.completed_at IS NULL AND OLD.outcome IS NULL) OR (NEW.completed_at IS NULL AND NEW.outcome IS NULL))
    AND (OLD.task_id, OLD.completed_at, OLD.outcome, OLD.candidate_groups, OLD.due_at, OLD.created_at,
         OLD.assignee, OLD.overdue_escalated_at IS NOT NULL, OLD.case_category, OLD.process_definition_key)
        IS DISTINCT FROM
        (NEW.task_id, NEW.completed_at, NEW.outcome, NEW.candidate_groups, NEW.due_at, NEW.created_at,
         NEW.assignee, NEW.overdue_escalated_at IS NOT NULL, NEW.case_category, NEW.process_definition_key))
  EXECUTE FUNCTION review_inbox_follow();
CREATE FUNCTION review_inbox_truncate() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  TRUNCATE review_inbox;
  RETURN NULL;
END
$$;
CREATE TRIGGER review_inbox_truncate AFTER TRUNCATE ON review_task
  FOR EACH STATEMENT EXECUTE FUNCTION review_inbox_truncate();

INSERT INTO review_inbox (grp, task_id, due_at, created_at, assignee, escalated, case_category,
                          process_definition_key, candidate_groups, shared)
SELECT DISTINCT g, t.task_id, t.due_at, t.created_at, t.assignee, t.overdue_escalated_at IS NOT NULL,
       t.case_category, t.process_definition_key, t.candidate_groups, cardinality(t.candidate_groups) > 1
  FROM review_task t CROSS JOIN LATERAL unnest(t.candidate_groups) g
 WHERE t.completed_at IS NULL AND t.outcome IS NULL;

-- The working-day calendar's version: a new value with every change of calendar_year or
-- calendar_day (any writer, any app process), so a process may keep the calendar it loaded
-- and reload it only when the version it reads differs (src/cases/calendar-repository.ts).
CREATE TABLE calendar_version (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  version uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO calendar_version DEFAULT VALUES;
CREATE FUNCTION calendar_version_bump() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE calendar_version SET version = gen_random_uuid();
  RETURN NULL;
END
$$;
CREATE TRIGGER calendar_year_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_year
  FOR EACH STATEMENT EXECUTE FUNCTION calendar_version_bump();
CREATE TRIGGER calendar_day_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_day
  FOR EACH STATEMENT EXECUTE FUNCTION calendar_version_bump();

-- Down Migration
DROP TRIGGER IF EXISTS calendar_day_version ON calendar_day;
DROP TRIGGER IF EXISTS calendar_year_version ON calendar_year;
DROP FUNCTION IF EXISTS calendar_version_bump();
DROP TABLE IF EXISTS calendar_version;
DROP TRIGGER IF EXISTS review_inbox_truncate ON review_task;
DROP TRIGGER IF EXISTS review_inbox_update ON review_task;
DROP TRIGGER IF EXISTS review_inbox_insert_delete ON review_task;
DROP FUNCTION IF EXISTS review_inbox_truncate();
DROP FUNCTION IF EXISTS review_inbox_follow();
DROP TABLE IF EXISTS review_inbox;
