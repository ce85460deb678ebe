import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type {
  Role,
  SessionInfo,
  SessionUser,
  SignedIn,
  SignInRequest,
  StaffRole,
} from '../contracts';
import { api } from './api';

// GET /api/v1/session answers a SessionInfo, signing in a SignedIn: both are a SessionUser.
type User = SessionUser;

interface SessionValue {
  user: User | null | undefined; // undefined while loading
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: StaffRole[]): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    api<SessionInfo>('/api/v1/session')
      .then(setUser)
      .catch(() => setUser(null));
    const expired = () => setUser(null);
    window.addEventListener('session-expired', expired);
    return () => window.removeEventListener('session-expired', expired);
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    const body: SignInRequest = { username, password };
    setUser(await api<SignedIn>('/api/v1/session', { body }));
  }, []);
  const signOut = useCallback(async () => {
    await api('/api/v1/session', { method: 'DELETE' }).catch(() => undefined);
    setUser(null);
  }, []);
  const has = useCallback(
    (...roles: StaffRole[]) =>
      !!user && user.roles.some((r) => (roles as readonly Role[]).includes(r)),
    [user],
  );
  return (
    <SessionContext.Provider value={{ user, signIn, signOut, has }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
