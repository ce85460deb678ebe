-- Up Migration

-- Registering bodies (local executive authorities, municipalities, employers) and their
-- registration norm: m² of living space per person below which a family needs housing
-- (Housing Code 49.4–49.5; set per body).
CREATE TABLE registering_body (
  code                  text PRIMARY KEY,
  kind                  text NOT NULL CHECK (kind IN ('local-executive', 'municipality', 'employer', 'agency')),
  name_az               text NOT NULL,
  name_en               text NOT NULL,
  registration_norm_m2  numeric(6,2),
  created_at            timestamptz NOT NULL DEFAULT now()
);
INSERT INTO registering_body (code, kind, name_az, name_en, registration_norm_m2) VALUES
  ('mida', 'agency', 'Mənzil İnşaatı Dövlət Agentliyi (MİDA)', 'State Housing Construction Agency (MIDA)', NULL),
  ('baku-nasimi', 'local-executive', 'Bakı şəhəri Nəsimi rayon İcra Hakimiyyəti', 'Nasimi District Executive Authority, Baku', 9.00),
  ('sumgait', 'local-executive', 'Sumqayıt şəhər İcra Hakimiyyəti', 'Sumgait City Executive Authority', 9.00);

-- Lists per body: general, first-turn and out-of-turn are kept separately (004 §9, 56.2).
CREATE TABLE waitlist (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  body_code   text NOT NULL REFERENCES registering_body (code),
  kind        text NOT NULL CHECK (kind IN ('general', 'first-turn', 'out-of-turn')),
  UNIQUE (body_code, kind)
);
INSERT INTO waitlist (body_code, kind)
  SELECT code, k FROM registering_body, unnest(ARRAY['general', 'first-turn', 'out-of-turn']) AS k WHERE kind <> 'agency';

-- A family on a waitlist: one registered member (004 §10), the others listed.
CREATE TABLE waitlist_entry (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  waitlist_id            uuid NOT NULL REFERENCES waitlist (id),
  registered_fin         varchar(7),
  -- queue order (56.1, 004 §22): registration date, then degree of need (higher first), then
  -- seniority (earlier first); the id breaks any remaining tie so the order is total
  registration_date      date NOT NULL,
  need_degree            smallint NOT NULL DEFAULT 0,
  seniority_date         date,
  decision_number        text NOT NULL,
  grounds_of_need        text[] NOT NULL DEFAULT '{}',
  status                 text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'held', 'removed', 'housed')),
  held_until             date,
  removed_on             date,
  removal_ground         text,
  offer_barred_until     date,
  case_closed_on         date,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
-- One place per person per list at a time.
CREATE UNIQUE INDEX waitlist_entry_person_idx ON waitlist_entry (waitlist_id, registered_fin) WHERE status IN ('active', 'held');

-- Members without a FIN yet (young children) are listed too.
CREATE TABLE waitlist_family_member (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entry_id     uuid NOT NULL REFERENCES waitlist_entry (id),
  fin          varchar(7),
  relation     text NOT NULL,
  birth_date   date,
  adult        boolean NOT NULL DEFAULT true,
  UNIQUE (entry_id, fin)
);
CREATE INDEX waitlist_family_member_fin_idx ON waitlist_family_member (fin);

-- Dwellings the family holds, summed against the norm (50.2).
CREATE TABLE waitlist_dwelling (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entry_id    uuid NOT NULL REFERENCES waitlist_entry (id),
  address     text NOT NULL,
  area_m2     numeric(8,2) NOT NULL CHECK (area_m2 >= 0),
  share       numeric(5,4) NOT NULL DEFAULT 1 CHECK (share > 0 AND share <= 1)
);

-- Down Migration
DROP TABLE waitlist_dwelling;
DROP TABLE waitlist_family_member;
DROP TABLE waitlist_entry;
DROP TABLE waitlist;
DROP TABLE registering_body;
