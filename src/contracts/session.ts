// /api/v1/session (src/api/session.ts)

export type StaffRole = 'reviewer' | 'supervisor' | 'operator' | 'analyst' | 'administrator';
export type ServiceRole = 'portal' | 'registry';
export type Role = StaffRole | ServiceRole;

/** The caller, as the screens need it. */
export interface SessionUser {
  id: string;
  name: string;
  roles: Role[];
  /** the bodies a reviewer or supervisor works for; empty for others */
  bodies: string[];
}

/** GET /api/v1/session: who is calling. */
export interface SessionInfo extends SessionUser {
  kind: 'user' | 'service';
}

/** POST /api/v1/session */
export interface SignInRequest {
  username: string;
  password: string;
}

/** POST /api/v1/session: signed in; the token is also set as the session cookie. */
export interface SignedIn extends SessionUser {
  token: string;
  expiresAt: string;
}
