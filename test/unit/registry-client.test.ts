import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  HttpRegistryClient,
  RegistryResponseError,
  RegistryUnavailableError,
  type RegistryClient,
} from '../../src/registry/client.js';
import {
  DEFAULT_REGISTRY_URL,
  lazyRegistryClient,
  registryClientFromEnv,
} from '../../src/registry/index.js';
import { startRegistryStandin, type RegistryStandin } from '../../dev/registry-standin.js';
import { syntheticDataset } from '../../dev/synthetic-citizens.js';

const dataset = syntheticDataset();
let standin: RegistryStandin;
let client: HttpRegistryClient;

beforeAll(async () => {
  standin = await startRegistryStandin(0, { citizens: dataset.citizens });
  client = new HttpRegistryClient({ baseUrl: standin.url, timeoutMs: 2_000 });
});
afterAll(async () => {
  await standin?.stop();
});
beforeEach(() => standin.reset());

/** A client whose fetch answers with the given body, to test what the stand-in never sends. */
const answering = (status: number, body: string) =>
  new HttpRegistryClient({
    baseUrl: 'http://registry.invalid',
    fetch: (async () =>
      new Response(body, {
        status,
        headers: { 'content-type': 'application/json' },
      })) as typeof fetch,
  });

describe('registry client against the stand-in', () => {
  it('given a known FIN, when the identity card is asked, then it is found and validated', async () => {
    const result = await client.identity('SYC04PA');
    expect(result).toEqual({ found: true, data: dataset.citizens.get('SYC04PA')!.identity });
    expect(standin.calls.identity).toBe(1);
  });

  it('given a FIN in lower case, then it is normalised before the lookup', async () => {
    const result = await client.civilStatus('syc04pa');
    expect(result.found && result.data.maritalStatus).toBe('married');
  });

  it('given every synthetic citizen, then every endpoint’s answer passes the contract', async () => {
    const lookups: (keyof RegistryClient)[] = [
      'identity',
      'civilStatus',
      'serviceRecords',
      'degrees',
      'idp',
      'martyrFamily',
      'heroFamily',
      'sport',
      'property',
    ];
    for (const fin of dataset.citizens.keys()) {
      const answers = await Promise.all(
        lookups.map((l) => (client[l] as (f: string) => Promise<{ found: boolean }>)(fin)),
      );
      expect(answers.every((a) => a.found)).toBe(true);
    }
  });

  it('given an unknown FIN, when asked, then the answer is "not found", not an error', async () => {
    await expect(client.identity('SYUNKNW')).resolves.toEqual({ found: false });
    await expect(client.property('SYUNKNW')).resolves.toEqual({ found: false });
  });

  it('given a string that is not a FIN, then it is not found without asking the registry', async () => {
    await expect(client.identity('../x')).resolves.toEqual({ found: false });
    expect(standin.calls.identity).toBe(0);
  });

  it('given an outage (503), when asked, then a retryable error names the endpoint but not the FIN', async () => {
    standin.failNext('identity', 1);
    const err = await client.identity('SYC04PA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err).toEqual(
      expect.objectContaining({ retryable: true, endpoint: 'identity', status: 503 }),
    );
    expect((err as Error).message).toBe('registry identity: HTTP 503');
    // The outage is over: the next call succeeds.
    await expect(client.identity('SYC04PA')).resolves.toEqual(
      expect.objectContaining({ found: true }),
    );
    expect(standin.calls.identity).toBe(2);
  });

  it('given a registry that does not answer in time, then a retryable error is thrown', async () => {
    const impatient = new HttpRegistryClient({ baseUrl: standin.url, timeoutMs: 100 });
    standin.delayNext('degrees', 500);
    await expect(impatient.degrees('SYC06PA')).rejects.toThrow(
      new RegistryUnavailableError('degrees', 'no answer within 100 ms'),
    );
  });

  it('given a registry that is not reachable, then a retryable error is thrown', async () => {
    const other = await startRegistryStandin();
    await other.stop();
    const unreachable = new HttpRegistryClient({ baseUrl: other.url, timeoutMs: 1_000 });
    const err = await unreachable.idp('SYC03PA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect((err as Error).message).not.toContain('SYC03PA');
  });

  it('given a malformed answer, then it is rejected with a non-retryable error', async () => {
    standin.malformNext('service-records', 1);
    const err = await client.serviceRecords('SYC04PA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryResponseError);
    expect(err).toEqual(expect.objectContaining({ retryable: false }));
    expect((err as Error).message).toMatch(/^registry service-records: malformed answer/);
  });

  it('given an answer about another person, then it is rejected', async () => {
    const body = JSON.stringify(dataset.citizens.get('SYC01PA')!.identity);
    await expect(answering(200, body).identity('SYC04PA')).rejects.toThrow(
      'registry identity: answer is for another person',
    );
  });

  it('given an answer that is not JSON, then it is rejected', async () => {
    await expect(answering(200, '<html>').sport('SYC07PA')).rejects.toThrow(RegistryResponseError);
  });

  it('given an unexpected 4xx, then it is rejected as outside the contract', async () => {
    await expect(answering(403, '{}').idp('SYC03PA')).rejects.toThrow(
      'registry idp: unexpected HTTP 403',
    );
  });

  it('given every answer, then it is marked as coming from the stand-in', async () => {
    const res = await fetch(`${standin.url}/healthz`);
    expect(res.headers.get('x-registry-standin')).toBe('true');
  });
});

describe('mortgage e-system registration (003 §5.5-1)', () => {
  it('given a new application, when registered, then a registration is created', async () => {
    const r = await client.registerInMortgageSystem({ applicationId: 'app-1', fin: 'SYC09PA' });
    expect(r).toEqual({
      registrationId: expect.any(String),
      applicationId: 'app-1',
      created: true,
    });
  });

  it('given the same application again, then the same registration comes back, not a second one', async () => {
    const first = await client.registerInMortgageSystem({ applicationId: 'app-2', fin: 'SYC08PA' });
    const again = await client.registerInMortgageSystem({ applicationId: 'app-2', fin: 'SYC08PA' });
    expect(again).toEqual({ ...first, created: false });
  });

  it('given a person already registered through another application, then the existing registration is reused', async () => {
    const first = await client.registerInMortgageSystem({ applicationId: 'app-3', fin: 'SYC11PA' });
    const other = await client.registerInMortgageSystem({ applicationId: 'app-4', fin: 'SYC11PA' });
    expect(other).toEqual({
      registrationId: first.registrationId,
      applicationId: 'app-4',
      created: false,
    });
  });

  it('given an outage, then registration throws a retryable error', async () => {
    standin.failNext('mortgage-system', 1);
    await expect(
      client.registerInMortgageSystem({ applicationId: 'app-5', fin: 'SYC10PA' }),
    ).rejects.toBeInstanceOf(RegistryUnavailableError);
  });
});

describe('registry client configuration', () => {
  it('given no REGISTRY_URL, then the client points at the local stand-in address', () => {
    expect(DEFAULT_REGISTRY_URL).toBe('http://127.0.0.1:4010');
    expect(registryClientFromEnv({})).toBeInstanceOf(HttpRegistryClient);
  });

  it('given REGISTRY_URL that is not an http(s) URL, then configuration fails naming it', () => {
    expect(() => registryClientFromEnv({ REGISTRY_URL: 'ftp://x' })).toThrow(/REGISTRY_URL/);
  });

  it('given REGISTRY_URL, then the client asks that registry', async () => {
    const fromEnv = registryClientFromEnv({ REGISTRY_URL: standin.url });
    await expect(fromEnv.idp('SYC03PA')).resolves.toEqual(expect.objectContaining({ found: true }));
  });

  it('given a lazy client, then it is made on first use and kept', () => {
    let made = 0;
    const get = lazyRegistryClient(
      () => {
        made += 1;
        return client;
      },
      { REGISTRY_URL: 'http://127.0.0.1:4010' },
    );
    expect(made).toBe(0);
    expect(get()).toBe(get());
    expect(made).toBe(1);
  });

  it('given REGISTRY_URL changes (a stack restarted in the same process), then a new client is made', () => {
    const env: NodeJS.ProcessEnv = { REGISTRY_URL: 'http://127.0.0.1:4010' };
    const get = lazyRegistryClient(() => registryClientFromEnv(env), env);
    const first = get();
    env.REGISTRY_URL = standin.url;
    expect(get()).not.toBe(first);
  });
});
