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
  /** Real PostgreSQL server. Unset: an embedded, file-backed PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default(path.resolve('var')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** gRPC address of an existing Zeebe gateway (host:port). When set, no broker is started. */
  ZEEBE_ADDRESS: z.string().optional(),
  /** REST address of an existing Camunda cluster (http://host:port). */
  CAMUNDA_REST_ADDRESS: z.string().url().optional(),
  /** Camunda distribution fetched from Maven Central (io.camunda:camunda-zeebe:<v>:tar.gz). */
  CAMUNDA_VERSION: z.string().default('8.6.0'),
  /** Where the unpacked distribution is kept between runs and clones. */
  CAMUNDA_CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'az-housing', 'camunda')),
  ZEEBE_GRPC_PORT: z.coerce.number().int().default(26500),
  ZEEBE_REST_PORT: z.coerce.number().int().default(8080),
  ZEEBE_MANAGEMENT_PORT: z.coerce.number().int().default(9600),
  ZEEBE_HEAP: z.string().default('768m'),
  /**
   * The engine's web address for links to Cockpit (e.g. https://engine.example.az); unset:
   * derived from the engine's REST address (…/engine-rest → …).
   */
  ENGINE_WEB_URL: z.string().url().optional(),
  /** Worker settings: job lease and the retry backoff base. */
  WORKER_JOB_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  WORKER_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(5_000),
  /** Catch-up poll of the workers (jobs created while no stream was open). */
  WORKER_POLL_MS: z.coerce.number().int().min(100).default(5_000),
  /** Lease on user tasks held by the reviewers' inbox, and how often it looks for new ones. */
  USER_TASK_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60 * 60 * 1000),
  INBOX_POLL_MS: z.coerce.number().int().min(100).default(5_000),
  /**
   * State registries (identity, civil status, service records, property, mortgage e-system).
   * Unset: the app serves its local stand-in with synthetic citizens (development only).
   */
  REGISTRY_URL: z.string().url().optional(),
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
