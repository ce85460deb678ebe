import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from '../db/pool.js';
import { HttpProblem } from '../api/problem.js';
import { serviceClientPrincipal, sessionPrincipal } from './accounts.js';
import type { OidcVerifier } from './oidc.js';

export const SESSION_COOKIE = 'az_session';

export function sessionCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const looksLikeJwt = (t: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);

/**
 * Sets req.principal from, in order: a bearer token (an OIDC access token when OIDC is
 * configured, else a session or service-client token) or the session cookie. A credential that
 * is presented but not valid is refused (401) rather than treated as anonymous.
 */
export function authenticate(deps: { pool: Pool; oidc?: OidcVerifier }): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization');
      if (header) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        if (!m)
          throw new HttpProblem(401, 'Unauthenticated', 'Authorization must be "Bearer <token>"');
        const token = m[1]!;
        const p =
          deps.oidc && looksLikeJwt(token)
            ? await deps.oidc(token).catch(() => undefined)
            : ((await sessionPrincipal(deps.pool, token)) ??
              (await serviceClientPrincipal(deps.pool, token)));
        if (!p) throw new HttpProblem(401, 'Unauthenticated', 'the bearer token is not valid');
        req.principal = p;
        return next();
      }
      const cookie = sessionCookie(req);
      if (cookie) {
        const p = await sessionPrincipal(deps.pool, cookie);
        // An expired cookie is anonymous: public pages still work and the sign-in page shows.
        if (p) req.principal = p;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
