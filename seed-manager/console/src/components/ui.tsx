import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, describe } from '../api/client';

/** A labelled input with the API's message for this field under it. */
export function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(id, error || hint ? messageId : undefined)}
      {error ? <p id={messageId} className="field-error" role="alert">{error}</p> : hint ? <p id={messageId} className="hint">{hint}</p> : null}
    </div>
  );
}

/** What went wrong with a call, as the API said it; field errors are shown at their fields by the form. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) {
    return null;
  }
  const text = error instanceof ApiError && error.problem?.errors?.length
    ? `${describe(error)}: ${error.problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`
    : describe(error);
  return <p className="error" role="alert">{text}</p>;
}

const PHASE_TONE: Record<string, string> = {
  Running: 'good', Ready: 'good', running: 'good', Done: 'good', present: 'good', connected: 'good', ready: 'good',
  Creating: 'busy', Updating: 'busy', Provisioning: 'busy', Joined: 'busy', Pending: 'busy', Preparing: 'busy', Queued: 'busy',
  deploying: 'busy', downloading: 'busy', starting: 'busy', stopping: 'busy', received: 'busy', staged: 'busy', pending: 'busy',
  Failed: 'bad', failed: 'bad', NotReady: 'bad', unreachable: 'bad', disconnected: 'bad',
  Deleting: 'muted', Deprovisioning: 'muted', stopped: 'muted', Missing: 'muted',
};

export function Phase({ value }: { value: string | null | undefined }) {
  const text = value ?? 'unknown';
  const tone = PHASE_TONE[text] ?? (text.startsWith('pending') ? 'busy' : 'muted');
  return <span className={`phase ${tone}`}>{text}</span>;
}

/** "12 s ago", kept current by a local clock (no API calls). */
export function Age({ since }: { since: string | null | undefined }) {
  const now = useNow(5000);
  if (!since) {
    return <span className="muted">never</span>;
  }
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  const text = seconds < 90 ? `${seconds} s ago` : seconds < 5400 ? `${Math.round(seconds / 60)} min ago`
    : seconds < 172800 ? `${Math.round(seconds / 3600)} h ago` : `${Math.round(seconds / 86400)} d ago`;
  return <time dateTime={since} title={since}>{text}</time>;
}

export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * A button that asks first: the operator types the object's name to confirm, in a modal dialog
 * (focus moves into it, Escape closes it).
 */
export function ConfirmButton({ label, name, what, onConfirm, className = 'danger' }: {
  label: string; name: string; what: ReactNode; onConfirm: () => Promise<unknown>; className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const open = () => {
    setTyped('');
    setError(undefined);
    dialog.current?.showModal();
    // Where the keyboard goes next: the confirmation, not the page behind the dialog.
    input.current?.focus();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={open}>{label}</button>
      <dialog ref={dialog} aria-label={`${label} ${name}`}>
        <form method="dialog" onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
          <h2>{label} {name}?</h2>
          <div className="what">{what}</div>
          <label htmlFor={inputId}>Type <strong>{name}</strong> to confirm</label>
          <input id={inputId} ref={input} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" className={className} disabled={typed !== name || busy}>{label}</button>
            <button type="button" onClick={() => dialog.current?.close()}>Cancel</button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/**
 * A big list shown a page at a time, filtered in the browser: the list comes whole from the watch
 * stream, so filters and pages need no further calls. `text` says what the name filter matches.
 */
export function usePaged<T>(items: T[], pageSize: number, matches: (item: T) => boolean, deps: unknown[]) {
  const [page, setPage] = useState(0);
  const filtered = useMemo(() => items.filter(matches),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [items, ...deps]);
  const pages = Math.max(1, Math.ceil(filtered.length / pageSize));
  const current = Math.min(page, pages - 1);
  useEffect(() => setPage(0), deps); // eslint-disable-line react-hooks/exhaustive-deps
  return {
    rows: filtered.slice(current * pageSize, (current + 1) * pageSize),
    total: filtered.length,
    pager: (
      <nav className="pager" aria-label="pages">
        <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>Previous page</button>
        <span aria-live="polite">page {current + 1} of {pages} ({filtered.length} shown of {items.length})</span>
        <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>Next page</button>
      </nav>
    ),
  };
}

/** Downloads a blob under a file name, without putting anything in a URL the server sees. */
export function saveFile(content: Blob, fileName: string) {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function StreamBadge({ status }: { status: string }) {
  return <span className={`stream ${status}`} role="status" aria-label={`live updates: ${status}`}>{status === 'live' ? '● live' : status}</span>;
}
