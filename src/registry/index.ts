import { z } from 'zod';
import { recordCheckWithAudit } from '../cases/application.js';
import type { Pool } from '../db/pool.js';
import { civilDateInBaku, type CivilDate } from '../domain/calendar.js';
import {
  parseEligibilityForm,
  type EligibilityForm,
  type CheckResult,
} from '../domain/eligibility.js';
import {
  DEFAULT_REGISTRY_TIMEOUT_MS,
  HttpRegistryClient,
  type Lookup,
  type RegistryClient,
} from './client.js';

export * from './client.js';
export * from './types.js';

/**
 * The registries as the workers reach them. WorkerDeps carries only pool, log and now, so each
 * registry-check worker makes its client lazily from the environment (REGISTRY_URL) on its first
 * job and keeps it.
 */

export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:4010';

const envSchema = z.object({
  REGISTRY_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_REGISTRY_URL),
  REGISTRY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(DEFAULT_REGISTRY_TIMEOUT_MS),
  REGISTRY_TOKEN: z.string().min(1).optional(),
});

/** REGISTRY_URL (default the local stand-in, http://127.0.0.1:4010), REGISTRY_TIMEOUT_MS and REGISTRY_TOKEN (bearer, if the gateway asks for one). */
export function registryClientFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryClient {
  const parsed = envSchema.safeParse({
    REGISTRY_URL: env.REGISTRY_URL || undefined,
    REGISTRY_TIMEOUT_MS: env.REGISTRY_TIMEOUT_MS || undefined,
    REGISTRY_TOKEN: env.REGISTRY_TOKEN || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid registry configuration: ${problems.join('; ')}`);
  }
  return new HttpRegistryClient({
    baseUrl: parsed.data.REGISTRY_URL,
    timeoutMs: parsed.data.REGISTRY_TIMEOUT_MS,
    token: parsed.data.REGISTRY_TOKEN,
  });
}

/**
 * A getter that makes the client on first use (after the environment is final) and keeps it
 * while REGISTRY_URL and REGISTRY_TIMEOUT_MS stay the same; a stack restarted in the same
 * process with another registry address gets a new client instead of the stale one.
 */
export function lazyRegistryClient(
  make: () => RegistryClient = registryClientFromEnv,
  env: NodeJS.ProcessEnv = process.env,
): () => RegistryClient {
  let client: RegistryClient | undefined;
  let madeFor: string | undefined;
  return () => {
    const key = `${env.REGISTRY_URL ?? ''} ${env.REGISTRY_TIMEOUT_MS ?? ''} ${env.REGISTRY_TOKEN ?? ''}`;
    if (!client || key !== madeFor) {
      client = make();
      madeFor = key;
    }
    return client;
  };
}

/** The record, or null when the registry does not know the person. */
export function foundOrNull<T>(lookup: Lookup<T>): T | null {
  return lookup.found ? lookup.data : null;
}

// ---------------------------------------------------------------------------------------------
// Shared by the registry-check workers (workers/check-identity.ts, check-civil-status.ts,
// check-category-evidence.ts, check-property.ts)
// ---------------------------------------------------------------------------------------------

export interface ApplicationForChecks {
  id: string;
  applicantFin: string;
  spouseFin: string | null;
  category: number | null;
  form: EligibilityForm;
  submittedAt: Date | null;
}

/**
 * The application row and its form. `to_jsonb(a) -> 'form'` reads the form column when the
 * table has one and gives NULL (read as {}) when it does not, so the query works either way.
 */
export async function loadApplicationForChecks(
  pool: Pool,
  variables: { applicationId?: unknown },
): Promise<ApplicationForChecks> {
  const { applicationId } = variables;
  if (typeof applicationId !== 'string') throw new Error('variable applicationId is missing');
  const { rows } = await pool.query<{
    id: string;
    applicant_fin: string;
    spouse_fin: string | null;
    category: number | null;
    submitted_at: Date | null;
    form: unknown;
  }>(
    `SELECT a.id, a.applicant_fin, a.spouse_fin, a.category, a.submitted_at, to_jsonb(a) -> 'form' AS form
       FROM application a
      WHERE a.id = $1`,
    [applicationId],
  );
  const row = rows[0];
  if (!row) throw new Error(`application ${applicationId} not found`);
  return {
    id: row.id,
    applicantFin: row.applicant_fin,
    spouseFin: row.spouse_fin,
    category: row.category,
    form: parseEligibilityForm(row.form),
    submittedAt: row.submitted_at,
  };
}

/** Ages and periods are taken on the day the application was registered (003 §5.5). */
export function referenceDate(app: ApplicationForChecks, now: Date): CivilDate {
  return civilDateInBaku(app.submittedAt ?? now);
}

/** What a check returns to the process: one variable per check, e.g. `identityCheck`. */
export interface CheckOutcome {
  passed: boolean;
  reasons: string[];
  legalGround: string;
}

export function checkOutcome(result: CheckResult): CheckOutcome {
  return { passed: result.passed, reasons: result.reasons, legalGround: result.legalGround };
}

/**
 * Records the check (upsert: a retried job overwrites) and its audit entry, both or neither (one
 * statement). `detail` must hold no personal data: reason codes, counts, years, countries.
 */
export async function recordRegistryCheck(
  pool: Pool,
  applicationId: string,
  check: {
    name: string;
    taskType: string;
    result: CheckResult;
    detail?: Record<string, unknown>;
    /** the identity registry's name and date of birth, kept on the application for the reviewer */
    applicant?: { name: unknown; birthDate: string };
  },
): Promise<void> {
  const { result } = check;
  await recordCheckWithAudit(
    pool,
    applicationId,
    {
      name: check.name,
      passed: result.passed,
      legalGround: result.legalGround,
      detail: {
        groundCode: result.groundCode,
        reasons: result.reasons,
        notes: result.notes,
        ...check.detail,
      },
    },
    {
      actor: `system:${check.taskType}`,
      action: result.passed ? 'check-passed' : 'check-failed',
      after: { check: check.name, passed: result.passed, reasons: result.reasons },
    },
    check.applicant,
  );
}
