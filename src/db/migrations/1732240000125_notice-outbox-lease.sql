-- Up Migration

-- Notices are claimed with a lease instead of a row lock held for the whole send (issue 14: no
-- database transaction across a network call). The dispatcher sets locked_until in one short
-- statement, calls the SMTP server or the SMS gateway outside any transaction, and records the
-- outcome in another; a dispatcher that dies mid-send leaves the row to be taken again after its
-- lease, re-sent with the same idempotency key.
ALTER TABLE notice_outbox
  ADD COLUMN locked_until timestamptz,
  ADD COLUMN locked_by text;

-- Down Migration

ALTER TABLE notice_outbox DROP COLUMN locked_until, DROP COLUMN locked_by;
