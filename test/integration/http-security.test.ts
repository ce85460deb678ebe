import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp, type HttpPolicy } from '../../src/api/app.js';
import { DEFAULT_SIGN_IN_LIMITS } from '../../src/api/rate-limit.js';
import { createServiceClient } from '../../src/auth/accounts.js';
import { createLogger } from '../../src/logger.js';
import { completeForm, SIGNED } from '../support/applications.js';
import { seedAccount } from '../support/browser.js';
import { LogCapture } from '../support/log-capture.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// Issue 14 §10 and part of §3: headers, cookies, CORS, rate limits, Idempotency-Key and the
// repeated submit. The real stack (engine, workers, database) answers with the production
// defaults; extra instances of the API on the same database take other settings (CORS, proxy,
// small limits) and a clock the test moves.

let t: TestStack;
const extra: Server[] = [];

beforeAll(async () => {
  t = await startTestStack();
}, 600_000);

afterAll(async () => {
  for (const s of extra) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await t?.stop();
});

/** Another API instance on the stack's database, with its own HTTP policy; time by hand. */
async function apiWith(policy: Partial<HttpPolicy>) {
  let now = Date.UTC(2026, 10, 30, 9);
  const delays: number[] = [];
  const app = createApp({
    pool: t.stack.db.pool,
    log: createLogger('info', new LogCapture()),
    engineReady: async () => true,
    onEngineMessagesQueued: () => undefined,
    auth: { sessionHours: 1 },
    http: {
      ...policy,
      clock: () => now,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  extra.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    delays,
    advance: (ms: number) => (now += ms),
    fetch: (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init),
  };
}

const json = { 'content-type': 'application/json' };
const signInBody = (username: string, password: string) => JSON.stringify({ username, password });

describe('security headers on every answer (issue 14 §10)', () => {
  it('given the staff screen, then its CSP allows only its own scripts and styles, no inline, and no framing', async () => {
    const res = await fetch(`${t.stack.apiUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // the HTML itself has no inline script or style element that the CSP would block
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]|\sstyle="/);
  });

  it.each([
    ['GET', '/api/openapi.json', 200],
    ['GET', '/readyz', 200],
    ['GET', '/api/v1/session', 401],
    ['GET', '/api/v1/no-such-route', 404],
    ['POST', '/api/v1/applications', 401],
  ])(
    'given %s %s, then JSON comes with nosniff, no-store, a CSP of nothing and no framing',
    async (method, path, status) => {
      const res = await fetch(`${t.stack.apiUrl}${path}`, {
        method,
        headers: json,
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toMatch(
        /default-src 'none'.*frame-ancestors 'none'/,
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      // plain http from a client: no HSTS
      expect(res.headers.get('strict-transport-security')).toBeNull();
    },
  );

  it('given a sign-in, then the answer with the token is no-store and nosniff, and the cookie is HttpOnly and SameSite=Strict', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'hs-signin', roles: ['operator'] });
    const res = await fetch(`${t.stack.apiUrl}/api/v1/session`, {
      method: 'POST',
      headers: json,
      body: signInBody(who.id, who.password),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token: string }).token).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/; Secure/); // plain http, not production
  });

  it('given a request that came over TLS through the trusted proxy (X-Forwarded-Proto from loopback), then HSTS is sent and the cookie is Secure', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'hs-tls', roles: ['operator'] });
    const res = await fetch(`${t.stack.apiUrl}/api/v1/session`, {
      method: 'POST',
      headers: { ...json, 'x-forwarded-proto': 'https' },
      body: signInBody(who.id, who.password),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('given a proxy that is not trusted (TRUST_PROXY names another address), when it claims TLS, then no HSTS and no Secure claim is believed', async () => {
    const api = await apiWith({ trustProxy: '10.9.8.7' });
    const res = await api.fetch('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('CORS: none unless configured', () => {
  it('given the default settings, when another origin calls or sends a preflight, then no CORS header is given and the preflight is refused', async () => {
    const simple = await fetch(`${t.stack.apiUrl}/api/openapi.json`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${t.stack.apiUrl}/api/v1/session`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('given CORS_ORIGINS with the portal, then the portal origin is allowed without credentials and others are not', async () => {
    const api = await apiWith({ corsOrigins: ['https://portal.e-gov.az'] });
    const allowed = await api.fetch('/api/v1/session', {
      method: 'OPTIONS',
      headers: { origin: 'https://portal.e-gov.az', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.e-gov.az');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await api.fetch('/api/openapi.json', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limits answer 429 with Retry-After (issue 14 §10)', () => {
  const from = (ip: string) => ({ ...json, 'x-forwarded-for': ip });

  it('given one client spraying 40 names, then after 10 failures it gets 429 with Retry-After instead of 401', async () => {
    const api = await apiWith({});
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await api.fetch('/api/v1/session', {
        method: 'POST',
        headers: from('203.0.113.40'),
        body: signInBody(`sprayed-${i}`, 'wrong-password-1'),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_SIGN_IN_LIMITS.clientBurst);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - DEFAULT_SIGN_IN_LIMITS.clientBurst);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('given failures against an administrator from many other clients, when the administrator signs in from his own client, then he gets in (slowed at most 2 s, never refused)', async () => {
    const admin = await seedAccount(t.stack.db.pool, { id: 'hs-admin', roles: ['administrator'] });
    const api = await apiWith({});
    for (let c = 0; c < 12; c++)
      for (let k = 0; k < 5; k++)
        await api.fetch('/api/v1/session', {
          method: 'POST',
          headers: from(`198.51.100.${c}`),
          body: signInBody(admin.id, `guess-${c}-${k}`),
        });
    const mine = await api.fetch('/api/v1/session', {
      method: 'POST',
      headers: from('192.0.2.10'),
      body: signInBody(admin.id, admin.password),
    });
    expect(mine.status).toBe(200);
    expect(api.delays.length).toBeGreaterThan(0);
    expect(Math.max(...api.delays)).toBeLessThanOrEqual(2_000);
  });

  it('given three failures of one client on a name, when it tries at once again, then 429 with Retry-After 1, and after that second it may try again', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'hs-backoff', roles: ['operator'] });
    const api = await apiWith({});
    for (let i = 0; i < 3; i++)
      expect(
        (
          await api.fetch('/api/v1/session', {
            method: 'POST',
            headers: from('203.0.113.7'),
            body: signInBody(who.id, 'wrong-password-1'),
          })
        ).status,
      ).toBe(401);
    const refused = await api.fetch('/api/v1/session', {
      method: 'POST',
      headers: from('203.0.113.7'),
      body: signInBody(who.id, who.password),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    api.advance(1_000);
    const later = await api.fetch('/api/v1/session', {
      method: 'POST',
      headers: from('203.0.113.7'),
      body: signInBody(who.id, who.password),
    });
    expect(later.status).toBe(200);
  });

  it('given the portal over its limit, then 429 with Retry-After, other clients unaffected, and served again once the time has passed', async () => {
    const api = await apiWith({ publicPerMinute: 3 });
    const portal = { authorization: 'Bearer test-token-portal-0123456789' };
    const id = '00000000-0000-4000-8000-000000000000';
    for (let i = 0; i < 3; i++)
      expect((await api.fetch(`/api/v1/applications/${id}`, { headers: portal })).status).toBe(404);
    const over = await api.fetch(`/api/v1/applications/${id}`, { headers: portal });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('20');
    // the registry systems are another client
    const registry = await api.fetch('/api/v1/registry-events', {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(registry.status).not.toBe(429);
    api.advance(20_000);
    expect((await api.fetch(`/api/v1/applications/${id}`, { headers: portal })).status).toBe(404);
  });

  it('given one address posting registry events over its limit, then 429 with Retry-After', async () => {
    const api = await apiWith({ publicPerMinute: 2 });
    const post = () =>
      api.fetch('/api/v1/registry-events', {
        method: 'POST',
        headers: from('203.0.113.99'),
        body: '{}',
      });
    await post();
    await post();
    const over = await post();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('Idempotency-Key on "create draft" and the repeated submit (issue 14)', () => {
  const draftCount = async (fin: string) =>
    (
      await t.stack.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM application WHERE applicant_fin = $1`,
        [fin],
      )
    ).rows[0]!.n;

  it('given a draft created with a key, when the same request is retried with the key, then the same draft is answered and no second one is made', async () => {
    const body = { applicantFin: '6IK0001', form: completeForm() };
    const headers = { 'idempotency-key': 'b5f7c1d2-retry-1' };
    const first = await t.api('/api/v1/applications', { body, headers });
    const again = await t.api('/api/v1/applications', { body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(`/api/v1/applications/${first.body.id}`);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await draftCount('6IK0001')).toBe(1);
  });

  it('given five concurrent requests with one key, then exactly one draft exists and all five name it', async () => {
    const body = { applicantFin: '6IK0002', form: completeForm() };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.api('/api/v1/applications', { body, headers: { 'idempotency-key': 'concurrent-1' } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await draftCount('6IK0002')).toBe(1);
  });

  it('given a key already used, when it comes with another body, then 422 names Idempotency-Key and nothing is made', async () => {
    const headers = { 'idempotency-key': 'reused-key-1' };
    await t.api('/api/v1/applications', {
      body: { applicantFin: '6IK0003', form: completeForm() },
      headers,
    });
    const other = await t.api('/api/v1/applications', {
      body: { applicantFin: '6IK0004', form: completeForm() },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors.map((e: { field: string }) => e.field)).toEqual(['Idempotency-Key']);
    expect(await draftCount('6IK0004')).toBe(0);
  });

  it("given the same key from another caller, then it is another caller's key: a draft of its own", async () => {
    await createServiceClient(
      t.stack.db.pool,
      'portal-b',
      ['portal'],
      'test-token-portal-b-0123456789',
    );
    const body = { applicantFin: '6IK0005', form: completeForm() };
    const a = await t.api('/api/v1/applications', {
      body,
      headers: { 'idempotency-key': 'k-shared' },
    });
    const b = await t.api('/api/v1/applications', {
      body,
      headers: {
        'idempotency-key': 'k-shared',
        authorization: 'Bearer test-token-portal-b-0123456789',
      },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
    expect(await draftCount('6IK0005')).toBe(2);
  });

  it('given an Idempotency-Key with a control character or over 255 characters, then 400 names the header and nothing is made', async () => {
    for (const key of ['x'.repeat(256), 'has space']) {
      const res = await t.api('/api/v1/applications', {
        body: { applicantFin: '6IK0006', form: completeForm() },
        headers: { 'idempotency-key': key },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['Idempotency-Key']);
    }
    expect(await draftCount('6IK0006')).toBe(0);
  });

  it('given a key first used more than 24 hours ago, when it comes with another request, then that request is made (keys expire)', async () => {
    const headers = { 'idempotency-key': 'expiring-key-1' };
    const first = await t.api('/api/v1/applications', {
      body: { applicantFin: '6IK0010', form: completeForm() },
      headers,
    });
    await t.stack.db.pool.query(
      `UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'expiring-key-1'`,
    );
    const later = await t.api('/api/v1/applications', {
      body: { applicantFin: '6IK0011', form: completeForm() },
      headers,
    });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(await draftCount('6IK0011')).toBe(1);
  });

  it('given requests without a key, then each makes its own draft (as before)', async () => {
    const body = { applicantFin: '6IK0007', form: completeForm() };
    await t.api('/api/v1/applications', { body });
    await t.api('/api/v1/applications', { body });
    expect(await draftCount('6IK0007')).toBe(2);
  });

  it('003 §5.5: given a submitted application, when the submit is repeated, then the same answer with the original registration number comes back and nothing changes', async () => {
    const draft = await t.api('/api/v1/applications', {
      body: { applicantFin: '6IK0008', form: completeForm() },
    });
    const first = await t.api(`/api/v1/applications/${draft.body.id}/submit`, { body: SIGNED });
    expect(first.status).toBe(200);
    const counter = async () =>
      (await t.stack.db.pool.query(`SELECT last_value FROM registration_counter`)).rows[0]
        .last_value;
    const before = await counter();
    const again = await t.api(`/api/v1/applications/${draft.body.id}/submit`, { body: SIGNED });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await counter()).toBe(before);
    const audits = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND action = 'submitted'`,
      [draft.body.id],
    );
    expect(audits.rows[0].n).toBe(1);
  });

  it('given a draft deleted by the citizen, when it is submitted, then still 409 (no number was ever given)', async () => {
    const draft = await t.api('/api/v1/applications', {
      body: { applicantFin: '6IK0009', form: completeForm() },
    });
    await t.api(`/api/v1/applications/${draft.body.id}/cancel`, { body: {} });
    const res = await t.api(`/api/v1/applications/${draft.body.id}/submit`, { body: SIGNED });
    expect(res.status).toBe(409);
  });
});
