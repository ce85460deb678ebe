-- Up Migration

-- The engine's history, recorded from the broker's history exporter (engine/history-exporter,
-- src/engine/history-intake.ts) for the operator console: the 8.6 broker has no Operate or
-- secondary storage to search. Keys are the engine's 64-bit keys. No foreign keys: records of
-- different kinds may arrive in any order, and history older than the exporter is absent.

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
  -- the case it serves: the caseType/caseId (and applicationId) variables of its root scope
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

-- The latest value of each variable per scope (an element instance or the process instance).
CREATE TABLE engine_variable (
  scope_key             bigint NOT NULL,
  name                  text NOT NULL,
  process_instance_key  bigint NOT NULL,
  value                 jsonb NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (scope_key, name)
);
CREATE INDEX engine_variable_instance ON engine_variable (process_instance_key);

-- Last record position applied per partition: records at or below it are duplicates (the
-- exporter sends again from its last acknowledged position after a crash).
CREATE TABLE engine_history_position (
  partition_id  integer PRIMARY KEY,
  position      bigint NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE engine_history_position;
DROP TABLE engine_variable;
DROP TABLE engine_incident;
DROP TABLE engine_element_instance;
DROP TABLE engine_process_instance;
DROP TABLE engine_process_definition;
