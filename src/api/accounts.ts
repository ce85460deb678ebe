import { Router } from 'express';
import { z } from 'zod';
import {
  accessAuditId,
  createAccount,
  createServiceClient,
  findAccount,
  listAccounts,
  updateAccount,
} from '../auth/accounts.js';
import { passwordProblem } from '../auth/passwords.js';
import { principalOf, requireRole, SERVICE_ROLES, STAFF_ROLES } from '../auth/principal.js';
import { recordAudit } from '../cases/audit.js';
import { inTransaction, type Pool } from '../db/pool.js';
import type {
  Account,
  AccountPatchRequest,
  NewAccountRequest,
  NewServiceClientRequest,
  ServiceClientIssued,
} from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

const Password = z.string().superRefine((v, ctx) => {
  const p = passwordProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});
const BodyCode = z.string().regex(/^[a-z0-9-]+$/, { message: 'must be a body code' });

const NewAccount = registry.register(
  'NewAccount',
  z
    .object({
      id: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, { message: 'lower-case letters, digits, . _ -' }),
      displayName: z.string().min(1).max(200),
      roles: z.array(z.enum(STAFF_ROLES)).min(1),
      bodies: z.array(BodyCode).default([]),
      password: Password.optional(),
    })
    .strict()
    .refine((a) => !a.roles.includes('reviewer') || a.bodies.length > 0, {
      message: 'a reviewer needs at least one body',
      path: ['bodies'],
    }),
);
const AccountPatch = registry.register(
  'AccountPatch',
  z
    .object({
      displayName: z.string().min(1).max(200).optional(),
      roles: z.array(z.enum(STAFF_ROLES)).min(1).optional(),
      bodies: z.array(BodyCode).optional(),
      active: z.boolean().optional(),
      password: Password.optional(),
    })
    .strict(),
);
const AccountId = z.object({ id: z.string().min(1).max(63) });
const NewServiceClient = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, { message: 'lower-case letters, digits, . _ -' }),
    roles: z.array(z.enum(SERVICE_ROLES)).min(1),
  })
  .strict();

registry.registerPath({
  method: 'get',
  path: '/api/v1/accounts',
  summary: 'Staff accounts (administrators)',
  responses: { 200: { description: 'accounts' }, 403: problemResponse('not an administrator') },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/accounts',
  summary: 'Create a staff account (administrators)',
  request: { body: { content: { 'application/json': { schema: NewAccount } } } },
  responses: {
    201: { description: 'created' },
    400: problemResponse('invalid; fields named'),
    409: problemResponse('the id is taken'),
  },
});
registry.registerPath({
  method: 'patch',
  path: '/api/v1/accounts/{id}',
  summary: 'Change roles, bodies, name, password or deactivate (administrators)',
  request: {
    params: AccountId,
    body: { content: { 'application/json': { schema: AccountPatch } } },
  },
  responses: { 200: { description: 'changed' }, 404: problemResponse('no such account') },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/service-clients',
  summary: 'Create or rotate a service client (portal, registry); the token is shown once',
  request: { body: { content: { 'application/json': { schema: NewServiceClient } } } },
  responses: {
    201: { description: 'created, with its token' },
    400: problemResponse('invalid; fields named'),
  },
});

type _NewAccount = Assert<SameShape<z.input<typeof NewAccount>, NewAccountRequest>>;
type _AccountPatch = Assert<SameShape<z.input<typeof AccountPatch>, AccountPatchRequest>>;
type _NewServiceClient = Assert<
  SameShape<z.input<typeof NewServiceClient>, NewServiceClientRequest>
>;

export function accountsRouter(deps: { pool: Pool }): Router {
  const r = Router();
  const admin = requireRole('administrator');
  r.get('/api/v1/accounts', admin, async (_req, res) => {
    res.json((await listAccounts(deps.pool)) satisfies Account[]);
  });
  r.post('/api/v1/accounts', admin, async (req, res) => {
    const body = parse(NewAccount, req, 'body');
    // the account and its audit entry commit together, or neither does
    const created = await inTransaction(deps.pool, async (tx) => {
      const account = await createAccount(tx, body);
      if (!account)
        throw new HttpProblem(409, 'Conflict', `account ${body.id} exists`, [
          { field: 'id', message: 'taken' },
        ]);
      await recordAudit(tx, {
        actor: principalOf(req).id,
        action: 'account-created',
        caseType: 'account',
        caseId: accessAuditId('account', account.id),
        after: { id: account.id, roles: account.roles, bodies: account.bodies },
      });
      return account;
    });
    res.status(201).json(created satisfies Account);
  });
  r.patch('/api/v1/accounts/:id', admin, async (req, res) => {
    const { id } = parse(AccountId, req, 'params');
    const patch = parse(AccountPatch, req, 'body');
    const before = await findAccount(deps.pool, id);
    if (!before) throw new HttpProblem(404, 'Not found', `no account ${id}`);
    const roles = patch.roles ?? before.roles;
    const bodies = patch.bodies ?? before.bodies;
    if (roles.includes('reviewer') && bodies.length === 0)
      throw new HttpProblem(400, 'Invalid input', 'a reviewer needs at least one body', [
        { field: 'bodies', message: 'a reviewer needs at least one body' },
      ]);
    if (
      id === principalOf(req).id &&
      (patch.active === false || (patch.roles && !roles.includes('administrator')))
    )
      throw new HttpProblem(409, 'Conflict', 'administrators cannot lock themselves out');
    const { password: _, ...logged } = patch;
    const after = await inTransaction(deps.pool, async (tx) => {
      const changed = await updateAccount(tx, id, patch);
      await recordAudit(tx, {
        actor: principalOf(req).id,
        action: 'account-changed',
        caseType: 'account',
        caseId: accessAuditId('account', id),
        before: { id, roles: before.roles, bodies: before.bodies, active: before.active },
        after: { ...logged, passwordChanged: patch.password !== undefined },
      });
      return changed;
    });
    res.json(after satisfies Account | undefined);
  });
  r.post('/api/v1/service-clients', admin, async (req, res) => {
    const body = parse(NewServiceClient, req, 'body');
    const client = await inTransaction(deps.pool, async (tx) => {
      const issued = await createServiceClient(tx, body.id, body.roles);
      await recordAudit(tx, {
        actor: principalOf(req).id,
        action: 'service-client-issued',
        caseType: 'service-client',
        caseId: accessAuditId('service-client', body.id),
        after: { id: body.id, roles: body.roles },
      });
      return issued;
    });
    res.status(201).json({ ...client, roles: body.roles } satisfies ServiceClientIssued);
  });
  return r;
}
