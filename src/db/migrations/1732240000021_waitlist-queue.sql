-- Up Migration

-- Queue order of a waitlist (56.1, 004 §22): registration date, then degree of need (higher
-- first), then seniority (earlier first; none = last), then the id. Stored as one btree key so
-- that "the entries ahead of this one" is a row-value range of one index:
--   (registration_date, neg_need, seniority_sort, id) < (the entry's)
-- neg_need turns "higher need first" into ascending order; seniority_sort is never NULL
-- ('infinity' sorts after every date), so a row comparison never meets a NULL.
-- A position is derived from these, never stored: nothing is rewritten when entries come or go.
ALTER TABLE waitlist_entry
  ADD COLUMN neg_need smallint GENERATED ALWAYS AS (-need_degree) STORED,
  ADD COLUMN seniority_sort date GENERATED ALWAYS AS (COALESCE(seniority_date, 'infinity'::date)) STORED,
  -- records retention (004 §17), done by the daily job apply-records-retention: the day the
  -- file (family members, dwellings) was destroyed, 3 years after the case ended, and the day
  -- the book line lost its personal data, 10 years after
  ADD COLUMN records_file_destroyed_on date,
  ADD COLUMN records_book_anonymized_on date;

-- The places in each list: only entries that hold a place (active, or held under 004 §20).
CREATE INDEX waitlist_entry_queue_idx
  ON waitlist_entry (waitlist_id, registration_date, neg_need, seniority_sort, id)
  WHERE status IN ('active', 'held');

-- Entries whose records the retention job still has to look at.
CREATE INDEX waitlist_entry_retention_idx
  ON waitlist_entry (case_closed_on)
  WHERE case_closed_on IS NOT NULL AND records_book_anonymized_on IS NULL;

-- How many entries hold a place per list and registration day, kept exact by the statement
-- triggers below (same transaction as the change). A position at 1,000,000 entries is then
-- the sum over the earlier days of the list (about 365 rows a year) plus a count among the
-- entries of the same day, instead of counting up to a million index entries.
CREATE TABLE waitlist_day_count (
  waitlist_id        uuid NOT NULL REFERENCES waitlist (id),
  registration_date  date NOT NULL,
  entries            integer NOT NULL CHECK (entries >= 0),
  PRIMARY KEY (waitlist_id, registration_date)
) WITH (fillfactor = 70);

-- Recounts everything from the entries: for the migration, and for an operator after a load
-- that bypassed the triggers (session_replication_role = replica, pg_restore --disable-triggers).
CREATE FUNCTION waitlist_day_count_rebuild() RETURNS void
LANGUAGE sql AS $$
  LOCK TABLE waitlist_entry IN SHARE MODE;
  DELETE FROM waitlist_day_count;
  INSERT INTO waitlist_day_count (waitlist_id, registration_date, entries)
    SELECT waitlist_id, registration_date, count(*) FROM waitlist_entry
     WHERE status IN ('active', 'held') GROUP BY waitlist_id, registration_date;
$$;
SELECT waitlist_day_count_rebuild();

-- One statement trigger per operation, with its transition tables: a bulk insert of a million
-- rows costs one grouped upsert, a one-row change one tiny one. The delta per (list, day) is
-- +1 for each new row holding a place and -1 for each old one; zero deltas are skipped, so an
-- update that changes nothing of the order (e.g. offer_barred_until) writes nothing here.
--
-- Applying a delta: existing rows are updated, the rest inserted with ON CONFLICT (a row another
-- transaction created meanwhile is then added to, not lost), all in one statement. A negative
-- delta for a day without a row would break the CHECK: the counts and the entries disagree, and
-- the change fails instead of going on with a wrong queue.
CREATE FUNCTION waitlist_day_count_add(lists uuid[], days date[], deltas integer[]) RETURNS void
LANGUAGE sql AS $$
  WITH delta AS (
    SELECT l AS waitlist_id, d AS registration_date, n
      FROM unnest(lists, days, deltas) AS t (l, d, n) WHERE n <> 0
  ), updated AS (
    UPDATE waitlist_day_count c SET entries = c.entries + delta.n
      FROM delta
     WHERE c.waitlist_id = delta.waitlist_id AND c.registration_date = delta.registration_date
    RETURNING c.waitlist_id, c.registration_date
  )
  INSERT INTO waitlist_day_count AS c (waitlist_id, registration_date, entries)
  SELECT delta.waitlist_id, delta.registration_date, delta.n FROM delta
   WHERE NOT EXISTS (SELECT 1 FROM updated u
                      WHERE u.waitlist_id = delta.waitlist_id
                        AND u.registration_date = delta.registration_date)
   ORDER BY 1, 2
  ON CONFLICT (waitlist_id, registration_date) DO UPDATE SET entries = c.entries + EXCLUDED.entries;
$$;

CREATE FUNCTION waitlist_day_count_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM waitlist_day_count_add(array_agg(waitlist_id), array_agg(registration_date), array_agg(n))
     FROM (SELECT waitlist_id, registration_date, count(*)::integer AS n FROM new_rows
            WHERE status IN ('active', 'held') GROUP BY 1, 2) AS delta;
  RETURN NULL;
END;
$$;

CREATE FUNCTION waitlist_day_count_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM waitlist_day_count_add(array_agg(waitlist_id), array_agg(registration_date), array_agg(n))
     FROM (SELECT waitlist_id, registration_date, -count(*)::integer AS n FROM old_rows
            WHERE status IN ('active', 'held') GROUP BY 1, 2) AS delta;
  RETURN NULL;
END;
$$;

CREATE FUNCTION waitlist_day_count_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM waitlist_day_count_add(array_agg(waitlist_id), array_agg(registration_date), array_agg(n))
     FROM (SELECT waitlist_id, registration_date, sum(n)::integer AS n FROM (
             SELECT waitlist_id, registration_date, 1 AS n FROM new_rows
              WHERE status IN ('active', 'held')
             UNION ALL
             SELECT waitlist_id, registration_date, -1 FROM old_rows
              WHERE status IN ('active', 'held')) AS changes
            GROUP BY 1, 2 HAVING sum(n) <> 0) AS delta;
  RETURN NULL;
END;
$$;

CREATE FUNCTION waitlist_day_count_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM waitlist_day_count;
  RETURN NULL;
END;
$$;

CREATE TRIGGER waitlist_day_count_insert AFTER INSERT ON waitlist_entry
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_count_on_insert();
CREATE TRIGGER waitlist_day_count_update AFTER UPDATE ON waitlist_entry
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_count_on_update();
CREATE TRIGGER waitlist_day_count_delete AFTER DELETE ON waitlist_entry
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_count_on_delete();
CREATE TRIGGER waitlist_day_count_truncate AFTER TRUNCATE ON waitlist_entry
  FOR EACH STATEMENT EXECUTE FUNCTION waitlist_day_count_on_truncate();

-- Down Migration
DROP TRIGGER IF EXISTS waitlist_day_count_truncate ON waitlist_entry;
DROP TRIGGER IF EXISTS waitlist_day_count_delete ON waitlist_entry;
DROP TRIGGER IF EXISTS waitlist_day_count_update ON waitlist_entry;
DROP TRIGGER IF EXISTS waitlist_day_count_insert ON waitlist_entry;
DROP FUNCTION IF EXISTS waitlist_day_count_on_truncate();
DROP FUNCTION IF EXISTS waitlist_day_count_on_update();
DROP FUNCTION IF EXISTS waitlist_day_count_on_delete();
DROP FUNCTION IF EXISTS waitlist_day_count_on_insert();
DROP FUNCTION IF EXISTS waitlist_day_count_add(uuid[], date[], integer[]);
DROP FUNCTION IF EXISTS waitlist_day_count_rebuild();
DROP TABLE IF EXISTS waitlist_day_count;
DROP INDEX IF EXISTS waitlist_entry_retention_idx;
DROP INDEX IF EXISTS waitlist_entry_queue_idx;
ALTER TABLE waitlist_entry
  DROP COLUMN records_book_anonymized_on,
  DROP COLUMN records_file_destroyed_on,
  DROP COLUMN seniority_sort,
  DROP COLUMN neg_need;
