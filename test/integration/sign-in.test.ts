import { createHash } from 'node:crypto';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

type CryptoKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
import { as } from '../support/auth.js';
import { seedAccount } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// A stand-in for the state's identity provider: discovery document and JWKS over HTTP.
const AUDIENCE = 'az-housing-api';
const KID = 'test-key-1';
let idp: Server;
let issuer: string;
let key: CryptoKey;
let otherKey: CryptoKey;
let t: TestStack;

async function startIdp(): Promise<void> {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  idp = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration')
      return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
}

async function idToken(
  claims: JWTPayload,
  opts: { iss?: string; aud?: string; exp?: number | string; signWith?: CryptoKey } = {},
): Promise<string> {
  return new SignJWT({ preferred_username: 'oidc.user', name: 'OIDC User', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? AUDIENCE)
    .setSubject('3f1c0c9e')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(opts.signWith ?? key);
}

beforeAll(async () => {
  await startIdp();
  t = await startTestStack({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE });
});

afterAll(async () => {
  await t?.stop();
  await new Promise((r) => idp?.close(r));
});

const json = { 'content-type': 'application/json' };
async function signIn(username: string, password: string) {
  const res = await fetch(`${t.stack.apiUrl}/api/v1/session`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username, password }),
  });
  return {
    status: res.status,
    body: (await res.json()) as any,
    cookie: res.headers.get('set-cookie'),
  };
}
const withCookie = (setCookie: string | null) => ({ cookie: setCookie!.split(';')[0]! });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field);

describe('local sign-in', () => {
  it('given an account, when signing in, then an HttpOnly SameSite=Strict cookie carries the session', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-cookie', roles: ['operator'] });
    const res = await signIn(who.id, who.password);
    expect(res.status).toBe(200);
    expect(res.cookie).toMatch(
      /^az_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/,
    );
    const me = await t.api('/api/v1/session', { headers: withCookie(res.cookie) });
    expect(me.body).toMatchObject({ id: 'si-cookie', roles: ['operator'] });
  });

  it('given a wrong password, when signing in, then 401 names the password field and no session starts', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-wrong', roles: ['operator'] });
    const res = await signIn(who.id, 'not-the-password');
    expect(res.status).toBe(401);
    expect(fields(res.body)).toEqual(['password']);
    expect(res.cookie).toBeNull();
    const { rows } = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM account_session WHERE account_id = 'si-wrong'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('given three failed attempts from this client, when trying again at once even with the right password, then 429 with Retry-After', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-throttle', roles: ['operator'] });
    for (let i = 0; i < 3; i++) expect((await signIn(who.id, `guess-${i}`)).status).toBe(401);
    const res = await fetch(`${t.stack.apiUrl}/api/v1/session`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: who.id, password: who.password }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('given a signed-in user, when signing out, then the session no longer works', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-out', roles: ['operator'] });
    const { cookie } = await signIn(who.id, who.password);
    const out = await t.api('/api/v1/session', { method: 'DELETE', headers: withCookie(cookie) });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await t.api('/api/v1/session', { headers: withCookie(cookie) })).status).toBe(401);
  });

  it('given an expired session, when using it as a bearer token, then 401', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-expired', roles: ['operator'] });
    const { body } = await signIn(who.id, who.password);
    await t.stack.db.pool.query(
      `UPDATE account_session SET expires_at = now() - interval '1 second' WHERE account_id = $1`,
      [who.id],
    );
    const res = await t.api('/api/v1/legal-periods', { headers: bearer(body.token) });
    expect(res.status).toBe(401);
  });

  it('given a signed-in user, when an administrator deactivates the account, then the session ends and sign-in fails', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-deact', roles: ['operator'] });
    const { body } = await signIn(who.id, who.password);
    const patch = await t.api('/api/v1/accounts/si-deact', {
      method: 'PATCH',
      body: { active: false },
      headers: as('admin-1'),
    });
    expect(patch.status).toBe(200);
    expect((await t.api('/api/v1/legal-periods', { headers: bearer(body.token) })).status).toBe(
      401,
    );
    expect((await signIn(who.id, who.password)).status).toBe(401);
  });

  it('given a signed-in user, when their password is changed, then the old session ends and the new password works', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-newpw', roles: ['operator'] });
    const { body } = await signIn(who.id, who.password);
    const patch = await t.api('/api/v1/accounts/si-newpw', {
      method: 'PATCH',
      body: { password: 'a-brand-new-password' },
      headers: as('admin-1'),
    });
    expect(patch.status).toBe(200);
    expect((await t.api('/api/v1/legal-periods', { headers: bearer(body.token) })).status).toBe(
      401,
    );
    expect((await signIn(who.id, who.password)).status).toBe(401);
    expect((await signIn(who.id, 'a-brand-new-password')).status).toBe(200);
  });

  it('given any sign-in, when it is logged and audited, then no password or session token appears', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-secret', roles: ['operator'] });
    await signIn(who.id, 'wrong-secret-password');
    const { body } = await signIn(who.id, who.password);
    await t.api('/api/v1/accounts/si-secret', {
      method: 'PATCH',
      body: { password: 'secret-new-password-7' },
      headers: as('admin-1'),
    });
    const { rows } = await t.stack.db.pool.query(`SELECT * FROM audit_event`);
    const everything = `${t.logs.text}\n${JSON.stringify(rows)}`;
    for (const secret of [
      who.password,
      'wrong-secret-password',
      'secret-new-password-7',
      body.token,
    ])
      expect(everything.includes(secret)).toBe(false);
  });
});

describe('accounts administration', () => {
  it('given an operator, when listing accounts, then 403', async () => {
    expect((await t.api('/api/v1/accounts', { headers: as('operator-1') })).status).toBe(403);
  });

  it('given an administrator, when creating a reviewer, then it can sign in and is audited', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: {
        id: 'si-new-reviewer',
        displayName: 'Aysel Məmmədova',
        roles: ['reviewer'],
        bodies: ['mida'],
        password: 'reviewer-password-1',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: 'si-new-reviewer',
      roles: ['reviewer'],
      bodies: ['mida'],
    });
    expect(res.body.password).toBeUndefined();
    expect((await signIn('si-new-reviewer', 'reviewer-password-1')).status).toBe(200);
    const { rows } = await t.stack.db.pool.query(
      `SELECT actor FROM audit_event WHERE action = 'account-created' AND after->>'id' = 'si-new-reviewer'`,
    );
    expect(rows).toEqual([{ actor: 'admin-1' }]);
  });

  it('given a reviewer without bodies, when creating it, then 400 names bodies and nothing is created', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: { id: 'si-nobody', displayName: 'X', roles: ['reviewer'], password: 'long-enough-1' },
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['bodies']);
    expect((await t.api('/api/v1/accounts', { headers: as('admin-1') })).body).not.toContainEqual(
      expect.objectContaining({ id: 'si-nobody' }),
    );
  });

  it('given an existing id, when creating an account with it, then 409 names id and the account is unchanged', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: {
        id: 'operator-1',
        displayName: 'Impostor',
        roles: ['administrator'],
        password: 'impostor-password-1',
      },
    });
    expect(res.status).toBe(409);
    expect(fields(res.body)).toEqual(['id']);
    const list = (await t.api('/api/v1/accounts', { headers: as('admin-1') })).body as any[];
    expect(list.find((a) => a.id === 'operator-1')).toMatchObject({ roles: ['operator'] });
  });

  it('given a body code not in the list (a typo such as mdia), when creating a reviewer, then 400 names the field and nothing is created', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: {
        id: 'si-typo',
        displayName: 'X',
        roles: ['reviewer'],
        bodies: ['sumgait', 'mdia'],
        password: 'long-enough-1',
      },
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['bodies.1']);
    expect(res.body.errors[0].message).toMatch(/no such body: mdia/);
    expect((await t.api('/api/v1/accounts', { headers: as('admin-1') })).body).not.toContainEqual(
      expect.objectContaining({ id: 'si-typo' }),
    );
  });

  it('given a body code not in the list, when changing an account to it, then 400 names the field and the bodies are unchanged', async () => {
    const res = await t.api('/api/v1/accounts/r3', {
      method: 'PATCH',
      body: { bodies: ['mdia'] },
      headers: as('admin-1'),
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['bodies.0']);
    const list = (await t.api('/api/v1/accounts', { headers: as('admin-1') })).body as any[];
    expect(list.find((a) => a.id === 'r3').bodies).toEqual(['mida']);
  });

  it('given the database, when an account is written with a body not in the list, then the database refuses it too', async () => {
    await expect(
      t.stack.db.pool.query(`UPDATE account SET bodies = '{mdia}' WHERE id = 'r3'`),
    ).rejects.toThrow(/no registering body mdia/);
  });

  it('given a signed-in reviewer, when listing bodies, then MİDA and the local authorities are listed with names in both languages', async () => {
    const res = await t.api('/api/v1/bodies', { headers: as('reviewer-1') });
    expect(res.status).toBe(200);
    expect(res.body).toContainEqual({
      code: 'mida',
      kind: 'agency',
      nameAz: 'Mənzil İnşaatı Dövlət Agentliyi (MİDA)',
      nameEn: 'State Housing Construction Agency (MIDA)',
    });
    expect(res.body).toContainEqual(
      expect.objectContaining({ code: 'sumgait', kind: 'local-executive' }),
    );
  });

  it('given neither a password nor an invitation, when creating an account, then 400 names password and nothing is created', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: { id: 'si-nopass', displayName: 'X', roles: ['analyst'] },
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['password']);
    expect((await t.api('/api/v1/accounts', { headers: as('admin-1') })).body).not.toContainEqual(
      expect.objectContaining({ id: 'si-nopass' }),
    );
  });

  it('given an invitation, when it is accepted with a password, then the account signs in with it, and the link does not work a second time', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: { id: 'si-invited', displayName: 'Nigar Əliyeva', roles: ['analyst'], invite: true },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'si-invited', hasPassword: false });
    const token = new URL(res.body.invitation.url).hash.slice(1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.invitation.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const accept = (password: string) =>
      t.api('/api/v1/invitations/accept', { anonymous: true, body: { token, password } });
    expect((await accept('nigar-password-1')).status).toBe(204);
    expect((await signIn('si-invited', 'nigar-password-1')).status).toBe(200);
    const again = await accept('someone-else-2');
    expect(again.status).toBe(400);
    expect(fields(again.body)).toEqual(['token']);
    expect((await signIn('si-invited', 'someone-else-2')).status).toBe(401);
    const { rows } = await t.stack.db.pool.query(
      `SELECT action, actor FROM audit_event WHERE after->>'id' = 'si-invited' ORDER BY id`,
    );
    expect(rows).toEqual([
      { action: 'account-created', actor: 'admin-1' },
      { action: 'invitation-accepted', actor: 'si-invited' },
    ]);
  });

  it('given a short password, when creating an account, then 400 names password', async () => {
    const res = await t.api('/api/v1/accounts', {
      headers: as('admin-1'),
      body: { id: 'si-short', displayName: 'X', roles: ['analyst'], password: 'short' },
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['password']);
  });

  it('given an administrator, when deactivating themselves or dropping their own role, then 409 and they stay', async () => {
    for (const body of [{ active: false }, { roles: ['operator'] }]) {
      const res = await t.api('/api/v1/accounts/admin-1', {
        method: 'PATCH',
        body,
        headers: as('admin-1'),
      });
      expect(res.status).toBe(409);
    }
    expect((await t.api('/api/v1/accounts', { headers: as('admin-1') })).status).toBe(200);
  });

  it('given a reviewer, when an administrator clears their bodies, then 400 names bodies', async () => {
    const res = await t.api('/api/v1/accounts/r3', {
      method: 'PATCH',
      body: { bodies: [] },
      headers: as('admin-1'),
    });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['bodies']);
  });
});

describe('service clients', () => {
  it('given an administrator, when issuing a client, then its token is shown once, stored hashed and works as a bearer', async () => {
    const res = await t.api('/api/v1/service-clients', {
      headers: as('admin-1'),
      body: { id: 'si-portal-2', roles: ['portal'] },
    });
    expect(res.status).toBe(201);
    const token = res.body.token as string;
    expect(token.length).toBeGreaterThanOrEqual(43);
    const { rows } = await t.stack.db.pool.query(
      `SELECT token_sha256 FROM service_client WHERE id = 'si-portal-2'`,
    );
    expect(rows[0].token_sha256).toEqual(createHash('sha256').update(token).digest());
    const me = await t.api('/api/v1/session', { headers: bearer(token) });
    expect(me.body).toMatchObject({ id: 'si-portal-2', kind: 'service', roles: ['portal'] });
    expect((await t.api('/api/v1/legal-periods', { headers: bearer(token) })).status).toBe(200);
  });

  it('given a wrong token, when calling as a service client, then 401', async () => {
    const res = await t.api('/api/v1/legal-periods', { headers: bearer('x'.repeat(43)) });
    expect(res.status).toBe(401);
  });
});

describe('OIDC sign-in', () => {
  it('given a valid token with roles and bodies, when calling, then the caller is that reviewer, scoped to their body', async () => {
    const token = await idToken({ roles: ['reviewer'], bodies: ['sumgait'] });
    const me = await t.api('/api/v1/session', { headers: bearer(token) });
    expect(me.body).toMatchObject({ id: 'oidc.user', roles: ['reviewer'], bodies: ['sumgait'] });
    const own = await t.api('/api/v1/waitlist/sumgait/lists/general/entries', {
      headers: bearer(token),
    });
    expect(own.status).toBe(200);
    const other = await t.api('/api/v1/waitlist/baku-nasimi/lists/general/entries', {
      headers: bearer(token),
    });
    expect(other.status).toBe(403);
  });

  it.each([
    ['a wrong audience', { aud: 'another-api' }],
    ['a wrong issuer', { iss: 'https://evil.example' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 120 }],
  ])('given %s, when calling, then 401', async (_what, opts) => {
    const token = await idToken({ roles: ['administrator'] }, opts);
    expect((await t.api('/api/v1/accounts', { headers: bearer(token) })).status).toBe(401);
  });

  it('given a token signed by another key, when calling, then 401', async () => {
    const token = await idToken({ roles: ['administrator'] }, { signWith: otherKey });
    expect((await t.api('/api/v1/accounts', { headers: bearer(token) })).status).toBe(401);
  });

  it('given roles outside the known ones, when calling, then they are ignored', async () => {
    const token = await idToken({ roles: ['analyst', 'root', 'portal', 'superuser'] });
    const me = await t.api('/api/v1/session', { headers: bearer(token) });
    expect(me.body.roles).toEqual(['analyst']);
    const admin = await idToken({ roles: ['root', 'Administrator'] });
    expect((await t.api('/api/v1/accounts', { headers: bearer(admin) })).status).toBe(403);
  });

  it('given OIDC is on, when a local account signs in, then local sessions still work', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'si-local-oidc', roles: ['analyst'] });
    const { body } = await signIn(who.id, who.password);
    expect((await t.api('/api/v1/session', { headers: bearer(body.token) })).body).toMatchObject({
      id: 'si-local-oidc',
    });
  });
});
