import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from '../api/problem.js';
import { assertRequestShape } from '../api/validate.js';

/** Staff roles (accounts) and the roles of the systems that call the API as themselves. */
export const STAFF_ROLES = [
  'reviewer',
  'supervisor',
  'operator',
  'analyst',
  'administrator',
] as const;
export const SERVICE_ROLES = ['portal', 'registry'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type ServiceRole = (typeof SERVICE_ROLES)[number];
export type Role = StaffRole | ServiceRole;

/** Who is calling: a signed-in person or a service client. */
export interface Principal {
  id: string;
  name: string;
  kind: 'user' | 'service';
  roles: Role[];
  /** The bodies (MİDA, local executive authorities) a reviewer works for; empty for others. */
  bodies: string[];
  /** How the caller proved it: session (cookie or bearer), OIDC token, service token. */
  via: 'session' | 'oidc' | 'service-token';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return p.roles.some((r) => roles.includes(r));
}

/** The caller, or 401. */
export function principalOf(req: Request): Principal {
  if (!req.principal)
    throw new HttpProblem(401, 'Unauthenticated', 'sign in, or send a bearer token');
  return req.principal;
}

/** Guard: the caller must hold one of `roles` (401 when anonymous, 403 otherwise). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal;
    if (!p) return next(new HttpProblem(401, 'Unauthenticated', 'sign in, or send a bearer token'));
    if (!hasRole(p, ...roles))
      return next(new HttpProblem(403, 'Forbidden', `requires the role ${roles.join(' or ')}`));
    // authorised: now the request's shape (unknown query parameters, wrong content type)
    try {
      assertRequestShape(req);
    } catch (err) {
      return next(err);
    }
    next();
  };
}

/**
 * Reviewers act only for their own bodies. The portal acts for the citizen and is not scoped
 * by body; every other caller (staff of other roles, the registry client) is refused.
 */
export function assertBody(p: Principal, body: string, field = 'body'): void {
  if (p.kind === 'service' && hasRole(p, 'portal')) return;
  if (!p.bodies.includes(body))
    throw new HttpProblem(403, 'Forbidden', `not one of your bodies: ${body}`, [
      { field, message: 'not one of your bodies' },
    ]);
}

/** The candidate groups of user tasks a principal may work on (`<body>-reviewers`). */
export function reviewerGroups(p: Principal): string[] {
  return hasRole(p, 'reviewer', 'supervisor') ? p.bodies.map((b) => `${b}-reviewers`) : [];
}

/** Any signed-in person or the portal: reference data (calendar, legal grounds and periods). */
export const requireSignedIn = (): RequestHandler => requireRole(...STAFF_ROLES, 'portal');
