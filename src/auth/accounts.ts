import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from '../db/pool.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Principal, Role, ServiceRole, StaffRole } from './principal.js';

export interface Account {
  id: string;
  displayName: string;
  roles: StaffRole[];
  bodies: string[];
  active: boolean;
  hasPassword: boolean;
}

const sha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest();
/** 256 random bits, URL-safe: session and service-client tokens. */
export const newToken = () => randomBytes(32).toString('base64url');

const AUDIT_NAMESPACE = Buffer.from('9b3c1e52a4d84f6e8c0a7d2f5e1b3c69', 'hex');

/**
 * The audit trail keys every entry by a UUID (audit_event.case_id); accounts and service
 * clients have text ids, so their entries use a UUID v5 of `<kind>:<id>` (the same on every
 * run) and name the id in the entry itself.
 */
export function accessAuditId(kind: 'account' | 'service-client', id: string): string {
  const hash = createHash('sha1').update(AUDIT_NAMESPACE).update(`${kind}:${id}`, 'utf8').digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ACCOUNT_COLUMNS = `id, display_name AS "displayName", roles, bodies, active,
  password_hash IS NOT NULL AS "hasPassword"`;

export async function listAccounts(pool: Pool): Promise<Account[]> {
  const { rows } = await pool.query(`SELECT ${ACCOUNT_COLUMNS} FROM account ORDER BY id`);
  return rows;
}

export async function findAccount(pool: Pool, id: string): Promise<Account | undefined> {
  const { rows } = await pool.query(`SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = $1`, [id]);
  return rows[0];
}

export async function createAccount(
  pool: Pool | PoolClient,
  a: { id: string; displayName: string; roles: StaffRole[]; bodies: string[]; password?: string },
): Promise<Account | undefined> {
  const hash = a.password ? await hashPassword(a.password) : null;
  const { rows } = await pool.query(
    `INSERT INTO account (id, display_name, password_hash, roles, bodies) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (id) DO NOTHING RETURNING ${ACCOUNT_COLUMNS}`,
    [a.id, a.displayName, hash, a.roles, a.bodies],
  );
  return rows[0];
}

export async function updateAccount(
  pool: Pool | PoolClient,
  id: string,
  patch: {
    displayName?: string;
    roles?: StaffRole[];
    bodies?: string[];
    active?: boolean;
    password?: string;
  },
): Promise<Account | undefined> {
  const hash = patch.password ? await hashPassword(patch.password) : undefined;
  const { rows } = await pool.query(
    `UPDATE account SET display_name = COALESCE($2, display_name), roles = COALESCE($3, roles),
            bodies = COALESCE($4, bodies), active = COALESCE($5, active),
            password_hash = COALESCE($6, password_hash), updated_at = now()
      WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
    [
      id,
      patch.displayName ?? null,
      patch.roles ?? null,
      patch.bodies ?? null,
      patch.active ?? null,
      hash ?? null,
    ],
  );
  // A deactivated account or a new password ends every session of the account.
  if (rows[0] && (patch.active === false || hash))
    await pool.query('DELETE FROM account_session WHERE account_id = $1', [id]);
  return rows[0];
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(newToken()));

/** The account when the password matches an active account; undefined otherwise. */
export async function checkPassword(
  pool: Pool,
  id: string,
  password: string,
): Promise<Account | undefined> {
  const { rows } = await pool.query(
    `SELECT ${ACCOUNT_COLUMNS}, password_hash AS "passwordHash" FROM account WHERE id = $1`,
    [id],
  );
  const row = rows[0] as (Account & { passwordHash: string | null }) | undefined;
  if (!row?.passwordHash || !row.active) {
    // the same scrypt work as for a real account, so timing does not tell which ids exist
    await verifyPassword(password, await dummyHash());
    return undefined;
  }
  if (!(await verifyPassword(password, row.passwordHash))) return undefined;
  const { passwordHash: _, ...account } = row;
  return account;
}

export function accountPrincipal(a: Account, via: Principal['via'] = 'session'): Principal {
  return { id: a.id, name: a.displayName, kind: 'user', roles: a.roles, bodies: a.bodies, via };
}

export async function createSession(
  pool: Pool,
  accountId: string,
  hours: number,
  token = newToken(),
): Promise<{ token: string; expiresAt: Date }> {
  const { rows } = await pool.query(
    `INSERT INTO account_session (token_sha256, account_id, expires_at)
     VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING expires_at AS "expiresAt"`,
    [sha256(token), accountId, hours],
  );
  return { token, expiresAt: rows[0].expiresAt };
}

export async function sessionPrincipal(pool: Pool, token: string): Promise<Principal | undefined> {
  const { rows } = await pool.query(
    `SELECT a.id, a.display_name AS "displayName", a.roles, a.bodies, a.active, true AS "hasPassword"
       FROM account_session s JOIN account a ON a.id = s.account_id
      WHERE s.token_sha256 = $1 AND s.expires_at > now() AND a.active`,
    [sha256(token)],
  );
  return rows[0] ? accountPrincipal(rows[0]) : undefined;
}

export async function endSession(pool: Pool, token: string): Promise<void> {
  await pool.query('DELETE FROM account_session WHERE token_sha256 = $1', [sha256(token)]);
}

/** A new service client; its token is returned once and only its hash is kept. */
export async function createServiceClient(
  pool: Pool | PoolClient,
  id: string,
  roles: ServiceRole[],
  token = newToken(),
): Promise<{ id: string; token: string }> {
  await pool.query(
    `INSERT INTO service_client (id, token_sha256, roles) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, roles = EXCLUDED.roles`,
    [id, sha256(token), roles],
  );
  return { id, token };
}

export async function serviceClientPrincipal(
  pool: Pool,
  token: string,
): Promise<Principal | undefined> {
  const { rows } = await pool.query(
    'SELECT id, roles FROM service_client WHERE token_sha256 = $1',
    [sha256(token)],
  );
  const row = rows[0] as { id: string; roles: Role[] } | undefined;
  return row
    ? {
        id: row.id,
        name: row.id,
        kind: 'service',
        roles: row.roles,
        bodies: [],
        via: 'service-token',
      }
    : undefined;
}

/** How long an invitation link works (days). */
export const INVITATION_DAYS = 7;

/**
 * A one-time invitation for an account without a password: the random token goes into the
 * link the administrator hands over; only its SHA-256 is stored.
 */
export async function createInvitation(
  pool: Pool | PoolClient,
  accountId: string,
  createdBy: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const { rows } = await pool.query(
    `INSERT INTO account_invitation (token_sha256, account_id, created_by, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(days => $4)) RETURNING expires_at AS "expiresAt"`,
    [sha256(token), accountId, createdBy, INVITATION_DAYS],
  );
  return { token, expiresAt: rows[0].expiresAt };
}

/**
 * Uses an invitation once: sets the password of its account if the account is active and has
 * none yet. Returns the account id, or undefined when the token is unknown, used or expired.
 */
export async function acceptInvitation(
  tx: PoolClient,
  token: string,
  password: string,
): Promise<string | undefined> {
  const { rows } = await tx.query<{ accountId: string }>(
    `UPDATE account_invitation i SET used_at = now()
       FROM account a
      WHERE i.token_sha256 = $1 AND i.used_at IS NULL AND i.expires_at > now()
        AND a.id = i.account_id AND a.active AND a.password_hash IS NULL
      RETURNING i.account_id AS "accountId"`,
    [sha256(token)],
  );
  const id = rows[0]?.accountId;
  if (!id) return undefined;
  await tx.query(`UPDATE account SET password_hash = $2, updated_at = now() WHERE id = $1`, [
    id,
    await hashPassword(password),
  ]);
  return id;
}

/** The codes of `codes` that are not in the list of registering bodies. */
export async function unlistedBodies(pool: Pool | PoolClient, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const { rows } = await pool.query<{ code: string }>(
    `SELECT code FROM registering_body WHERE code = ANY($1)`,
    [codes],
  );
  const listed = new Set(rows.map((r) => r.code));
  return codes.filter((c) => !listed.has(c));
}
