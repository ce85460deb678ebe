// /api/v1/accounts and /api/v1/service-clients (src/api/accounts.ts), administrators only.
import type { ServiceRole, StaffRole } from './session.js';

/** GET /api/v1/accounts (a list), POST (201) and PATCH /api/v1/accounts/{id} */
export interface Account {
  id: string;
  displayName: string;
  roles: StaffRole[];
  bodies: string[];
  active: boolean;
  /** a local password is set (else: sign-in through another provider only) */
  hasPassword: boolean;
}

/** POST /api/v1/accounts: a password, or `invite: true` for a one-time invitation link */
export interface NewAccountRequest {
  id: string;
  displayName: string;
  roles: StaffRole[];
  /** codes from GET /api/v1/bodies; default none; a reviewer needs at least one */
  bodies?: string[];
  password?: string;
  invite?: boolean;
}

/** POST /api/v1/accounts (201): the account, with its invitation link when one was asked for */
export interface AccountCreated extends Account {
  /** shown this once: the link sets the account's password, once, before it expires */
  invitation?: { url: string; expiresAt: string };
}

/** POST /api/v1/invitations/accept */
export interface AcceptInvitationRequest {
  token: string;
  password: string;
}

/** GET /api/v1/bodies: the managed list of registering bodies */
export interface Body {
  code: string;
  /** 'agency' (MİDA), 'local-executive', 'municipality', 'employer' */
  kind: string;
  nameAz: string;
  nameEn: string;
}

/** PATCH /api/v1/accounts/{id}: only what changes */
export interface AccountPatchRequest {
  displayName?: string;
  roles?: StaffRole[];
  bodies?: string[];
  active?: boolean;
  password?: string;
}

/** POST /api/v1/service-clients */
export interface NewServiceClientRequest {
  id: string;
  roles: ServiceRole[];
}

/** POST /api/v1/service-clients (201): the token is shown this once. */
export interface ServiceClientIssued {
  id: string;
  token: string;
  roles: ServiceRole[];
}
