-- Up Migration

-- Registration numbers are a citizen's place in line (003 §5.5): they must stay gapless. A
-- sequence is not: its values are cached and logged ahead (up to 32 lost in a crash of the
-- server) and a rolled-back submission burns its number. The counter row is updated in the
-- submitting transaction, so a number exists exactly when its submission committed.
CREATE TABLE registration_counter (
  name        text PRIMARY KEY,
  last_value  bigint NOT NULL CHECK (last_value >= 0)
);
INSERT INTO registration_counter (name, last_value)
  SELECT 'application', COALESCE(max(registration_number), 0) FROM application;
DROP SEQUENCE application_registration_number_seq;

-- The next number, in the caller's transaction (a rollback gives it back).
CREATE FUNCTION next_registration_number() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  UPDATE registration_counter SET last_value = last_value + 1 WHERE name = 'application'
  RETURNING last_value
$$;

-- Down Migration
DROP FUNCTION next_registration_number();
CREATE SEQUENCE application_registration_number_seq;
SELECT setval('application_registration_number_seq', last_value + 1, false)
  FROM registration_counter WHERE name = 'application';
DROP TABLE registration_counter;
