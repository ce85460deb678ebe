import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api';

export type Role = 'reviewer' | 'supervisor' | 'operator' | 'analyst' | 'administrator';

export interface User {
  id: string;
  name: string;
  roles: Role[];
  bodies: string[];
}

interface SessionValue {
  user: User | null | undefined; // undefined while loading
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: Role[]): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    api<User>('/api/v1/session')
      .then(setUser)
      .catch(() => setUser(null));
    const expired = () => setUser(null);
    window.addEventListener('session-expired', expired);
    return () => window.removeEventListener('session-expired', expired);
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    setUser(await api<User>('/api/v1/session', { body: { username, password } }));
  }, []);
  const signOut = useCallback(async () => {
    await api('/api/v1/session', { method: 'DELETE' }).catch(() => undefined);
    setUser(null);
  }, []);
  const has = useCallback(
    (...roles: Role[]) => !!user && user.roles.some((r) => roles.includes(r)),
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
