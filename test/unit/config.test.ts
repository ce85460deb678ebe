import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('given an empty environment, then the embedded defaults apply', () => {
    const cfg = loadConfig({});
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.PORT).toBe(3000);
    expect(cfg.ENGINE_REST_URL).toBeUndefined();
    expect(cfg.ENGINE_PASSWORD).toBeUndefined();
    expect(cfg.ENGINE_BIND).toBe('127.0.0.1');
  });
  it('given a bad PORT and DATABASE_URL, then the error names both variables', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'not a url' })).toThrow(
      /PORT.*DATABASE_URL|DATABASE_URL.*PORT/s,
    );
  });
  it('given sign-in variables left empty (as a compose file does), then they count as unset', () => {
    const cfg = loadConfig({ ADMIN_PASSWORD: '', PORTAL_CLIENT_TOKEN: '', OIDC_ISSUER: '' });
    expect([cfg.ADMIN_PASSWORD, cfg.PORTAL_CLIENT_TOKEN, cfg.OIDC_ISSUER]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('given a short portal token, then the error names PORTAL_CLIENT_TOKEN', () => {
    expect(() => loadConfig({ PORTAL_CLIENT_TOKEN: 'short' })).toThrow(/PORTAL_CLIENT_TOKEN/);
  });
});
