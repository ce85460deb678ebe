-- Runs once, when the postgres container starts on an empty data volume
-- (/docker-entrypoint-initdb.d, executed with psql -v ON_ERROR_STOP=1). It creates:
--   role housing      the login of the app (DATABASE_URL) and of the engine (ENGINE_JDBC_USER);
--   database housing  ONE database for both: the app's tables in schema public (its migrations
--                     run at every app start), the engine's tables in schema operaton (Operaton
--                     creates and updates them itself, schema-update). The engine's task-projection
--                     listener writes public.review_task in the engine's own transaction, which is
--                     why both live in the same database.
-- The password comes from the container environment (HOUSING_DB_PASSWORD), read with psql's
-- \getenv (psql 15+). To change it later use ALTER ROLE housing PASSWORD '...': this script does
-- not run again on an existing volume.

\set ON_ERROR_STOP on

\getenv housing_password HOUSING_DB_PASSWORD

\if :{?housing_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'postgres-init.sql: HOUSING_DB_PASSWORD is not set'; END $$;
\endif
SELECT :'housing_password' = '' AS empty_password \gset
\if :empty_password
  DO $$ BEGIN RAISE EXCEPTION 'postgres-init.sql: HOUSING_DB_PASSWORD must not be empty'; END $$;
\endif

CREATE ROLE housing LOGIN PASSWORD :'housing_password';
CREATE DATABASE housing OWNER housing;
REVOKE ALL ON DATABASE housing FROM PUBLIC;

-- The engine's schema, owned by the same role (the engine would create it if missing; creating it
-- here keeps CREATE on the database out of the engine's needs). Nobody else may use it.
\connect housing
CREATE SCHEMA operaton AUTHORIZATION housing;
REVOKE ALL ON SCHEMA operaton FROM PUBLIC;
