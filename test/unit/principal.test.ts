import { describe, expect, it } from '@jest/globals';
import { assertBody, type Principal } from '../../src/auth/principal.js';

const caller = (p: Partial<Principal>): Principal => ({
  id: 'x',
  name: 'x',
  kind: 'user',
  roles: [],
  bodies: [],
  via: 'session',
  ...p,
});

describe('assertBody', () => {
  it('given a reviewer of the body, when checked, then allowed', () => {
    expect(() =>
      assertBody(caller({ roles: ['reviewer'], bodies: ['mida'] }), 'mida'),
    ).not.toThrow();
  });

  it('given a reviewer of another body, when checked, then 403 naming the field', () => {
    expect(() =>
      assertBody(caller({ roles: ['reviewer'], bodies: ['sumgait'] }), 'mida', 'bodyCode'),
    ).toThrow(
      expect.objectContaining({
        status: 403,
        errors: [expect.objectContaining({ field: 'bodyCode' })],
      }),
    );
  });

  it('given the portal, when checked, then allowed for any body', () => {
    expect(() => assertBody(caller({ kind: 'service', roles: ['portal'] }), 'mida')).not.toThrow();
  });

  it('given the registry client, when checked, then refused like any caller without the body', () => {
    expect(() => assertBody(caller({ kind: 'service', roles: ['registry'] }), 'mida')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });
});
