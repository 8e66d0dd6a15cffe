import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, allPages, unwrap, type Schemas } from '../api/client';
import { ErrorNote, Field, Phase, StreamBadge } from '../components/ui';
import { useLiveList, useLoad } from '../hooks';
import { useSession } from '../session';

type Cluster = Schemas['ClusterView'];

export function health(cluster: Cluster): string {
  const ready = cluster.conditions.filter((c) => c.ready).length;
  return `${ready}/${cluster.conditions.length} components ready`;
}

/** A project's clusters, live, and the form that creates one. */
export function ClustersPage() {
  const { project = '' } = useParams();
  const { canChange } = useSession();
  const { items, synced, status } = useLiveList<Cluster>(`/api/v1/projects/${project}/clusters`, (c) => c.name);
  const sorted = [...items].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="clusters-title">
      <h1 id="clusters-title">Clusters of {project} <StreamBadge status={status} /></h1>
      {!synced ? <p aria-busy="true">Loading…</p> : sorted.length === 0 ? <p>No clusters yet.</p> : (
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Phase</th><th scope="col">Health</th><th scope="col">Version</th><th scope="col">Datacenter</th><th scope="col">Tunnels</th></tr></thead>
          <tbody>{sorted.map((c) => (
            <tr key={c.name}>
              <td><Link to={`/projects/${project}/clusters/${c.name}`}>{c.name}</Link></td>
              <td><Phase value={c.phase} /></td>
              <td>{health(c)}</td>
              <td>{c.version}</td>
              <td>{c.datacenter}</td>
              <td>{c.tunnels ? `${c.tunnels.connected}/${c.tunnels.devices} connected` : '—'}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      {canChange ? <CreateCluster project={project} /> : null}
    </section>
  );
}

function CreateCluster({ project }: { project: string }) {
  const { api } = useSession();
  const datacenters = useLoad(() => allPages((cursor) => unwrap(api.GET('/api/v1/datacenters', { params: { query: { cursor, limit: 500 } } }))), [api]);
  const edge = (datacenters.data ?? []).filter((d) => d.provider === 'edge');
  const [name, setName] = useState('');
  const [datacenter, setDatacenter] = useState('');
  const [version, setVersion] = useState('');
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const fields = error instanceof ApiError ? error.fieldErrors() : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setCreated(undefined);
    try {
      const cluster = await unwrap(api.POST('/api/v1/projects/{project}/clusters', {
        params: { path: { project } },
        body: { name: name.trim(), datacenter: datacenter || edge[0]?.name || '', version: version.trim() || undefined, podCidr: null },
      }));
      setCreated(cluster.name);
      setName('');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="create-cluster-title" className="panel">
      <h2 id="create-cluster-title">Create a cluster</h2>
      <Field label="Name" error={fields.name} hint="lowercase letters, digits and '-'">
        {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Datacenter" error={fields.datacenter ?? datacenters.error}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={datacenter || edge[0]?.name || ''} onChange={(e) => setDatacenter(e.target.value)}>
            {edge.map((dc) => <option key={dc.name} value={dc.name}>{dc.name} ({dc.location}, {dc.country})</option>)}
          </select>
        )}
      </Field>
      <Field label="Kubernetes version" error={fields.version} hint="empty: the seed manager's default">
        {(id, d) => <input id={id} aria-describedby={d} value={version} onChange={(e) => setVersion(e.target.value)} placeholder="v1.36.3" />}
      </Field>
      {error && Object.keys(fields).length === 0 ? <ErrorNote error={error} /> : null}
      {created ? <p role="status">Cluster {created} is being created.</p> : null}
      <button type="submit">Create cluster</button>
    </form>
  );
}
