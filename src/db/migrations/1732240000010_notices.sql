-- Up Migration

-- Notices to citizens and operators (000 §2.1.8: electronic cabinet, e-mail mandatory, SMS optional),
-- written in the transaction of the change that causes them (transactional outbox). One row per
-- channel; UNIQUE (idempotency_key, channel) stores a notice once however often its job is retried.
-- address is the FIN, e-mail or phone: personal data, never logged.
CREATE TABLE notice_outbox (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('cabinet', 'email', 'sms')),
  case_type        text NOT NULL,
  case_id          uuid NOT NULL,
  template         text NOT NULL,
  lang             text NOT NULL CHECK (lang IN ('az', 'en')),
  address          text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  provider_id      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  failed_at        timestamptz,
  UNIQUE (idempotency_key, channel)
);
CREATE INDEX notice_outbox_due_idx ON notice_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX notice_outbox_case_idx ON notice_outbox (case_type, case_id);
CREATE INDEX notice_outbox_failed_idx ON notice_outbox (failed_at) WHERE status = 'failed';

-- The citizen's electronic-cabinet inbox (000 §3; 003 §5.5-1 "bildiriş ... elektron kabinetində
-- yerləşdirilir"). Written in the dispatcher's transaction that marks the outbox row sent, so
-- each notice appears once.
CREATE TABLE cabinet_notice (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fin              varchar(7) NOT NULL,
  case_type        text NOT NULL,
  case_id          uuid NOT NULL,
  template         text NOT NULL,
  lang             text NOT NULL CHECK (lang IN ('az', 'en')),
  subject          text NOT NULL,
  text             text NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  read_at          timestamptz
);
CREATE INDEX cabinet_notice_fin_idx ON cabinet_notice (fin, created_at DESC);

-- Down Migration
DROP TABLE cabinet_notice;
DROP TABLE notice_outbox;
