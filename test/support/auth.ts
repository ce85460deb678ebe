import { createAccount, createServiceClient, createSession } from '../../src/auth/accounts.js';
import type { StaffRole } from '../../src/auth/principal.js';
import type { Pool } from '../../src/db/pool.js';

/**
 * The people and systems the tests act as, seeded into every test database with fixed session
 * tokens (only their hashes are stored, as for real sessions). `as(id)` gives the headers.
 */
export const TEST_ACCOUNTS: { id: string; roles: StaffRole[]; bodies: string[] }[] = [
  { id: 'reviewer-1', roles: ['reviewer'], bodies: ['mida'] },
  { id: 'r1', roles: ['reviewer'], bodies: ['mida'] },
  { id: 'r2', roles: ['reviewer'], bodies: ['baku-city'] },
  { id: 'r3', roles: ['reviewer'], bodies: ['mida'] },
  { id: 'nasimi-reviewer-1', roles: ['reviewer'], bodies: ['baku-nasimi'] },
  { id: 'supervisor-1', roles: ['reviewer', 'supervisor'], bodies: ['mida'] },
  { id: 'operator-1', roles: ['operator'], bodies: [] },
  { id: 'operator-7', roles: ['operator'], bodies: [] },
  { id: 'operator.aliyev', roles: ['operator'], bodies: [] },
  { id: 'operator.mammadova', roles: ['operator'], bodies: [] },
  { id: 'analyst-1', roles: ['analyst'], bodies: [] },
  { id: 'admin-1', roles: ['administrator'], bodies: [] },
  {
    id: 'registrar-all',
    roles: ['reviewer'],
    bodies: ['baku-nasimi', 'sumgait', 'ganja', 'mida', 'baku-city'],
  },
];

export const PORTAL_TOKEN = 'test-token-portal-0123456789';

export function as(id: string): { authorization: string } {
  return { authorization: `Bearer ${id === 'portal' ? PORTAL_TOKEN : `test-token:${id}`}` };
}

export const PORTAL = as('portal');

/** Bodies the test accounts name beyond the migrations' list (bodies are a managed list). */
const TEST_BODIES = [
  ['baku-city', 'Bakı şəhər İcra Hakimiyyəti (sınaq)', 'Baku City Executive Authority (test)'],
  ['ganja', 'Gəncə şəhər İcra Hakimiyyəti (sınaq)', 'Ganja City Executive Authority (test)'],
];

export async function seedTestPrincipals(pool: Pool): Promise<void> {
  for (const [code, az, en] of TEST_BODIES)
    await pool.query(
      `INSERT INTO registering_body (code, kind, name_az, name_en) VALUES ($1, 'local-executive', $2, $3)
       ON CONFLICT (code) DO NOTHING`,
      [code, az, en],
    );
  for (const a of TEST_ACCOUNTS) {
    // idempotent: a test may seed a database again after a restart
    if (await createAccount(pool, { ...a, displayName: a.id }))
      await createSession(pool, a.id, 24, `test-token:${a.id}`);
  }
  await createServiceClient(pool, 'portal', ['portal'], PORTAL_TOKEN);
}
