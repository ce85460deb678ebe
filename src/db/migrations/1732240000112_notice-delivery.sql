-- Up Migration

-- Issue #11: delivery periods of waitlist decisions — Housing Code 51.6 (the document confirming
-- the registration), 53.3 (the refusal) and 55.2 (the removal): handed over or sent within 3
-- working days of the decision. One row per decision notice (per task instance that delivers
-- it), with the due date computed from legal_period and the calendar. Electronic delivery counts
-- once one of its notice_outbox rows (same idempotency key) is sent; a citizen with no address
-- at all gets the paper route: the row is a postal-delivery task an operator marks delivered.
CREATE TABLE notice_delivery (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key  text NOT NULL UNIQUE,
  case_type        text NOT NULL,
  case_id          uuid NOT NULL,
  template         text NOT NULL,
  route            text NOT NULL CHECK (route IN ('electronic', 'paper')),
  -- the legal period of delivery (null: a notice the law gives no delivery period)
  period_code      text REFERENCES legal_period (code),
  citation         text,
  decided_on       date,
  due_date         date,
  due_at           timestamptz,
  -- the paper route: the rendered notice to print and post (Azerbaijani unless the case asks English)
  lang             text NOT NULL DEFAULT 'az' CHECK (lang IN ('az', 'en')),
  subject          text NOT NULL,
  body             text NOT NULL,
  delivered_at     timestamptz,
  delivered_on     date,
  delivered_by     text,
  delivery_note    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((period_code IS NULL) = (due_date IS NULL))
);
CREATE INDEX notice_delivery_open_idx ON notice_delivery (due_at) WHERE delivered_at IS NULL;
CREATE INDEX notice_delivery_case_idx ON notice_delivery (case_type, case_id);

-- 53.3, not 53.2, sets the 3 working days for the refusal (53.2 requires the reasons).
UPDATE legal_period SET citation = 'Housing Code 53.3', updated_at = now(), updated_by = 'migration 1732240000112'
 WHERE code = 'waitlist-refusal-delivery' AND citation = 'Housing Code 53.2';

-- Down Migration
UPDATE legal_period SET citation = 'Housing Code 53.2' WHERE code = 'waitlist-refusal-delivery';
DROP TABLE notice_delivery;
