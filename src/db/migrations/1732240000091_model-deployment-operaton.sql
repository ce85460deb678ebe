-- Up Migration

-- Model versions now live in Operaton: a version is named by the engine's process definition id,
-- and the engine keeps each version's XML (GET /process-definition/{id}/xml). The Zeebe versions
-- recorded before do not exist in the new engine and are dropped (the upload-survives-restart
-- rule must not compare start-up files with them).
DELETE FROM model_deployment;
ALTER TABLE model_deployment RENAME COLUMN definition_key TO definition_id;
ALTER TABLE model_deployment DROP COLUMN xml;

-- Down Migration
ALTER TABLE model_deployment ADD COLUMN xml text;
ALTER TABLE model_deployment RENAME COLUMN definition_id TO definition_key;
