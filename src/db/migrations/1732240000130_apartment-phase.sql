-- Up Migration

-- The apartment phase (003 §3.5, §4–§7): announcements of a building's apartments, the
-- apartments with their state, the holders' selections and waiting slots, contracts and exchanges.

-- §6.5.2 and §6.5.3 both give the 3 working days to switch to own funds.
UPDATE legal_period SET citation = '003 §6.5.2, §6.5.3', updated_by = 'migration 1732240000130'
 WHERE code = 'selection-switch-to-own-funds';

-- §3.5: "own funds only" may not be announced twice in a row: publication order is kept.
CREATE SEQUENCE announcement_publication_seq;

CREATE TABLE announcement (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status               text NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'checking', 'refused', 'published', 'open', 'closed')),
  -- §4.3–§4.4 contents (address, areas, offers per room count, how to apply, completion date,
  -- website, general contractor, master plan, agent banks) as the officer drafted them
  content              jsonb NOT NULL,
  built_percent        numeric(5, 2) NOT NULL CHECK (built_percent BETWEEN 0 AND 100),
  payment_method       text NOT NULL CHECK (payment_method IN ('mortgage-and-own-funds', 'own-funds-only')),
  electronic           boolean NOT NULL,
  selection_starts_on  date NOT NULL,
  selection_ends_on    date NOT NULL CHECK (selection_ends_on >= selection_starts_on),
  published_on         date,
  publication_seq      bigint UNIQUE,
  refusal              jsonb,
  drafted_by           text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((status IN ('published', 'open', 'closed')) = (publication_seq IS NOT NULL))
);
CREATE INDEX announcement_status_idx ON announcement (status);

-- An apartment offered by an announcement. state: free, selected (locked for a holder, §5.7),
-- sold (contract signed, §7), released (lock lifted with nobody waiting: to the next
-- announcement, §5.9).
CREATE TABLE apartment (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  announcement_id  uuid NOT NULL REFERENCES announcement (id),
  building         text NOT NULL,
  number           text NOT NULL,
  address          text NOT NULL,
  rooms            smallint NOT NULL CHECK (rooms > 0),
  floor            smallint NOT NULL,
  area_m2          numeric(7, 2) NOT NULL CHECK (area_m2 > 0),
  price_qepik      bigint NOT NULL CHECK (price_qepik > 0),
  state            text NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'selected', 'sold', 'released')),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (announcement_id, building, number)
);
CREATE INDEX apartment_listing_idx ON apartment (announcement_id, state, rooms, floor, price_qepik);

-- A holder's bank preliminary approval uploaded to the cabinet (003 §5.5-2); the latest counts.
CREATE TABLE bank_pre_approval (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   uuid NOT NULL REFERENCES application (id),
  bank_name        text NOT NULL,
  decision_number  text NOT NULL,
  issued_on        date NOT NULL,
  amount_qepik     bigint CHECK (amount_qepik > 0),
  uploaded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_pre_approval_application_idx ON bank_pre_approval (application_id, uploaded_at DESC);

-- A holder's selection (origin 'select', §5.7) or waiting selection (origin 'waiting', slot 1 or
-- 2, §5.7-1). position: 0 = the applicant, holding the lock; 1, 2 = waiting. A promoted waiting
-- holder (§5.7-2, §5.7-3) keeps the row and moves to position 0.
CREATE TABLE apartment_selection (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  announcement_id        uuid NOT NULL REFERENCES announcement (id),
  apartment_id           uuid NOT NULL REFERENCES apartment (id),
  application_id         uuid NOT NULL REFERENCES application (id),
  origin                 text NOT NULL CHECK (origin IN ('select', 'waiting')),
  waiting_slot           smallint CHECK (waiting_slot IN (1, 2)),
  position               smallint NOT NULL CHECK (position IN (0, 1, 2)),
  state                  text NOT NULL DEFAULT 'active'
                           CHECK (state IN ('active', 'cancelled', 'withdrawn', 'contracted', 'lapsed')),
  payment_method         text NOT NULL CHECK (payment_method IN ('own-funds', 'mortgage')),
  pre_approval_id        uuid REFERENCES bank_pre_approval (id),
  process_instance_key   text,
  selected_at            timestamptz NOT NULL DEFAULT now(),
  became_applicant_at    timestamptz,
  notice_due_on          date,
  notice_posted_on       date,
  -- the next deadline the holder must meet (§6.2, §6.3, §6.5.2–6.5.3), shown in the cabinet
  due_code               text,
  due_on                 date,
  notary                 jsonb,
  notary_date_requested_at timestamptz,
  bank_applied_on        date,
  bank_decision          text CHECK (bank_decision IN ('approved', 'refused')),
  cancel_ground          text,
  cancel_citation        text,
  cancel_reason          text,
  cancelled_by           text,
  ended_at               timestamptz,
  CHECK ((origin = 'waiting') = (waiting_slot IS NOT NULL)),
  CHECK (origin = 'waiting' OR position = 0),
  CHECK ((state = 'cancelled') = (cancel_ground IS NOT NULL))
);
-- No apartment is ever locked to two holders (§5.7).
CREATE UNIQUE INDEX apartment_selection_one_lock
  ON apartment_selection (apartment_id) WHERE state = 'active' AND position = 0;
-- Two waiting slots per apartment, each taken once (§5.7-1).
CREATE UNIQUE INDEX apartment_selection_waiting_slot
  ON apartment_selection (apartment_id, waiting_slot) WHERE origin = 'waiting';
-- One selection and one waiting selection per holder per announcement (§5.7, §5.7-1) …
CREATE UNIQUE INDEX apartment_selection_once_per_announcement
  ON apartment_selection (announcement_id, application_id, origin);
-- … and never two live ones at a time.
CREATE UNIQUE INDEX apartment_selection_one_live
  ON apartment_selection (announcement_id, application_id) WHERE state = 'active';
CREATE INDEX apartment_selection_holder_idx ON apartment_selection (application_id);

-- §7: the sale (or sale-and-mortgage, §7.3) contract, certified by a notary and prior-registered
-- in the real-estate registry (§7.2, §7.2-1, §7.4). The case ends when it is signed.
CREATE TABLE apartment_contract (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  selection_id                uuid NOT NULL UNIQUE REFERENCES apartment_selection (id),
  kind                        text NOT NULL CHECK (kind IN ('sale', 'sale-and-mortgage')),
  signed_on                   date NOT NULL,
  notary_name                 text NOT NULL,
  notary_certification_number text NOT NULL,
  registry_prior_registration text NOT NULL,
  agent_bank                  text,
  loan_qepik                  bigint CHECK (loan_qepik > 0),
  recorded_by                 text NOT NULL,
  recorded_at                 timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'sale-and-mortgage') = (loan_qepik IS NOT NULL AND agent_bank IS NOT NULL))
);

-- §2.3–§2.4: an exchange of an acquired apartment with the Agency's consent, on the owner's
-- reasoned written request; not a second use of the right (§2.2 does not apply).
CREATE TABLE apartment_exchange (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id      uuid NOT NULL REFERENCES application (id),
  from_apartment_id   uuid NOT NULL REFERENCES apartment (id),
  to_apartment_id     uuid NOT NULL REFERENCES apartment (id),
  request_reason      text NOT NULL,
  consent_number      text NOT NULL,
  consent_on          date NOT NULL,
  recorded_by         text NOT NULL,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (from_apartment_id <> to_apartment_id)
);

-- Down Migration
DROP TABLE apartment_exchange;
DROP TABLE apartment_contract;
DROP TABLE apartment_selection;
DROP TABLE bank_pre_approval;
DROP TABLE apartment;
DROP TABLE announcement;
DROP SEQUENCE announcement_publication_seq;
UPDATE legal_period SET citation = '003 §6.5' WHERE code = 'selection-switch-to-own-funds';
