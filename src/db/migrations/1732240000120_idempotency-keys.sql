-- Up Migration

-- Idempotency-Key of the portal's "create draft" (issue 14): a retried request with the same key
-- gets the first answer again instead of a second draft. Scoped per caller (the service client
-- or account); the request is kept as a hash only (it carries the FIN), the answer holds ids and
-- dates, no personal data. A key may be reused for another request after 24 hours.
CREATE TABLE idempotency_key (
  caller          text NOT NULL,
  key             text NOT NULL,
  operation       text NOT NULL,
  request_sha256  bytea NOT NULL,
  status          smallint,
  response        jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);

-- Down Migration
DROP TABLE idempotency_key;
