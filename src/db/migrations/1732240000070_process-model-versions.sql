-- Up Migration

-- The deployed XML of every process model version, so analysts can see and compare the
-- versions the engine runs (the engine's own copy is not searchable on Camunda 8.6), and who
-- deployed it: NULL for the deployment at start-up, the analyst's id for an upload.
ALTER TABLE model_deployment
  ADD COLUMN xml         text,
  ADD COLUMN deployed_by text;

CREATE INDEX model_deployment_process_idx ON model_deployment (process_id, version);

-- The audit trail names more than cases by uuid: accounts (their ids), process models (their
-- definition keys). A text case id holds every one of them; uuids keep their form as text.
ALTER TABLE audit_event ALTER COLUMN case_id TYPE text;

-- Down Migration
-- (audit_event.case_id stays text: rows naming accounts or models have no uuid to go back to)
DROP INDEX model_deployment_process_idx;
ALTER TABLE model_deployment DROP COLUMN deployed_by, DROP COLUMN xml;
