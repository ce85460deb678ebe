import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { readyBanner } from '../../src/banner.js';

const base = {
  seconds: '12.3',
  apiUrl: 'http://127.0.0.1:3000',
  dataDir: './var',
  adminPasswordFromEnv: false,
  engine: {
    url: 'http://127.0.0.1:8080/engine-rest',
    webUrl: 'http://127.0.0.1:8080',
    version: '1.0.3',
    user: 'azhousing',
  },
  enginePasswordFromEnv: false,
  database: 'DATABASE_URL',
};

describe('ready banner', () => {
  it('given a first start without ADMIN_PASSWORD, then it prints the staff screens URL, the user to sign in as and the full path of the file with the first password', () => {
    const text = readyBanner(base);
    expect(text).toContain('  staff screens  http://127.0.0.1:3000/\n');
    expect(text).toContain(
      `sign in as "admin"; first password: in ${path.resolve('var', 'initial-admin-password')}`,
    );
  });

  it('given ADMIN_PASSWORD, then it says the first password is that value and names no file', () => {
    const text = readyBanner({ ...base, adminPasswordFromEnv: true });
    expect(text).toContain('first password: the value of ADMIN_PASSWORD');
    expect(text).not.toContain('initial-admin-password');
  });
});
