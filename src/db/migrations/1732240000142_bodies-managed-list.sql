-- Up Migration
-- Bodies are a managed list (issue 15): registering_body (code, kind, names in az and en; kind
-- 'agency' is MİDA, 'local-executive' a local executive authority) is the one list that
-- accounts, the inbox filter, applications and waitlist cases refer to, so a typo such as `mdia`
-- is refused instead of silently making an empty inbox.

-- Existing codes are mapped first: a code that differs from a listed one only in case or spaces
-- becomes the listed one.
UPDATE application a SET registering_body = b.code FROM registering_body b
 WHERE a.registering_body <> b.code AND lower(trim(a.registering_body)) = b.code;
UPDATE account SET bodies = ARRAY(
  SELECT COALESCE((SELECT r.code FROM registering_body r WHERE r.code = lower(trim(x))), x)
    FROM unnest(bodies) AS x)
 WHERE bodies <> '{}';
-- A code still in use that the list lacks is added, named by its code, for an administrator to
-- name: no account or application loses its body.
INSERT INTO registering_body (code, kind, name_az, name_en)
SELECT DISTINCT used.c, 'local-executive', used.c, used.c
  FROM (SELECT registering_body AS c FROM application
        UNION SELECT unnest(bodies) FROM account) used
 WHERE used.c IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registering_body r WHERE r.code = used.c);

ALTER TABLE application ADD CONSTRAINT application_registering_body_fkey
  FOREIGN KEY (registering_body) REFERENCES registering_body (code);

-- account.bodies is an array, which a foreign key cannot cover: this trigger does its work.
CREATE FUNCTION account_bodies_listed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE unlisted text;
BEGIN
  SELECT x INTO unlisted FROM unnest(NEW.bodies) AS x
   WHERE NOT EXISTS (SELECT 1 FROM registering_body r WHERE r.code = x) LIMIT 1;
  IF unlisted IS NOT NULL THEN
    RAISE EXCEPTION 'no registering body %', unlisted USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER account_bodies_listed BEFORE INSERT OR UPDATE OF bodies ON account
  FOR EACH ROW EXECUTE FUNCTION account_bodies_listed();

-- and a body an account still names is not deleted
CREATE FUNCTION registering_body_unused() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM account WHERE OLD.code = ANY (bodies)) THEN
    RAISE EXCEPTION 'registering body % is named by an account', OLD.code
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER registering_body_unused BEFORE DELETE OR UPDATE OF code ON registering_body
  FOR EACH ROW EXECUTE FUNCTION registering_body_unused();

-- Down Migration
DROP TRIGGER registering_body_unused ON registering_body;
DROP FUNCTION registering_body_unused();
DROP TRIGGER account_bodies_listed ON account;
DROP FUNCTION account_bodies_listed();
ALTER TABLE application DROP CONSTRAINT application_registering_body_fkey;
