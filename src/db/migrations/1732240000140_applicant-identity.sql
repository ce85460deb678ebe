-- Up Migration
-- The applicant's name and date of birth as the identity registry gave them to the identity
-- check (003 §5.3.2, the form is pre-filled from the registry per 000 §2.1.1). The reviewer sees
-- them beside the FIN (age decides the young-family categories, 000 §2.1.5) without a second
-- registry call. Kept on the application, not in the check's detail, which holds no personal data.
ALTER TABLE application
  ADD COLUMN applicant_name jsonb,
  ADD COLUMN applicant_birth_date date;

-- Down Migration
ALTER TABLE application DROP COLUMN applicant_name, DROP COLUMN applicant_birth_date;
