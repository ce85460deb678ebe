-- Up Migration

-- The process engine moves to Operaton (Camunda 7 dialect), embedded in engine/ and storing its
-- own tables in schema `operaton` of this database. Two things change here:
--
-- 1. review_task is rebuilt: it is now written by the engine itself (engine/…/TaskProjection-
--    Listener), in the engine's transaction, for every user task event (create, assignment,
--    update, complete, delete). Rows of the old Zeebe job-based tasks cannot be carried over
--    (their keys name Zeebe jobs). decision.task_job_key becomes decision.task_id.
-- 2. The engine_* history tables fed by the Zeebe history exporter are dropped: Operaton keeps
--    its own history (history level full), read through its REST API.

ALTER TABLE decision DROP CONSTRAINT IF EXISTS decision_task_job_key_fkey;
ALTER TABLE decision RENAME COLUMN task_job_key TO task_id;
ALTER TABLE decision RENAME CONSTRAINT decision_task_job_key_key TO decision_task_id_key;
-- the old task keys name Zeebe jobs that no longer exist
UPDATE decision SET task_id = NULL;

DROP TABLE review_task;

CREATE TABLE review_task (
  task_id                text PRIMARY KEY,
  process_instance_id    text NOT NULL,
  process_definition_key text NOT NULL,
  element_id             text NOT NULL,
  business_key           text,
  case_type              text NOT NULL,
  case_id                uuid NOT NULL,
  application_id         uuid GENERATED ALWAYS AS (CASE WHEN case_type = 'application' THEN case_id END) STORED,
  candidate_groups       text[] NOT NULL DEFAULT '{}',
  assignee               text,
  due_at                 timestamptz,
  follow_up_at           timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  completed_at           timestamptz,
  cancelled              boolean NOT NULL DEFAULT false,
  -- app-owned (the engine's listener never writes these):
  outcome                text,
  overdue_escalated_at   timestamptz
);
CREATE INDEX review_task_open_idx ON review_task (due_at) WHERE completed_at IS NULL;
CREATE INDEX review_task_case_idx ON review_task (case_id);
CREATE INDEX review_task_instance_idx ON review_task (process_instance_id);

ALTER TABLE decision
  ADD CONSTRAINT decision_task_id_fkey FOREIGN KEY (task_id) REFERENCES review_task (task_id);

DROP TABLE IF EXISTS engine_history_position;
DROP TABLE IF EXISTS engine_variable;
DROP TABLE IF EXISTS engine_incident;
DROP TABLE IF EXISTS engine_element_instance;
DROP TABLE IF EXISTS engine_process_instance;
DROP TABLE IF EXISTS engine_process_definition;

-- Down Migration

-- Restores the shapes of 1732240000003/23/80 (empty: neither engine's rows carry over).
CREATE TABLE engine_process_definition (
  key              bigint PRIMARY KEY,
  bpmn_process_id  text NOT NULL,
  version          integer NOT NULL,
  version_tag      text,
  resource_name    text NOT NULL,
  xml              text NOT NULL,
  deployed_at      timestamptz NOT NULL
);
CREATE INDEX engine_process_definition_process ON engine_process_definition (bpmn_process_id, version);
CREATE TABLE engine_process_instance (
  key                          bigint PRIMARY KEY,
  process_definition_key       bigint NOT NULL,
  bpmn_process_id              text NOT NULL,
  version                      integer NOT NULL,
  state                        text NOT NULL CHECK (state IN ('active', 'completed', 'cancelled')),
  started_at                   timestamptz NOT NULL,
  ended_at                     timestamptz,
  parent_key                   bigint,
  parent_element_instance_key  bigint,
  case_type                    text,
  case_id                      text,
  application_id               text
);
CREATE INDEX engine_process_instance_process ON engine_process_instance (bpmn_process_id, version);
CREATE INDEX engine_process_instance_started ON engine_process_instance (started_at DESC);
CREATE INDEX engine_process_instance_active ON engine_process_instance (state) WHERE state = 'active';
CREATE INDEX engine_process_instance_case ON engine_process_instance (case_id);
CREATE INDEX engine_process_instance_application ON engine_process_instance (application_id);
CREATE INDEX engine_process_instance_parent ON engine_process_instance (parent_key);
CREATE TABLE engine_element_instance (
  key                   bigint PRIMARY KEY,
  process_instance_key  bigint NOT NULL,
  element_id            text NOT NULL,
  element_type          text NOT NULL,
  flow_scope_key        bigint,
  state                 text NOT NULL CHECK (state IN ('active', 'completed', 'terminated')),
  started_at            timestamptz NOT NULL,
  ended_at              timestamptz
);
CREATE INDEX engine_element_instance_instance ON engine_element_instance (process_instance_key, started_at);
CREATE TABLE engine_incident (
  key                    bigint PRIMARY KEY,
  process_instance_key   bigint NOT NULL,
  process_definition_key bigint,
  bpmn_process_id        text NOT NULL,
  element_id             text NOT NULL,
  element_instance_key   bigint NOT NULL,
  job_key                bigint,
  error_type             text NOT NULL,
  error_message          text NOT NULL,
  state                  text NOT NULL CHECK (state IN ('active', 'resolved')),
  created_at             timestamptz NOT NULL,
  resolved_at            timestamptz
);
CREATE INDEX engine_incident_state ON engine_incident (state, created_at DESC);
CREATE INDEX engine_incident_instance ON engine_incident (process_instance_key);
CREATE TABLE engine_variable (
  scope_key             bigint NOT NULL,
  name                  text NOT NULL,
  process_instance_key  bigint NOT NULL,
  value                 jsonb NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (scope_key, name)
);
CREATE INDEX engine_variable_instance ON engine_variable (process_instance_key);
CREATE TABLE engine_history_position (
  partition_id  integer PRIMARY KEY,
  position      bigint NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE decision DROP CONSTRAINT decision_task_id_fkey;
DROP TABLE review_task;
CREATE TABLE review_task (
  job_key              text PRIMARY KEY,
  application_id       uuid REFERENCES application (id),
  process_instance_key text NOT NULL,
  bpmn_process_id      text NOT NULL,
  element_id           text NOT NULL,
  candidate_groups     text[] NOT NULL DEFAULT '{}',
  assignee             text,
  due_at               timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  completed_at         timestamptz,
  outcome              text,
  overdue_escalated_at timestamptz,
  case_type            text NOT NULL DEFAULT 'application',
  case_id              uuid NOT NULL
);
CREATE INDEX review_task_open_idx ON review_task (due_at) WHERE completed_at IS NULL;
UPDATE decision SET task_id = NULL;
ALTER TABLE decision RENAME COLUMN task_id TO task_job_key;
ALTER TABLE decision RENAME CONSTRAINT decision_task_id_key TO decision_task_job_key_key;
ALTER TABLE decision
  ADD CONSTRAINT decision_task_job_key_fkey FOREIGN KEY (task_job_key) REFERENCES review_task (job_key);
