import { useState } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { ErrorNote } from '../components/ui';
import { useLoad } from '../hooks';
import { useSession } from '../session';

/** The audit trail (admin only), newest first, a page at a time. */
export function AuditPage() {
  const { api } = useSession();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const { data, error } = useLoad(() => unwrap(api.GET('/api/v1/audit', { params: { query: { cursor, limit: 50 } } })), [api, cursor]);
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <ErrorNote error={error} />
      {data ? (
        <>
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th><th scope="col">Result</th></tr></thead>
            <tbody>{data.items.map((e: Schemas['AuditEvent']) => (
              <tr key={e.id ?? `${e.at}-${e.target}`}>
                <td><time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time></td>
                <td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td>{e.result}</td>
              </tr>
            ))}</tbody>
          </table>
          <nav className="pager" aria-label="pages">
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
            <button type="button" disabled={!data.nextCursor} onClick={() => setCursors([...cursors, data.nextCursor ?? undefined])}>Older</button>
          </nav>
        </>
      ) : error ? null : <p aria-busy="true">Loading…</p>}
    </section>
  );
}
