import { Router } from 'express';
import { z } from 'zod';
import {
  acceptInvitation,
  accessAuditId,
  createAccount,
  createInvitation,
  unlistedBodies,
  createServiceClient,
  findAccount,
  listAccounts,
  updateAccount,
} from '../auth/accounts.js';
import { passwordProblem } from '../auth/passwords.js';
import {
  principalOf,
  requireRole,
  requireSignedIn,
  SERVICE_ROLES,
  STAFF_ROLES,
} from '../auth/principal.js';
import { recordAudit } from '../cases/audit.js';
import { inTransaction, type Pool } from '../db/pool.js';
import type {
  AcceptInvitationRequest,
  Account,
  AccountCreated,
  AccountPatchRequest,
  Body,
  NewAccountRequest,
  NewServiceClientRequest,
  ServiceClientIssued,
} from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
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
      bodies: z
        .array(BodyCode)
        .default([])
        .openapi({ description: 'codes from GET /api/v1/bodies' }),
      password: Password.optional(),
      invite: z
        .boolean()
        .optional()
        .openapi({ description: 'true: answer a one-time invitation link instead of a password' }),
    })
    .strict()
    .refine((a) => !a.roles.includes('reviewer') || a.bodies.length > 0, {
      message: 'a reviewer needs at least one body',
      path: ['bodies'],
    })
    // issue 15: never an account nobody can sign in to with a password it was given
    .refine((a) => (a.password !== undefined) !== (a.invite === true), {
      message: 'give a password or ask for an invitation link (invite: true), one of the two',
      path: ['password'],
    }),
);
const AcceptInvitation = registry.register(
  'AcceptInvitation',
  z.object({ token: z.string().min(20).max(100), password: Password }).strict(),
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

const AccountSchema = registry.register(
  'Account',
  z.object({
    id: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(STAFF_ROLES)),
    bodies: z.array(z.string()),
    active: z.boolean(),
    hasPassword: z.boolean(),
  }),
);
const AccountCreatedSchema = registry.register(
  'AccountCreated',
  AccountSchema.extend({
    invitation: z
      .object({ url: z.string(), expiresAt: InstantSchema })
      .optional()
      .openapi({ description: 'with invite: true, the one-time link (shown once)' }),
  }),
);
const BodySchema = registry.register(
  'Body',
  z.object({ code: z.string(), kind: z.string(), nameAz: z.string(), nameEn: z.string() }),
);
const ServiceClientIssuedSchema = registry.register(
  'ServiceClientIssued',
  z.object({ id: z.string(), token: z.string(), roles: z.array(z.enum(SERVICE_ROLES)) }),
);
type _Account = Assert<SameShape<z.infer<typeof AccountSchema>, Account>>;
type _AccountCreated = Assert<SameShape<z.infer<typeof AccountCreatedSchema>, AccountCreated>>;
type _Body = Assert<SameShape<z.infer<typeof BodySchema>, Body>>;
type _ServiceClientIssued = Assert<
  SameShape<z.infer<typeof ServiceClientIssuedSchema>, ServiceClientIssued>
>;

registry.registerPath({
  method: 'get',
  path: '/api/v1/accounts',
  summary: 'Staff accounts (administrators)',
  responses: {
    200: jsonResponse('accounts', z.array(AccountSchema)),
    403: problemResponse('not an administrator'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/accounts',
  summary: 'Create a staff account (administrators)',
  request: { body: { content: { 'application/json': { schema: NewAccount } } } },
  responses: {
    201: jsonResponse('created', AccountCreatedSchema),
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
  responses: {
    200: jsonResponse('changed', AccountSchema),
    400: problemResponse('invalid; fields named'),
    404: problemResponse('no such account'),
    409: problemResponse('administrators cannot lock themselves out'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/bodies',
  summary: 'The registering bodies (MİDA and the local executive authorities): code, kind, names',
  responses: {
    200: jsonResponse('bodies', z.array(BodySchema)),
    401: problemResponse('not signed in'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/invitations/accept',
  summary: 'Sets the password of a new account with its one-time invitation token (no sign-in)',
  request: { body: { content: { 'application/json': { schema: AcceptInvitation } } } },
  responses: {
    204: { description: 'password set; sign in with it' },
    400: problemResponse('unknown, used or expired token; or a weak password'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/service-clients',
  summary: 'Create or rotate a service client (portal, registry); the token is shown once',
  request: { body: { content: { 'application/json': { schema: NewServiceClient } } } },
  responses: {
    201: jsonResponse('created, with its token', ServiceClientIssuedSchema),
    400: problemResponse('invalid; fields named'),
  },
});

type _NewAccount = Assert<SameShape<z.input<typeof NewAccount>, NewAccountRequest>>;
type _AcceptInvitation = Assert<
  SameShape<z.input<typeof AcceptInvitation>, AcceptInvitationRequest>
>;

/** 400 naming each body code that is not in the managed list (e.g. a typo such as `mdia`). */
async function requireListedBodies(pool: Pool, bodies: string[]): Promise<void> {
  const unlisted = await unlistedBodies(pool, bodies);
  if (unlisted.length)
    throw new HttpProblem(
      400,
      'Invalid input',
      `no such body: ${unlisted.join(', ')}`,
      unlisted.map((code) => ({
        field: `bodies.${bodies.indexOf(code)}`,
        message: `no such body: ${code} (see GET /api/v1/bodies)`,
      })),
    );
}
type _AccountPatch = Assert<SameShape<z.input<typeof AccountPatch>, AccountPatchRequest>>;
type _NewServiceClient = Assert<
  SameShape<z.input<typeof NewServiceClient>, NewServiceClientRequest>
>;

export function accountsRouter(deps: { pool: Pool }): Router {
  const r = Router();
  const admin = requireRole('administrator');
  r.get('/api/v1/bodies', requireSignedIn(), async (_req, res) => {
    const { rows } = await deps.pool.query<Body>(
      `SELECT code, kind, name_az AS "nameAz", name_en AS "nameEn" FROM registering_body
        ORDER BY kind = 'agency' DESC, name_az`,
    );
    res.json(rows satisfies Body[]);
  });
  r.post('/api/v1/invitations/accept', async (req, res) => {
    const { token, password } = parse(AcceptInvitation, req, 'body');
    const id = await inTransaction(deps.pool, async (tx) => {
      const accepted = await acceptInvitation(tx, token, password);
      if (accepted)
        await recordAudit(tx, {
          actor: accepted,
          action: 'invitation-accepted',
          caseType: 'account',
          caseId: accessAuditId('account', accepted),
          after: { id: accepted },
        });
      return accepted;
    });
    if (!id)
      throw new HttpProblem(400, 'Invalid input', 'the invitation is unknown, used or expired', [
        { field: 'token', message: 'unknown, already used or expired: ask for a new invitation' },
      ]);
    res.status(204).end();
  });
  r.get('/api/v1/accounts', admin, async (_req, res) => {
    res.json((await listAccounts(deps.pool)) satisfies Account[]);
  });
  r.post('/api/v1/accounts', admin, async (req, res) => {
    const body = parse(NewAccount, req, 'body');
    await requireListedBodies(deps.pool, body.bodies);
    // the account, its invitation and its audit entry commit together, or none does
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
        after: {
          id: account.id,
          roles: account.roles,
          bodies: account.bodies,
          invited: body.invite === true,
        },
      });
      if (!body.invite) return account;
      const inv = await createInvitation(tx, account.id, principalOf(req).id);
      // the token travels in the fragment: never sent to a server, never in a request log
      return {
        ...account,
        invitation: {
          url: `${req.protocol}://${req.get('host')}/invitation#${inv.token}`,
          expiresAt: new Date(inv.expiresAt).toISOString(),
        },
      };
    });
    res.status(201).json(created satisfies AccountCreated);
  });
  r.patch('/api/v1/accounts/:id', admin, async (req, res) => {
    const { id } = parse(AccountId, req, 'params');
    const patch = parse(AccountPatch, req, 'body');
    const before = await findAccount(deps.pool, id);
    if (!before) throw new HttpProblem(404, 'Not found', `no account ${id}`);
    const roles = patch.roles ?? before.roles;
    const bodies = patch.bodies ?? before.bodies;
    if (patch.bodies) await requireListedBodies(deps.pool, patch.bodies);
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
