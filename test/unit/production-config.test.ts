import { describe, expect, it } from '@jest/globals';
import { isDefaultSecret, loadConfig } from '../../src/config.js';

/** A production environment that should start: real-looking secrets, real systems. */
const GOOD = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://housing:Qm7vT2xLp9RkW4sZ8nYb@db.internal:5432/housing',
  ENGINE_REST_URL: 'https://engine.internal:8443/engine-rest',
  ENGINE_PASSWORD: 'vK3nR8pQ2mX7tL9wZ4bY',
  REGISTRY_URL: 'https://registry-gateway.gov.az/api',
  PORTAL_CLIENT_TOKEN: 'J8dK2mQ9vX4pL7rT3wZ6nB1',
};

describe('production configuration refuses to start (issue 14 §9)', () => {
  it('given a production environment with generated secrets and the real systems, then it loads', () => {
    expect(loadConfig(GOOD).NODE_ENV).toBe('production');
  });

  it.each([
    ['ENGINE_PASSWORD', 'kill-test-password-0123456789'],
    ['ENGINE_PASSWORD', 'changeme-changeme'],
    ['ADMIN_PASSWORD', 'Admin12345'],
    ['ADMIN_PASSWORD', 'password123'],
    ['PORTAL_CLIENT_TOKEN', 'test-token-portal-0123456789'],
    ['REGISTRY_EVENTS_TOKEN', 'aaaaaaaaaaaaaaaaaaaa'],
  ])(
    'given %s set to a default or example value, then it refuses and names the variable, not the value',
    (name, value) => {
      const err = (() => {
        try {
          loadConfig({ ...GOOD, [name]: value });
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })();
      expect(err).toMatch(new RegExp(`Refusing to start in production: .*${name}`));
      expect(err).not.toContain(value);
    },
  );

  it('given a database password that is a default, then it refuses naming DATABASE_URL', () => {
    expect(() =>
      loadConfig({ ...GOOD, DATABASE_URL: 'postgres://postgres:postgres@db:5432/housing' }),
    ).toThrow(/DATABASE_URL \(password\) is a default/);
  });

  it('given a local engine bound to all interfaces without TLS in front, then it refuses naming ENGINE_BIND', () => {
    expect(() => loadConfig({ ...GOOD, ENGINE_REST_URL: '', ENGINE_BIND: '0.0.0.0' })).toThrow(
      /ENGINE_BIND is beyond loopback without TLS/,
    );
  });

  it('given a local engine beyond loopback with ENGINE_TLS_PROXY=true, then it loads', () => {
    expect(
      loadConfig({ ...GOOD, ENGINE_REST_URL: '', ENGINE_BIND: '0.0.0.0', ENGINE_TLS_PROXY: 'true' })
        .ENGINE_BIND,
    ).toBe('0.0.0.0');
  });

  it('given an external engine over plain http to another host, then it refuses unless the network is declared private', () => {
    const http = { ...GOOD, ENGINE_REST_URL: 'http://engine:8080/engine-rest' };
    expect(() => loadConfig(http)).toThrow(/ENGINE_REST_URL is plain http/);
    expect(loadConfig({ ...http, ENGINE_PRIVATE_NETWORK: 'true' }).ENGINE_REST_URL).toBe(
      'http://engine:8080/engine-rest',
    );
  });

  it('given no REGISTRY_URL (the stand-in would start), then it refuses naming REGISTRY_URL', () => {
    expect(() => loadConfig({ ...GOOD, REGISTRY_URL: '' })).toThrow(/REGISTRY_URL is unset/);
  });

  it('given REGISTRY_URL pointing at the compose stand-in, then it refuses', () => {
    expect(() => loadConfig({ ...GOOD, REGISTRY_URL: 'http://registry-standin:4010' })).toThrow(
      /REGISTRY_URL points at the registry stand-in/,
    );
  });

  it('given the same unsafe values outside production, then development starts as before', () => {
    expect(
      loadConfig({ ENGINE_BIND: '0.0.0.0', ENGINE_PASSWORD: 'kill-test-password-0123456789' })
        .ENGINE_BIND,
    ).toBe('0.0.0.0');
  });

  it('given generated values, then none counts as a default secret', () => {
    for (const v of ['Qm7vT2xLp9RkW4sZ8nYb', 'vK3nR8pQ2mX7tL9wZ4bY', 'b3f1c2a9d8e7f6a5b4c3'])
      expect(isDefaultSecret(v)).toBe(false);
  });
});

describe('HTTP settings', () => {
  it('given no CORS_ORIGINS, then no origin is allowed; given a list, then each is kept', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://portal.gov.az, https://e-gov.az' }).CORS_ORIGINS,
    ).toEqual(['https://portal.gov.az', 'https://e-gov.az']);
  });

  it('given a CORS origin that is not a URL, then the error names CORS_ORIGINS', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'portal' })).toThrow(/CORS_ORIGINS/);
  });
});
