import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';
import { PORTAL_TOKEN } from '../support/auth.js';
import { groupPids, listeningSockets } from '../support/ports.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// Issue 14 §9: "the engine is closed: its REST API, web apps and every port it opens refuse
// anonymous callers (a test tries each)" — for every port the stack opens: the API, the engine,
// and the development stand-ins (registry, SMS gateway). They run in this process (API,
// stand-ins) and in the engine's process group (the JVM).

let t: TestStack;
let sockets: { pid: number; address: string; port: number }[];

beforeAll(async () => {
  t = await startTestStack();
  const engine = t.stack.engine.process!;
  sockets = [process.pid, ...groupPids(engine.pid)].flatMap((pid) => listeningSockets(pid));
}, 600_000);

afterAll(async () => {
  await t?.stop();
});

const UUID = '00000000-0000-4000-8000-000000000001';
const SHELL = '<div id="root"></div>'; // the screens' index.html: no data

/** Anonymous commands and reads, every one of which must be refused on every port. */
function anonymousProbes(openapi: {
  paths: Record<string, Record<string, unknown>>;
}): { method: string; path: string; body?: string }[] {
  const PUBLIC = new Set([
    'GET /healthz',
    'GET /readyz',
    'GET /api/openapi.json',
    'POST /api/v1/session', // signs in: answers 400/401 without a valid password
    'DELETE /api/v1/session', // signs out nothing without a session
  ]);
  const api = Object.entries(openapi.paths).flatMap(([p, ops]) =>
    Object.keys(ops)
      .filter((m) => !PUBLIC.has(`${m.toUpperCase()} ${p}`))
      .map((m) => ({
        method: m.toUpperCase(),
        path: p.replace(/\{[^}]+\}/g, (name) =>
          /year/i.test(name)
            ? '2026'
            : /date/i.test(name)
              ? '2026-12-01'
              : /body/i.test(name)
                ? 'mida'
                : /kind/i.test(name)
                  ? 'general'
                  : /key/i.test(name)
                    ? 'application-review'
                    : UUID,
        ),
        body: m === 'get' || m === 'delete' ? undefined : '{}',
      })),
  );
  const engine = [
    { method: 'GET', path: '/engine-rest/version' },
    { method: 'GET', path: '/engine-rest/process-definition' },
    { method: 'GET', path: '/engine-rest/history/process-instance' },
    { method: 'GET', path: '/engine-rest/user' },
    {
      method: 'POST',
      path: '/engine-rest/external-task/fetchAndLock',
      body: JSON.stringify({
        workerId: 'intruder',
        maxTasks: 10,
        topics: [{ topicName: 'check-identity', lockDuration: 60000 }],
      }),
    },
    { method: 'POST', path: '/engine-rest/message', body: JSON.stringify({ messageName: 'x' }) },
    { method: 'POST', path: `/engine-rest/job/${UUID}/execute`, body: '{}' },
    { method: 'POST', path: `/engine-rest/external-task/${UUID}/complete`, body: '{}' },
    { method: 'POST', path: '/engine-rest/deployment/create', body: '{}' },
    { method: 'GET', path: '/operaton/api/engine/engine/default/process-definition' },
    {
      method: 'GET',
      path: '/operaton/api/cockpit/plugin/base/default/process-definition/statistics',
    },
    { method: 'GET', path: '/operaton/api/admin/auth/user/default' },
    {
      method: 'POST',
      path: '/operaton/api/admin/setup/default/user/create',
      body: JSON.stringify({
        profile: { id: 'intruder', firstName: 'a', lastName: 'b', email: 'a@b.c' },
        credentials: { password: 'intruder-password-123' },
      }),
    },
    { method: 'GET', path: '/actuator/env' },
  ];
  const standins = [
    { method: 'GET', path: '/identity/SY00001' },
    { method: 'GET', path: '/civil-status/SY00001' },
    { method: 'GET', path: '/property/SY00001' },
    {
      method: 'POST',
      path: '/mortgage-system/registrations',
      body: JSON.stringify({ applicationId: UUID, fin: 'SY00001' }),
    },
    { method: 'GET', path: '/messages' },
    { method: 'POST', path: '/messages', body: JSON.stringify({ to: '+994501234567', text: 'x' }) },
  ];
  return [...api, ...engine, ...standins];
}

describe('every port the stack opens is closed (issue 14 §9)', () => {
  it('given the stack running, then it listens on at least the API, the engine and both stand-ins, each on loopback only', () => {
    const apiPort = Number(new URL(t.stack.apiUrl).port);
    const ports = sockets.map((s) => s.port);
    expect(ports).toContain(apiPort);
    expect(ports).toContain(t.stack.engine.process!.port);
    expect(ports).toContain(Number(new URL(t.registry.url).port));
    expect(sockets.length).toBeGreaterThanOrEqual(4); // + the SMS gateway stand-in
    for (const s of sockets)
      expect({ port: s.port, address: s.address }).toEqual({
        port: s.port,
        address: expect.stringMatching(/^(127\.\d+\.\d+\.\d+|::1)$/),
      });
  });

  it('given anonymous commands and reads of the API, the engine and the stand-ins, when sent to every port, then each is refused — no 2xx with data', async () => {
    const openapi = (await (await fetch(`${t.stack.apiUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const probes = anonymousProbes(openapi);
    expect(probes.length).toBeGreaterThan(60);
    const granted: string[] = [];
    let tried = 0;
    for (const s of sockets) {
      for (const p of probes) {
        const res = await fetch(`http://127.0.0.1:${s.port}${p.path}`, {
          method: p.method,
          headers: p.body ? { 'content-type': 'application/json' } : {},
          body: p.body,
          redirect: 'manual',
        });
        const text = await res.text();
        tried += 1;
        if (res.status >= 200 && res.status < 300 && !text.includes(SHELL))
          granted.push(`${s.port} ${p.method} ${p.path} → ${res.status}`);
      }
    }
    expect(tried).toBe(sockets.length * probes.length);
    expect(granted).toEqual([]);
  });

  it("given the engine's own account, then the engine still answers (the refusals above are not a dead port)", async () => {
    const e = t.stack.engine;
    const res = await fetch(`${e.url}/version`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${e.user}:${e.password}`).toString('base64')}`,
      },
    });
    expect(res.status).toBe(200);
  });

  it("given every secret of the stack, then no answer of the public endpoints or of the engine's version carries one", async () => {
    const dataDir = path.join(projectRoot, 'var', 'test-runs', t.db.name);
    const adminPasswordFile = path.join(dataDir, 'initial-admin-password');
    const secrets = [
      t.stack.engine.password,
      PORTAL_TOKEN,
      t.registryToken,
      fs.existsSync(adminPasswordFile) ? fs.readFileSync(adminPasswordFile, 'utf8').trim() : '',
    ].filter((s) => s.length >= 8);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const e = t.stack.engine;
    const basic = {
      authorization: `Basic ${Buffer.from(`${e.user}:${e.password}`).toString('base64')}`,
    };
    const answers = await Promise.all(
      [
        [`${t.stack.apiUrl}/healthz`, {}],
        [`${t.stack.apiUrl}/readyz`, {}],
        [`${t.stack.apiUrl}/api/openapi.json`, {}],
        [`${t.stack.apiUrl}/`, {}],
        [`${t.registry.url}/healthz`, {}],
        [`${e.url}/version`, basic],
        [`${e.url}/engine`, basic],
        [`${e.url.replace(/\/engine-rest$/, '')}/operaton/app/cockpit/`, {}],
      ].map(async ([url, headers]) => {
        const res = await fetch(url as string, { headers: headers as Record<string, string> });
        return `${url}\n${JSON.stringify([...res.headers])}\n${await res.text()}`;
      }),
    );
    for (const a of answers)
      for (const secret of secrets)
        expect({ answer: a.split('\n')[0], leaks: a.includes(secret) }).toEqual({
          answer: a.split('\n')[0],
          leaks: false,
        });
  });
});
