-- Up Migration

-- The engine outbox for Operaton. The engine neither buffers nor deduplicates messages, so the
-- outbox does: a message that finds no waiting instance is retried with backoff until its own
-- deadline; a start message checks the business key before it starts anything; a message for a
-- case whose instances all ended is dropped. Rows are claimed with a lease (locked_until) in a
-- short transaction, the engine is called outside any transaction, and the outcome is recorded in
-- another one, so an engine that is down never holds a database lock.
ALTER TABLE engine_outbox RENAME COLUMN job_key TO task_id;
UPDATE engine_outbox SET kind = 'complete-task' WHERE kind = 'complete-job';
ALTER TABLE engine_outbox
  ADD COLUMN status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'published', 'dropped')),
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN deadline_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  ADD COLUMN locked_until timestamptz,
  ADD COLUMN locked_by text,
  -- a message that starts a process and is also caught by another one: each part done once
  ADD COLUMN started_instance_id text,
  ADD COLUMN correlated_at timestamptz,
  ADD COLUMN dropped_at timestamptz,
  ADD COLUMN drop_reason text,
  ADD CONSTRAINT engine_outbox_kind_check
    CHECK (kind IN ('message', 'complete-task', 'cancel-instance'));
UPDATE engine_outbox SET status = 'published' WHERE published_at IS NOT NULL;
DROP INDEX engine_outbox_pending_idx;
CREATE INDEX engine_outbox_due_idx ON engine_outbox (next_attempt_at, id) WHERE status = 'pending';

-- Down Migration
DROP INDEX engine_outbox_due_idx;
CREATE INDEX engine_outbox_pending_idx ON engine_outbox (id) WHERE published_at IS NULL;
ALTER TABLE engine_outbox
  DROP CONSTRAINT engine_outbox_kind_check,
  DROP COLUMN drop_reason,
  DROP COLUMN dropped_at,
  DROP COLUMN correlated_at,
  DROP COLUMN started_instance_id,
  DROP COLUMN locked_by,
  DROP COLUMN locked_until,
  DROP COLUMN deadline_at,
  DROP COLUMN next_attempt_at,
  DROP COLUMN status;
UPDATE engine_outbox SET kind = 'complete-job' WHERE kind = 'complete-task';
ALTER TABLE engine_outbox RENAME COLUMN task_id TO job_key;
