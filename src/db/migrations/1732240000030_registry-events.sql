-- Up Migration

-- Facts the state registries push (POST /api/v1/registry-events): death, relocation,
-- preferential mortgage, land plot, property, sentence. Stored once per event id; a repeat with
-- the same content is answered from `result`, the same id with other content is refused
-- (content_sha256 tells them apart). Grounds for removal: Housing Code 55.1, 004 §19.
CREATE TABLE registry_event (
  event_id        text PRIMARY KEY,
  source          text NOT NULL CHECK (source IN ('civil-status', 'residence', 'mortgage-fund', 'land', 'real-estate', 'court')),
  kind            text NOT NULL CHECK (kind IN ('death', 'moved-away', 'preferential-mortgage-granted', 'land-plot-granted', 'property-acquired', 'sentenced')),
  fin             varchar(7) NOT NULL,
  occurred_on     date NOT NULL,
  details         jsonb NOT NULL DEFAULT '{}'::jsonb,
  content_sha256  text NOT NULL,
  -- the answer given when the event was accepted (returned again on a repeat)
  result          jsonb,
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registry_event_fin_idx ON registry_event (fin);

-- What an event meant for each waitlist entry it matched: a case opened, a ground added to the
-- open case, or recorded only (a family member's death, a sentence of 6 months or less).
CREATE TABLE registry_event_match (
  event_id   text NOT NULL REFERENCES registry_event (event_id),
  entry_id   uuid NOT NULL REFERENCES waitlist_entry (id),
  role       text NOT NULL CHECK (role IN ('registered', 'family-member')),
  ground     text,
  outcome    text NOT NULL CHECK (outcome IN ('case-opened', 'ground-added', 'ground-already-open', 'recorded-only')),
  reason     text,
  case_id    uuid REFERENCES waitlist_case (id),
  PRIMARY KEY (event_id, entry_id, role)
);
CREATE INDEX registry_event_match_entry_idx ON registry_event_match (entry_id);

-- The administrative unit of a registering body's territory: a permanent residence registered
-- in another unit is the ground of 55.1.3 / 004 §19(b). Work-place lists (employers) have none,
-- so the residence test does not apply to them.
CREATE TABLE registering_body_territory (
  body_code            text PRIMARY KEY REFERENCES registering_body (code),
  administrative_unit  text NOT NULL
);
INSERT INTO registering_body_territory (body_code, administrative_unit) VALUES
  ('baku-nasimi', 'baku-nasimi'),
  ('sumgait', 'sumgait');

-- Annual re-verification of the lists in the first quarter (004 §18): one run per year, its
-- entries cut into batches when it starts (REVERIFICATION_BATCH_SIZE), one check per entry.
CREATE TABLE reverification_run (
  year                  integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),
  batch_size            integer NOT NULL CHECK (batch_size > 0),
  entries_total         integer NOT NULL,
  batches_total         integer NOT NULL,
  process_instance_key  text,
  started_at            timestamptz NOT NULL,
  finished_at           timestamptz
);

CREATE TABLE reverification_batch (
  id           text PRIMARY KEY,
  year         integer NOT NULL REFERENCES reverification_run (year),
  seq          integer NOT NULL,
  entry_ids    uuid[] NOT NULL,
  started_at   timestamptz,
  finished_at  timestamptz,
  UNIQUE (year, seq)
);

-- One row per entry and year, written with the entry's cases in one transaction: a batch
-- retried after a crash skips the entries already checked. `findings` holds no personal data
-- (which registries knew the person, counts, dates, codes).
CREATE TABLE reverification_check (
  year        integer NOT NULL REFERENCES reverification_run (year),
  entry_id    uuid NOT NULL REFERENCES waitlist_entry (id),
  batch_id    text NOT NULL REFERENCES reverification_batch (id),
  outcome     text NOT NULL CHECK (outcome IN ('no-ground', 'case-opened', 'ground-added', 'already-open', 'skipped')),
  grounds     text[] NOT NULL DEFAULT '{}',
  notes       text[] NOT NULL DEFAULT '{}',
  findings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  case_id     uuid REFERENCES waitlist_case (id),
  checked_at  timestamptz NOT NULL,
  PRIMARY KEY (year, entry_id)
);
CREATE INDEX reverification_check_batch_idx ON reverification_check (batch_id);

-- Down Migration
DROP TABLE reverification_check;
DROP TABLE reverification_batch;
DROP TABLE reverification_run;
DROP TABLE registering_body_territory;
DROP TABLE registry_event_match;
DROP TABLE registry_event;
