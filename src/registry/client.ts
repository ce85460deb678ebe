import type { z } from 'zod';
import { isValidFin, normalizeFin } from '../domain/fin.js';
import {
  academicDegreesSchema,
  civilStatusSchema,
  heroFamilySchema,
  identityCardSchema,
  idpStatusSchema,
  landPlotsSchema,
  mortgageFundLoansSchema,
  residenceSchema,
  martyrFamilySchema,
  mortgageRegistrationSchema,
  propertyHoldingsSchema,
  serviceRecordsSchema,
  sportServicesSchema,
  type AcademicDegrees,
  type CivilStatus,
  type HeroFamily,
  type IdentityCard,
  type IdpStatus,
  type LandPlots,
  type MartyrFamily,
  type MortgageFundLoans,
  type MortgageRegistration,
  type PropertyHoldings,
  type RegistryEndpoint,
  type Residence,
  type ServiceRecords,
  type SportServices,
} from './types.js';

/** A registry answer about a person: the record, or "the registry does not know this FIN". */
export type Lookup<T> = { found: true; data: T } | { found: false };

/**
 * The state registries as the workers see them (002 §2.3: fetched, not demanded; consent
 * 003 §5.3.8). Lookups answer `{ found: false }` for a person the registry does not know;
 * an outage throws RegistryUnavailableError, never a "not found".
 */
export interface RegistryClient {
  identity(fin: string): Promise<Lookup<IdentityCard>>;
  civilStatus(fin: string): Promise<Lookup<CivilStatus>>;
  serviceRecords(fin: string): Promise<Lookup<ServiceRecords>>;
  degrees(fin: string): Promise<Lookup<AcademicDegrees>>;
  idp(fin: string): Promise<Lookup<IdpStatus>>;
  martyrFamily(fin: string): Promise<Lookup<MartyrFamily>>;
  heroFamily(fin: string): Promise<Lookup<HeroFamily>>;
  sport(fin: string): Promise<Lookup<SportServices>>;
  property(fin: string): Promise<Lookup<PropertyHoldings>>;
  /** 003 §5.5-1: register the person in the mortgage e-system; idempotent by application id. */
  registerInMortgageSystem(req: {
    applicationId: string;
    fin: string;
  }): Promise<MortgageRegistration>;
}

/**
 * The registries the waitlist re-verification asks besides the ones above (004 §18): residence
 * (55.1.3), the mortgage fund (55.1.4) and land (55.1.5). HttpRegistryClient answers both
 * interfaces; `withWaitlistLookups` narrows a RegistryClient to this one.
 */
export interface WaitlistRegistryClient extends RegistryClient {
  residence(fin: string): Promise<Lookup<Residence>>;
  mortgageFund(fin: string): Promise<Lookup<MortgageFundLoans>>;
  landPlots(fin: string): Promise<Lookup<LandPlots>>;
}

/** The client with the waitlist lookups, or an error naming what is missing. */
export function withWaitlistLookups(client: RegistryClient): WaitlistRegistryClient {
  const c = client as Partial<WaitlistRegistryClient>;
  if (
    typeof c.residence !== 'function' ||
    typeof c.mortgageFund !== 'function' ||
    typeof c.landPlots !== 'function'
  ) {
    throw new Error('the registry client has no residence, mortgage-fund and land lookups');
  }
  return client as WaitlistRegistryClient;
}

/**
 * The registry did not answer (network error, timeout) or answered 5xx: a technical failure.
 * Workers let it propagate, so the job is retried with backoff and ends in an incident, and no
 * failed check is ever recorded because of an outage. Messages name the endpoint, never the FIN.
 */
export class RegistryUnavailableError extends Error {
  readonly retryable = true;
  constructor(
    readonly endpoint: RegistryEndpoint,
    message: string,
    readonly status?: number,
  ) {
    super(`registry ${endpoint}: ${message}`);
    this.name = 'RegistryUnavailableError';
  }
}

/** The registry answered something outside the contract (malformed body, unexpected 4xx). */
export class RegistryResponseError extends Error {
  readonly retryable = false;
  constructor(
    readonly endpoint: RegistryEndpoint,
    message: string,
    readonly status?: number,
  ) {
    super(`registry ${endpoint}: ${message}`);
    this.name = 'RegistryResponseError';
  }
}

export interface HttpRegistryClientOptions {
  /** REGISTRY_URL, e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  /** Per request; a registry that does not answer in time counts as unavailable. */
  timeoutMs?: number;
  /** Bearer token the registry gateway (or the stand-in) asks for (REGISTRY_TOKEN). */
  token?: string;
  fetch?: typeof fetch;
}

export const DEFAULT_REGISTRY_TIMEOUT_MS = 5_000;

/** The registries over HTTP/JSON (the stand-in in development and tests, the gateways in production). */
export class HttpRegistryClient implements RegistryClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly token: string | undefined;

  constructor(opts: HttpRegistryClientOptions) {
    this.token = opts.token;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
    this.fetchFn = opts.fetch ?? fetch;
  }

  identity(fin: string) {
    return this.lookup('identity', fin, identityCardSchema);
  }
  civilStatus(fin: string) {
    return this.lookup('civil-status', fin, civilStatusSchema);
  }
  serviceRecords(fin: string) {
    return this.lookup('service-records', fin, serviceRecordsSchema);
  }
  degrees(fin: string) {
    return this.lookup('degrees', fin, academicDegreesSchema);
  }
  idp(fin: string) {
    return this.lookup('idp', fin, idpStatusSchema);
  }
  martyrFamily(fin: string) {
    return this.lookup('martyr-family', fin, martyrFamilySchema);
  }
  heroFamily(fin: string) {
    return this.lookup('hero-family', fin, heroFamilySchema);
  }
  sport(fin: string) {
    return this.lookup('sport', fin, sportServicesSchema);
  }
  property(fin: string) {
    return this.lookup('property', fin, propertyHoldingsSchema);
  }
  residence(fin: string) {
    return this.lookup('residence', fin, residenceSchema);
  }
  mortgageFund(fin: string) {
    return this.lookup('mortgage-fund', fin, mortgageFundLoansSchema);
  }
  landPlots(fin: string) {
    return this.lookup('land', fin, landPlotsSchema);
  }

  async registerInMortgageSystem(req: {
    applicationId: string;
    fin: string;
  }): Promise<MortgageRegistration> {
    const res = await this.request('mortgage-system', '/mortgage-system/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ applicationId: req.applicationId, fin: normalizeFin(req.fin) }),
    });
    if (res.status !== 200 && res.status !== 201) {
      throw new RegistryResponseError(
        'mortgage-system',
        `unexpected HTTP ${res.status}`,
        res.status,
      );
    }
    const data = parseBody(
      'mortgage-system',
      mortgageRegistrationSchema,
      await readJson('mortgage-system', res),
    );
    if (data.applicationId !== req.applicationId) {
      throw new RegistryResponseError('mortgage-system', 'answer is for another application');
    }
    return data;
  }

  private async lookup<S extends z.ZodType<{ fin: string }>>(
    endpoint: RegistryEndpoint,
    rawFin: string,
    schema: S,
  ): Promise<Lookup<z.infer<S>>> {
    const fin = normalizeFin(rawFin);
    // A string that is not a FIN names nobody: the registry would not know it either.
    if (!isValidFin(fin)) return { found: false };
    const res = await this.request(endpoint, `/${endpoint}/${encodeURIComponent(fin)}`, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    if (res.status === 404) {
      await res.body?.cancel();
      return { found: false };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new RegistryResponseError(endpoint, `unexpected HTTP ${res.status}`, res.status);
    }
    const data = parseBody(endpoint, schema, await readJson(endpoint, res));
    // A record about somebody else must never be taken for this person's.
    if (data.fin !== fin) throw new RegistryResponseError(endpoint, 'answer is for another person');
    return { found: true, data };
  }

  /** One HTTP exchange; outages (network, timeout, 5xx) become RegistryUnavailableError. */
  private async request(
    endpoint: RegistryEndpoint,
    path: string,
    init: RequestInit,
  ): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const name = (err as Error).name;
      // The cause is left out: it may carry the URL, and the URL carries the FIN.
      throw new RegistryUnavailableError(
        endpoint,
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${this.timeoutMs} ms`
          : 'not reachable',
      );
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new RegistryUnavailableError(endpoint, `HTTP ${res.status}`, res.status);
    }
    return res;
  }
}

async function readJson(endpoint: RegistryEndpoint, res: Response): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new RegistryUnavailableError(endpoint, 'the answer was cut off');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RegistryResponseError(endpoint, 'answer is not JSON', res.status);
  }
}

function parseBody<S extends z.ZodType>(
  endpoint: RegistryEndpoint,
  schema: S,
  body: unknown,
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    // Paths and messages only: zod's messages carry no values, so no personal data leaks here.
    const where = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new RegistryResponseError(endpoint, `malformed answer (${where})`);
  }
  return parsed.data;
}
