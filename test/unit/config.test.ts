import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('given an empty environment, then the embedded defaults apply', () => {
    const cfg = loadConfig({});
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.PORT).toBe(3000);
    expect(cfg.CAMUNDA_VERSION).toMatch(/^8\.\d+\.\d+$/);
  });
  it('given a bad PORT and DATABASE_URL, then the error names both variables', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'not a url' })).toThrow(
      /PORT.*DATABASE_URL|DATABASE_URL.*PORT/s,
    );
  });
});
