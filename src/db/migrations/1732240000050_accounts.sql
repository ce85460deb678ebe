-- Up Migration

-- Staff accounts for sign-in with a local password (the embedded default; production may use
-- OIDC instead, see src/auth/oidc.ts). Roles: reviewer (scoped to `bodies`), supervisor (a
-- reviewer who may reassign), operator, analyst, administrator.
CREATE TABLE account (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  display_name  text NOT NULL,
  -- scrypt$N$r$p$salt$hash (src/auth/passwords.ts); NULL: no local password (OIDC only)
  password_hash text,
  roles         text[] NOT NULL CHECK (roles <@ ARRAY['reviewer','supervisor','operator','analyst','administrator']::text[]),
  bodies        text[] NOT NULL DEFAULT '{}',
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Browser and API sessions: only the SHA-256 of the random token is stored.
CREATE TABLE account_session (
  token_sha256  bytea PRIMARY KEY,
  account_id    text NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX account_session_account_idx ON account_session (account_id);

-- Systems that call the API as themselves: the citizen portal (e-government) and the state
-- registries. Bearer tokens, stored as SHA-256.
CREATE TABLE service_client (
  id            text PRIMARY KEY,
  token_sha256  bytea NOT NULL UNIQUE,
  roles         text[] NOT NULL CHECK (roles <@ ARRAY['portal','registry']::text[]),
  created_at    timestamptz NOT NULL DEFAULT now()
);
