import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from '../db/pool.js';
import { HttpProblem } from '../api/problem.js';
import { assertRequestShape } from '../api/validate.js';
import { hasRole, type Role } from './principal.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `:body` path parameter when it names a registering body; a malformed or unknown one is
 * left to the handler (400 / 404).
 */
export function bodyParam(pool: Pool): (req: Request) => Promise<string | undefined> {
  return async (req) => {
    const body = String(req.params.body ?? '');
    if (!/^[a-z0-9-]+$/.test(body)) return undefined;
    const { rows } = await pool.query('SELECT 1 FROM registering_body WHERE code = $1', [body]);
    return rows.length ? body : undefined;
  };
}

async function bodyOf(pool: Pool, sql: string, id: string): Promise<string | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await pool.query(sql, [id]);
  return rows[0]?.body;
}

/** The registering body that owns the waitlist slot in `:entryId`. */
export function entryParam(pool: Pool): (req: Request) => Promise<string | undefined> {
  return (req) =>
    bodyOf(
      pool,
      `SELECT w.body_code AS body FROM waitlist_entry e JOIN waitlist w ON w.id = e.waitlist_id WHERE e.id = $1`,
      String(req.params.entryId ?? ''),
    );
}

/** The registering body that owns the waitlist case (incl. transfer cases) in `:caseId`. */
export function caseParam(pool: Pool): (req: Request) => Promise<string | undefined> {
  return (req) =>
    bodyOf(
      pool,
      'SELECT body_code AS body FROM waitlist_case WHERE id = $1',
      String(req.params.caseId ?? ''),
    );
}

/**
 * Who may touch a resource of one registering body: reviewers and supervisors of that body,
 * the roles in `alsoRoles` (e.g. the portal acting for the citizen, operators reading) and
 * nobody else. An unknown resource passes, so the handler answers 404 as before.
 */
export function bodyScoped(
  owner: (req: Request) => Promise<string | undefined>,
  alsoRoles: Role[] = [],
): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const p = req.principal;
      if (!p) throw new HttpProblem(401, 'Unauthenticated', 'sign in, or send a bearer token');
      if (alsoRoles.length && hasRole(p, ...alsoRoles)) {
        assertRequestShape(req);
        return next();
      }
      if (!hasRole(p, 'reviewer', 'supervisor'))
        throw new HttpProblem(403, 'Forbidden', 'not allowed for your role');
      const body = await owner(req);
      if (body !== undefined && !p.bodies.includes(body))
        throw new HttpProblem(403, 'Forbidden', `a resource of another body (${body})`);
      assertRequestShape(req);
      next();
    } catch (err) {
      next(err);
    }
  };
}
