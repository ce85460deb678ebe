import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import { createAccount, createServiceClient, newToken } from './accounts.js';

/**
 * First start: an administrator account `admin` so someone can sign in and create the others.
 * Its password comes from ADMIN_PASSWORD, or is generated and written to a file only the
 * owner can read (never to the log). The portal's token from PORTAL_CLIENT_TOKEN, if set.
 */
export async function bootstrapAccess(
  pool: Pool,
  log: Logger,
  opts: { dataDir: string; adminPassword?: string; portalClientToken?: string },
): Promise<void> {
  const { rows } = await pool.query(
    `SELECT 1 FROM account WHERE 'administrator' = ANY(roles) AND active LIMIT 1`,
  );
  if (rows.length === 0) {
    const password = opts.adminPassword ?? newToken().slice(0, 20);
    const created = await createAccount(pool, {
      id: 'admin',
      displayName: 'Administrator',
      roles: ['administrator'],
      bodies: [],
      password,
    });
    if (created && !opts.adminPassword) {
      fs.mkdirSync(opts.dataDir, { recursive: true });
      const file = path.join(opts.dataDir, 'initial-admin-password');
      fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
      log.warn({ file }, 'created the administrator account "admin"; its password is in the file');
    } else if (created) {
      log.info('created the administrator account "admin" (password from ADMIN_PASSWORD)');
    }
  }
  if (opts.portalClientToken)
    await createServiceClient(pool, 'portal', ['portal'], opts.portalClientToken);
}
