import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  HttpRegistryClient,
  withWaitlistLookups,
  type RegistryClient,
} from '../../src/registry/client.js';
import { startRegistryStandin, type RegistryStandin } from '../../dev/registry-standin.js';
import { syntheticDataset, waitlistPersona } from '../../dev/synthetic-citizens.js';

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

describe('registry lookups of the waitlist re-verification (residence, mortgage fund, land)', () => {
  it('given every synthetic citizen, then the three answers pass the contract', async () => {
    for (const fin of dataset.citizens.keys()) {
      const answers = await Promise.all([
        client.residence(fin),
        client.mortgageFund(fin),
        client.landPlots(fin),
      ]);
      expect(answers.every((a) => a.found)).toBe(true);
    }
  });

  it('given the personas, then the registries show what they are for', async () => {
    const moved = await client.residence(waitlistPersona('waitlist-moved-away').fin);
    expect(moved.found && moved.data.permanent?.administrativeUnit).toBe('ganja');
    const loans = await client.mortgageFund(waitlistPersona('waitlist-preferential-mortgage').fin);
    expect(loans.found && loans.data.loans.map((l) => l.preferential)).toEqual([true]);
    const plots = await client.landPlots(waitlistPersona('waitlist-land-plot').fin);
    expect(plots.found && plots.data.plots.map((p) => p.purpose)).toEqual(['housing-construction']);
  });

  it('given an unknown FIN, then "not found"; calls are counted per endpoint', async () => {
    standin.reset();
    await expect(client.residence('SYUNKNW')).resolves.toEqual({ found: false });
    await expect(client.landPlots('SYUNKNW')).resolves.toEqual({ found: false });
    expect(standin.calls.residence).toBe(1);
    expect(standin.calls.land).toBe(1);
    expect(standin.calls['mortgage-fund']).toBe(0);
  });

  it('given a citizen without the sections, then the stand-in answers empty records', async () => {
    const bare = new Map(dataset.citizens);
    const c = { ...bare.get('SYC04PA')! };
    delete c.residence;
    delete c.mortgageFund;
    delete c.land;
    bare.set('SYC04PA', c);
    const other = await startRegistryStandin(0, { citizens: bare });
    try {
      const k = new HttpRegistryClient({ baseUrl: other.url });
      expect(await k.residence('SYC04PA')).toEqual({
        found: true,
        data: { fin: 'SYC04PA', permanent: null, temporary: null },
      });
      expect(await k.mortgageFund('SYC04PA')).toEqual({
        found: true,
        data: { fin: 'SYC04PA', loans: [] },
      });
    } finally {
      await other.stop();
    }
  });

  it('given an outage, then the error is retryable and names the endpoint', async () => {
    standin.failNext('mortgage-fund');
    await expect(client.mortgageFund('SYWMORT')).rejects.toThrow(
      'registry mortgage-fund: HTTP 503',
    );
  });

  it('given a client without the lookups, then withWaitlistLookups refuses it', () => {
    expect(withWaitlistLookups(client)).toBe(client);
    expect(() => withWaitlistLookups({} as RegistryClient)).toThrow(/residence/);
  });
});
