import { useState, type FormEvent } from 'react';
import { ApiError, describe } from '../api/client';
import { identify, useSessionState } from '../session';

/** Sign-in with an admin or project token; the token stays in this tab's session storage only. */
export function SignIn() {
  const { signIn, expired } = useSessionState();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const trimmed = token.trim();
      signIn(trimmed, await identify(trimmed));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? 'this token is not valid (unknown, expired or revoked)' : describe(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Edgeplane</h1>
      <form onSubmit={submit} aria-label="sign in">
        {expired ? <p className="error" role="alert">The session ended: the token expired or was revoked. Sign in again.</p> : null}
        <label htmlFor="token">API token (admin or project token)</label>
        <input id="token" type="password" autoComplete="off" spellCheck={false} value={token}
               onChange={(e) => setToken(e.target.value)} aria-invalid={error ? true : undefined}
               aria-describedby={error ? 'token-error' : 'token-hint'} required />
        {error ? <p id="token-error" className="field-error" role="alert">{error}</p>
          : <p id="token-hint" className="hint">Kept for this browser tab only; closing it signs you out.</p>}
        <button type="submit" disabled={busy || token.trim() === ''}>Sign in</button>
      </form>
    </main>
  );
}
