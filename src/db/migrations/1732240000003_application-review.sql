-- Up Migration

-- The application form (000 §2.1): the whole form as submitted, validated by the portal API.
-- Key fields used in queries stay in their own columns (applicant_fin, spouse_fin, category).
ALTER TABLE application ADD COLUMN form jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE application ADD COLUMN registering_body text NOT NULL DEFAULT 'mida';
ALTER TABLE application ADD COLUMN draft_expires_at timestamptz;
ALTER TABLE application ADD COLUMN review_due_at timestamptz;
ALTER TABLE application ADD COLUMN decided_at timestamptz;
ALTER TABLE application ALTER COLUMN category DROP NOT NULL;
-- A deleted draft keeps no personal data (000 §2.2), not even the FIN.
ALTER TABLE application ALTER COLUMN applicant_fin DROP NOT NULL;

-- Uploaded documents (000 §2.1.10): one per required document, type checked by content.
CREATE TABLE application_document (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   uuid NOT NULL REFERENCES application (id),
  kind             text NOT NULL,
  content_type     text NOT NULL,
  size_bytes       integer NOT NULL,
  sha256           text NOT NULL,
  content          bytea NOT NULL,
  issue_date       date,
  issuer           text,
  notarial_barcode varchar(13),
  note             text,
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  replaced_at      timestamptz
);
CREATE INDEX application_document_app_idx ON application_document (application_id) WHERE replaced_at IS NULL;

-- Legal grounds a decision may cite: data with the citation (code, point, texts).
CREATE TABLE legal_ground (
  code        text PRIMARY KEY,
  citation    text NOT NULL,
  decision    text NOT NULL CHECK (decision IN ('grant', 'refuse', 'discrepancy', 'extend', 'remove', 'retain', 'transfer')),
  process     text NOT NULL,
  text_az     text NOT NULL,
  text_en     text NOT NULL
);
INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('grant-cabinet', '003 §5.5', 'grant', 'application-review',
   'Müraciət qeydiyyat nömrələrinin ardıcıllığı ilə təmin edilir, elektron kabinet verilir.',
   'The application is granted in the order of registration numbers; the electronic cabinet is granted.'),
  ('refuse-not-in-category', '003 §5.5; 000 §2.1.5', 'refuse', 'application-review',
   'Müraciət edən güzəştli mənzil əldə etmək hüququ olan kateqoriyalara aid deyil.',
   'The applicant does not belong to a category entitled to a preferential apartment.'),
  ('refuse-right-already-used', '003 §2.2', 'refuse', 'application-review',
   'Güzəştli mənzil əldə etmək hüququndan ailə (şəxs) artıq istifadə edib.',
   'The family (person) has already used the right to a preferential apartment.'),
  ('refuse-documents-not-submitted', '002 §3.1.1; Mənzil Məcəlləsi 53.1.1', 'refuse', 'application-review',
   'Uyğunsuzluq müəyyən edilmiş müddətdə aradan qaldırılmayıb: sənədlər təqdim edilməyib.',
   'The discrepancy was not removed in time: the documents were not submitted.'),
  ('refuse-untrue-data', '003 §5.3; 000 §2.1', 'refuse', 'application-review',
   'Müraciətdə göstərilən məlumatlar dövlət reyestrlərinin məlumatlarına uyğun deyil.',
   'The data in the application does not match the state registries.'),
  ('discrepancy-found', '000 §2.4', 'discrepancy', 'application-review',
   'Müraciətdə uyğunsuzluq aşkar edilib; uyğunsuzluğu aradan qaldırıb müraciəti yenidən təqdim edin.',
   'The application has a discrepancy; remove it and resubmit.'),
  ('extend-further-inquiry', '003 §5.5', 'extend', 'application-review',
   'Əlavə araşdırma tələb olunduğu üçün baxılma müddəti 10 iş günü uzadılıb.',
   'The review period is extended by 10 working days because further inquiry is needed.');

-- Review tasks: our inbox of the engine's user tasks (job-based Camunda user tasks; the 8.6
-- engine has no user-task search without Elasticsearch, so the app keeps the list itself).
CREATE TABLE review_task (
  job_key              text PRIMARY KEY,
  application_id       uuid NOT NULL REFERENCES application (id),
  process_instance_key text NOT NULL,
  bpmn_process_id      text NOT NULL,
  element_id           text NOT NULL,
  candidate_groups     text[] NOT NULL DEFAULT '{}',
  assignee             text,
  due_at               timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  completed_at         timestamptz,
  outcome              text,
  overdue_escalated_at timestamptz
);
CREATE INDEX review_task_open_idx ON review_task (due_at) WHERE completed_at IS NULL;

-- Reasoned decisions (domain brief §8): ground, reviewer's text, who and when.
CREATE TABLE decision (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id  uuid NOT NULL REFERENCES application (id),
  task_job_key    text REFERENCES review_task (job_key),
  outcome         text NOT NULL,
  legal_ground    text NOT NULL REFERENCES legal_ground (code),
  reason          text NOT NULL,
  details         jsonb NOT NULL DEFAULT '{}'::jsonb,
  decided_by      text NOT NULL,
  decided_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (task_job_key)
);

-- Discrepancy rounds (000 §2.4): the reviewer's comments per field/document and the deadline.
CREATE TABLE discrepancy_round (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id  uuid NOT NULL REFERENCES application (id),
  round           integer NOT NULL,
  items           jsonb NOT NULL,
  due_date        date NOT NULL,
  due_at          timestamptz NOT NULL,
  opened_at       timestamptz NOT NULL DEFAULT now(),
  resubmitted_at  timestamptz,
  lapsed_at       timestamptz,
  UNIQUE (application_id, round)
);

-- Engine outbox: besides messages, job completions decided by people (a reviewer's decision is
-- committed first, the engine is told after, and told again after a crash).
ALTER TABLE engine_outbox ADD COLUMN kind text NOT NULL DEFAULT 'message';
ALTER TABLE engine_outbox ALTER COLUMN message_name DROP NOT NULL;
ALTER TABLE engine_outbox ALTER COLUMN correlation_key DROP NOT NULL;
ALTER TABLE engine_outbox ADD COLUMN job_key text;

-- Down Migration
ALTER TABLE engine_outbox DROP COLUMN job_key;
ALTER TABLE engine_outbox DROP COLUMN kind;
DROP TABLE discrepancy_round;
DROP TABLE decision;
DROP TABLE review_task;
DROP TABLE legal_ground;
DROP TABLE application_document;
ALTER TABLE application DROP COLUMN decided_at;
ALTER TABLE application DROP COLUMN review_due_at;
ALTER TABLE application DROP COLUMN draft_expires_at;
ALTER TABLE application DROP COLUMN registering_body;
ALTER TABLE application DROP COLUMN form;
