-- Up Migration

-- Applications for the electronic cabinet (000 §2, 003 §5). The registration number is given
-- in real time at submission, in submission order (003 §5.5).
CREATE SEQUENCE application_registration_number_seq;

CREATE TABLE application (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  registration_number   bigint UNIQUE,
  applicant_fin         varchar(7) NOT NULL,
  spouse_fin            varchar(7),
  category              smallint NOT NULL CHECK (category BETWEEN 1 AND 11),
  status                text NOT NULL,
  process_instance_key  text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  submitted_at          timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_applicant_fin_idx ON application (applicant_fin);
CREATE INDEX application_spouse_fin_idx ON application (spouse_fin);

-- Results of automated checks, one row per check and application (a retried job overwrites).
CREATE TABLE automated_check (
  application_id  uuid NOT NULL REFERENCES application (id),
  check_name      text NOT NULL,
  passed          boolean NOT NULL,
  detail          jsonb NOT NULL DEFAULT '{}'::jsonb,
  legal_ground    text NOT NULL,
  checked_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (application_id, check_name)
);

-- Audit trail: who changed what, when, on which legal ground (domain brief §8).
CREATE TABLE audit_event (
  id          bigserial PRIMARY KEY,
  case_type   text NOT NULL,
  case_id     uuid NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  legal_ground text,
  reason      text,
  before      jsonb,
  after       jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_event_case_idx ON audit_event (case_type, case_id, at);

-- Process definitions this app has deployed; a redeploy of an unchanged model adds no row.
CREATE TABLE model_deployment (
  definition_key  text PRIMARY KEY,
  process_id      text NOT NULL,
  version         integer NOT NULL,
  resource_name   text NOT NULL,
  checksum        text NOT NULL,
  deployed_at     timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE model_deployment;
DROP TABLE audit_event;
DROP TABLE automated_check;
DROP TABLE application;
DROP SEQUENCE application_registration_number_seq;
