-- Up Migration
-- A new account gets a password from the administrator or a one-time invitation link (issue 15):
-- never neither. Only the SHA-256 of the invitation's random token is stored; the link works
-- once, until it expires, and only sets the password of an account that has none yet.
CREATE TABLE account_invitation (
  token_sha256  bytea PRIMARY KEY,
  account_id    text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz
);
CREATE INDEX account_invitation_account_idx ON account_invitation (account_id);

-- Down Migration
DROP TABLE account_invitation;
