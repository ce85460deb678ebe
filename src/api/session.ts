import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { checkPassword, createSession, endSession } from '../auth/accounts.js';
import { SESSION_COOKIE, sessionCookie } from '../auth/authenticate.js';
import { principalOf } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import type { SessionInfo, SignedIn, SignInRequest } from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { assertRequestShape, parse } from './validate.js';
import { SignInLimiter, TooManyRequests } from './rate-limit.js';

const SignIn = registry.register(
  'SignIn',
  z
    .object({
      username: z.string().min(1).max(63),
      password: z.string().min(1).max(200),
    })
    .strict(),
);

type _SignIn = Assert<SameShape<z.input<typeof SignIn>, SignInRequest>>;

const ROLES = [
  'reviewer',
  'supervisor',
  'operator',
  'analyst',
  'administrator',
  'portal',
  'registry',
] as const;
const SessionUserFields = {
  id: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  bodies: z.array(z.string()).openapi({ description: 'the bodies (codes) the caller serves' }),
};
const SessionInfoSchema = registry.register(
  'SessionInfo',
  z.object({ ...SessionUserFields, kind: z.enum(['user', 'service']) }),
);
const SignedInSchema = registry.register(
  'SignedIn',
  z.object({ ...SessionUserFields, token: z.string(), expiresAt: InstantSchema }),
);
type _SessionInfo = Assert<SameShape<z.infer<typeof SessionInfoSchema>, SessionInfo>>;
type _SignedIn = Assert<SameShape<z.infer<typeof SignedInSchema>, SignedIn>>;

registry.registerPath({
  method: 'post',
  path: '/api/v1/session',
  summary: 'Sign in with a local account (sets the session cookie; the token is also returned)',
  request: { body: { content: { 'application/json': { schema: SignIn } } } },
  responses: {
    200: jsonResponse('signed in', SignedInSchema),
    400: problemResponse('invalid; fields named'),
    401: problemResponse('wrong user name or password'),
    429: problemResponse('too many failed attempts; wait the seconds in Retry-After'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/session',
  summary: 'Who is signed in: id, name, roles, bodies',
  responses: {
    200: jsonResponse('the caller', SessionInfoSchema),
    401: problemResponse('not signed in'),
  },
});
registry.registerPath({
  method: 'delete',
  path: '/api/v1/session',
  summary: 'Sign out (ends the session)',
  responses: { 204: { description: 'signed out' } },
});

/**
 * Secure cookies over HTTPS, and always in production, which runs behind TLS (browsers accept
 * Secure cookies from http://localhost too, so a local compose run still signs in).
 */
const secure = (req: Request) => req.secure || process.env.NODE_ENV === 'production';

export function sessionRouter(deps: {
  pool: Pool;
  sessionHours: number;
  limiter?: SignInLimiter;
  sleep?: (ms: number) => Promise<void>;
}): Router {
  const r = Router();
  const limiter = deps.limiter ?? new SignInLimiter();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const setCookie = (res: Response, token: string, secure: boolean, maxAgeS: number) =>
    res.setHeader(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`,
    );
  r.post('/api/v1/session', async (req, res) => {
    const { username, password } = parse(SignIn, req, 'body');
    const user = username.toLowerCase();
    const client = `ip:${req.ip ?? 'unknown'}`;
    // Checked before the password is: a refused attempt tests nothing.
    const allowed = limiter.check(client, user);
    if (!allowed.ok)
      throw new TooManyRequests(
        allowed.retryAfterS,
        `too many failed sign-ins; try again in ${allowed.retryAfterS} s`,
      );
    let account: Awaited<ReturnType<typeof checkPassword>>;
    try {
      if (allowed.delayMs > 0) await sleep(allowed.delayMs);
      account = await checkPassword(deps.pool, user, password);
    } catch (err) {
      limiter.abandoned(client, user);
      throw err;
    }
    if (!account) {
      limiter.failed(client, user);
      throw new HttpProblem(401, 'Unauthenticated', 'wrong user name or password', [
        { field: 'password', message: 'wrong user name or password' },
      ]);
    }
    limiter.succeeded(client, user);
    const { token, expiresAt } = await createSession(deps.pool, account.id, deps.sessionHours);
    setCookie(res, token, secure(req), deps.sessionHours * 3600);
    res.json({
      id: account.id,
      name: account.displayName,
      roles: account.roles,
      bodies: account.bodies,
      token,
      // as JSON would write the Date
      expiresAt: expiresAt.toISOString(),
    } satisfies SignedIn);
  });
  r.get('/api/v1/session', (req, res) => {
    const p = principalOf(req);
    assertRequestShape(req);
    res.json({
      id: p.id,
      name: p.name,
      kind: p.kind,
      roles: p.roles,
      bodies: p.bodies,
    } satisfies SessionInfo);
  });
  r.delete('/api/v1/session', async (req, res) => {
    assertRequestShape(req);
    const header = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const token = header ?? sessionCookie(req);
    if (token) await endSession(deps.pool, token);
    setCookie(res, '', secure(req), 0);
    res.status(204).end();
  });
  return r;
}
