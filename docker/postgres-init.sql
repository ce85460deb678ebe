-- Runs once, when the postgres container starts on an empty data volume
-- (/docker-entrypoint-initdb.d, executed with psql -v ON_ERROR_STOP=1). It creates one login
-- role and one database per consumer:
--   housing  the app's own data (DATABASE_URL); the app runs its migrations at start.
--   camunda  Camunda's secondary storage (RDBMS exporter + query API); Camunda creates and
--            updates its schema itself (Liquibase, auto-DDL).
-- Passwords come from the container environment (HOUSING_DB_PASSWORD, CAMUNDA_DB_PASSWORD),
-- read with psql's \getenv (psql 15+). To change one later use ALTER ROLE ... PASSWORD ...:
-- this script does not run again on an existing volume.

\set ON_ERROR_STOP on

\getenv housing_password HOUSING_DB_PASSWORD
\getenv camunda_password CAMUNDA_DB_PASSWORD

\if :{?housing_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'postgres-init.sql: HOUSING_DB_PASSWORD is not set'; END $$;
\endif
\if :{?camunda_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'postgres-init.sql: CAMUNDA_DB_PASSWORD is not set'; END $$;
\endif
SELECT :'housing_password' = '' OR :'camunda_password' = '' AS empty_password \gset
\if :empty_password
  DO $$ BEGIN RAISE EXCEPTION 'postgres-init.sql: HOUSING_DB_PASSWORD and CAMUNDA_DB_PASSWORD must not be empty'; END $$;
\endif

CREATE ROLE housing LOGIN PASSWORD :'housing_password';
CREATE DATABASE housing OWNER housing;
REVOKE ALL ON DATABASE housing FROM PUBLIC;

CREATE ROLE camunda LOGIN PASSWORD :'camunda_password';
CREATE DATABASE camunda OWNER camunda;
REVOKE ALL ON DATABASE camunda FROM PUBLIC;
