import { Link } from 'react-router';
import { allPages, unwrap } from '../api/client';
import { ErrorNote } from '../components/ui';
import { useLoad } from '../hooks';
import { useSession } from '../session';

/** Every project the token sees (the admin: all of them). */
export function ProjectsPage() {
  const { api } = useSession();
  const { data, error } = useLoad(() => allPages((cursor) => unwrap(api.GET('/api/v1/projects', { params: { query: { cursor, limit: 500 } } }))), [api]);
  return (
    <section aria-labelledby="projects-title">
      <h1 id="projects-title">Projects</h1>
      <ErrorNote error={error} />
      {data ? (
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Display name</th><th scope="col">Cluster quota</th></tr></thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.name}>
                <td><Link to={`/projects/${p.name}`}>{p.name}</Link></td>
                <td>{p.displayName ?? ''}</td>
                <td>{p.quota.clusters ?? 'no limit'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : error ? null : <p aria-busy="true">Loading…</p>}
    </section>
  );
}
