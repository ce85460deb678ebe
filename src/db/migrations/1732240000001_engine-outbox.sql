-- Up Migration

-- Commands for the engine written in the same transaction as the case change that causes them
-- (transactional outbox). The dispatcher publishes them; the message id makes a re-publish
-- after a crash a no-op in Zeebe, so no case is lost and no process starts twice.
CREATE TABLE engine_outbox (
  id              bigserial PRIMARY KEY,
  message_name    text NOT NULL,
  correlation_key text NOT NULL,
  message_id      text NOT NULL UNIQUE,
  variables       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text
);
CREATE INDEX engine_outbox_pending_idx ON engine_outbox (id) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE engine_outbox;
