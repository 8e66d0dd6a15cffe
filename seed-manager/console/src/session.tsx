import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createApiClient, unwrap, type ApiClient, type Schemas } from './api/client';

export type Identity = Schemas['Identity'];

export interface Session {
  token: string;
  identity: Identity;
  api: ApiClient;
  /** Whether this token may change anything in the project (viewers may not; the API refuses them with 403 anyway). */
  canChange: boolean;
  signOut(): void;
}

// The browser session only (closed with the tab), never a URL or a cookie that other requests would carry.
const STORAGE_KEY = 'edgeplane.session';

interface Stored {
  token: string;
  identity: Identity;
}

function load(): Stored | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) {
    return null;
  }
  try {
    return JSON.parse(raw) as Stored;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}

/** Checks a token with the API and says who it is. */
export async function identify(token: string): Promise<Identity> {
  const api = createApiClient(token, () => {});
  return unwrap(api.GET('/api/v1/whoami'));
}

interface SessionState {
  session: Session | null;
  signIn(token: string, identity: Identity): void;
  expired: boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(load);
  const [expired, setExpired] = useState(false);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setStored(null);
  }, []);
  const onUnauthorized = useCallback(() => {
    setExpired(true);
    signOut();
  }, [signOut]);
  const signIn = useCallback((token: string, identity: Identity) => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token, identity }));
    setExpired(false);
    setStored({ token, identity });
  }, []);

  const session = useMemo<Session | null>(() => stored && {
    token: stored.token,
    identity: stored.identity,
    api: createApiClient(stored.token, onUnauthorized),
    canChange: stored.identity.role !== 'viewer',
    signOut,
  }, [stored, onUnauthorized, signOut]);

  const state = useMemo(() => ({ session, signIn, expired }), [session, signIn, expired]);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) {
    throw new Error('useSessionState outside SessionProvider');
  }
  return state;
}

/** The signed-in session; pages below the sign-in gate only. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) {
    throw new Error('no session');
  }
  return session;
}
