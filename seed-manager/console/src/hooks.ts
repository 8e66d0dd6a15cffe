import { useCallback, useEffect, useState } from 'react';
import { describe } from './api/client';
import { follow, LiveList, type StreamStatus } from './api/watch';
import { useSession } from './session';

/** A list kept live by the API's watch stream (no polling); null path: nothing to follow. */
export function useLiveList<T>(path: string | null, key: (item: T) => string): { items: T[]; synced: boolean; status: StreamStatus } {
  const { token, signOut } = useSession();
  const [state, setState] = useState<{ items: T[]; synced: boolean }>({ items: [], synced: false });
  const [status, setStatus] = useState<StreamStatus>('connecting');
  useEffect(() => {
    if (!path) {
      return undefined;
    }
    setState({ items: [], synced: false });
    const list = new LiveList<T>(key, (items, synced) => setState({ items, synced }));
    return follow(`${path}?watch=true`, token, {
      onEvent: (event) => list.apply(event),
      onReset: () => list.reset(),
      onStatus: setStatus,
      onUnauthorized: signOut,
    });
    // key is a pure function of the item; a new closure each render must not restart the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, token, signOut]);
  return { ...state, status };
}

/** One read of the API, with reload; errors are shown, not thrown. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string | undefined; reload(): void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then((d) => current && (setData(d), setError(undefined)), (e) => current && setError(describe(e)));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, reload };
}
