-- Up Migration
-- The name and date of birth of the person a seizure or transfer case is about, as the identity
-- registry gave them when the case opened (the registered person for a seizure, 55.1–55.2; the
-- representative for a transfer, 002 §2.3: fetched, not asked for). The reviewer sees them beside
-- the FIN like an application's (migration 1732240000140). applicant_looked_up_at: when the
-- registry was asked; set with a NULL name when the registry does not know the person.
ALTER TABLE waitlist_case
  ADD COLUMN applicant_name jsonb,
  ADD COLUMN applicant_birth_date date,
  ADD COLUMN applicant_looked_up_at timestamptz;

-- Down Migration
ALTER TABLE waitlist_case
  DROP COLUMN applicant_name, DROP COLUMN applicant_birth_date, DROP COLUMN applicant_looked_up_at;
