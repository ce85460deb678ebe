import { describe, expect, it } from '@jest/globals';
import { principalFromClaims, type OidcConfig } from '../../src/auth/oidc.js';

const cfg: OidcConfig = {
  issuer: 'https://idp.example',
  audience: 'az-housing-api',
  rolesClaim: 'roles',
  bodiesClaim: 'bodies',
};

describe('principalFromClaims', () => {
  it('given roles and bodies claims, when read, then the principal is a user with them', () => {
    const p = principalFromClaims(
      {
        sub: 'u-1',
        preferred_username: 'aysel',
        name: 'Aysel',
        roles: ['reviewer'],
        bodies: ['mida'],
      },
      cfg,
    );
    expect(p).toEqual({
      id: 'aysel',
      name: 'Aysel',
      kind: 'user',
      roles: ['reviewer'],
      bodies: ['mida'],
      via: 'oidc',
    });
  });

  it('given unknown roles, service roles and non-strings, when read, then only staff roles remain', () => {
    const p = principalFromClaims(
      { sub: 'u-1', roles: ['root', 'portal', 'registry', 'Administrator', 7, 'analyst'] },
      cfg,
    );
    expect(p.roles).toEqual(['analyst']);
  });

  it('given nested claims (Keycloak), when configured with dotted paths, then they are read', () => {
    const p = principalFromClaims(
      { sub: 'u-2', realm_access: { roles: ['operator'] }, org: { bodies: ['sumgait'] } },
      { ...cfg, rolesClaim: 'realm_access.roles', bodiesClaim: 'org.bodies' },
    );
    expect([p.roles, p.bodies]).toEqual([['operator'], ['sumgait']]);
  });

  it('given claims that are not lists, when read, then no roles and no bodies', () => {
    const p = principalFromClaims({ sub: 'u-3', roles: 'administrator', bodies: 'mida' }, cfg);
    expect([p.roles, p.bodies]).toEqual([[], []]);
  });

  it('given no user name, when read, then the subject is the id and the name', () => {
    const p = principalFromClaims({ sub: 'u-4' }, cfg);
    expect([p.id, p.name]).toEqual(['u-4', 'u-4']);
  });

  it('given a token naming nobody, when read, then it is refused', () => {
    expect(() => principalFromClaims({ roles: ['administrator'] }, cfg)).toThrow(/subject/);
    expect(() => principalFromClaims({ sub: ' ', roles: ['administrator'] }, cfg)).toThrow(
      /subject/,
    );
  });
});
