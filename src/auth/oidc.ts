import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { STAFF_ROLES, type Principal, type StaffRole } from './principal.js';

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** Unset: read from the issuer's discovery document. */
  jwksUrl?: string;
  rolesClaim: string;
  bodiesClaim: string;
}

export type OidcVerifier = (token: string) => Promise<Principal>;

/**
 * Production sign-in through the state's identity provider: access tokens (JWT) checked
 * against the provider's published keys (jose), with roles and bodies read from claims.
 */
export function oidcVerifier(cfg: OidcConfig): OidcVerifier {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = async () => {
    if (jwks) return jwks;
    let url = cfg.jwksUrl;
    if (!url) {
      const res = await fetch(`${cfg.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OIDC discovery: HTTP ${res.status}`);
      url = ((await res.json()) as { jwks_uri: string }).jwks_uri;
    }
    jwks = createRemoteJWKSet(new URL(url));
    return jwks;
  };
  return async (token) => {
    const { payload } = await jwtVerify(token, await keys(), {
      issuer: cfg.issuer,
      audience: cfg.audience,
    });
    return principalFromClaims(payload, cfg);
  };
}

function claim(payload: JWTPayload, path: string): unknown {
  // dotted paths reach nested claims such as Keycloak's realm_access.roles
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], payload);
}

export function principalFromClaims(payload: JWTPayload, cfg: OidcConfig): Principal {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  const roles = list(claim(payload, cfg.rolesClaim)).filter((r): r is StaffRole =>
    (STAFF_ROLES as readonly string[]).includes(r),
  );
  const id = [payload.preferred_username, payload.sub].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  // A token that names nobody cannot be audited: refuse it rather than act as "".
  if (!id) throw new Error('the token names no subject (preferred_username or sub)');
  return {
    id,
    name: typeof payload.name === 'string' ? payload.name : id,
    kind: 'user',
    roles,
    bodies: list(claim(payload, cfg.bodiesClaim)),
    via: 'oidc',
  };
}
