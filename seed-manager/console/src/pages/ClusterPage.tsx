import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, unwrap, type Schemas } from '../api/client';
import { ConfirmButton, ErrorNote, Field, Phase, StreamBadge, saveFile } from '../components/ui';
import { useLiveList, useLoad } from '../hooks';
import { useSession } from '../session';
import { health } from './ClustersPage';

type Cluster = Schemas['ClusterView'];
type Device = Schemas['MachineDeploymentView'];

/** One cluster: its components, certificates, binaries, devices at a glance, and what can be done to it. */
export function ClusterPage() {
  const { project = '', cluster: name = '' } = useParams();
  const { canChange } = useSession();
  const clusters = useLiveList<Cluster>(`/api/v1/projects/${project}/clusters`, (c) => c.name);
  const cluster = clusters.items.find((c) => c.name === name);
  if (!clusters.synced) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (!cluster) {
    return <p role="status">Cluster {name} does not exist (any more). <Link to={`/projects/${project}`}>All clusters</Link></p>;
  }
  return (
    <section aria-labelledby="cluster-title">
      <h1 id="cluster-title">Cluster {cluster.name} <Phase value={cluster.phase} /> <StreamBadge status={clusters.status} /></h1>
      {cluster.message ? <p className="message">{cluster.message}</p> : null}
      <dl className="facts">
        <dt>Health</dt><dd>{health(cluster)}</dd>
        <dt>Kubernetes</dt><dd>{cluster.version}</dd>
        <dt>Datacenter</dt><dd>{cluster.datacenter}</dd>
        <dt>Endpoint</dt><dd>{cluster.endpoint ?? '—'}</dd>
        <dt>Pod network</dt><dd>{cluster.podCidr}</dd>
        <dt>Created</dt><dd><time dateTime={cluster.createdAt}>{new Date(cluster.createdAt).toLocaleString()}</time></dd>
      </dl>
      <p>
        <Link to="devices">Devices</Link> · <Link to="workloads">Workloads</Link>
      </p>
      <DevicesSummary project={project} cluster={cluster.name} />
      <Components cluster={cluster} />
      <Certificates cluster={cluster} />
      <Binaries cluster={cluster} />
      {canChange ? <Actions cluster={cluster} /> : null}
    </section>
  );
}

function Components({ cluster }: { cluster: Cluster }) {
  return (
    <section aria-labelledby="components-title">
      <h2 id="components-title">Components</h2>
      <table>
        <thead><tr><th scope="col">Component</th><th scope="col">Ready</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Since</th></tr></thead>
        <tbody>{cluster.conditions.map((c) => (
          <tr key={c.component}>
            <td>{c.component}</td>
            <td><Phase value={c.ready ? 'ready' : 'failed'} /></td>
            <td>{c.reason}</td>
            <td>{c.message ?? ''}</td>
            <td><time dateTime={c.since}>{new Date(c.since).toLocaleString()}</time></td>
          </tr>
        ))}</tbody>
      </table>
    </section>
  );
}

function Certificates({ cluster }: { cluster: Cluster }) {
  const entries = Object.entries(cluster.certificateExpiry).sort(([, a], [, b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="certificates-title">
      <h2 id="certificates-title">Certificate expiry</h2>
      {entries.length === 0 ? <p>No certificates yet.</p> : (
        <table>
          <thead><tr><th scope="col">Certificate</th><th scope="col">Expires</th><th scope="col">In</th></tr></thead>
          <tbody>{entries.map(([certificate, at]) => (
            <tr key={certificate}>
              <td>{certificate}</td>
              <td><time dateTime={at}>{new Date(at).toLocaleString()}</time></td>
              <td>{Math.floor((Date.parse(at) - Date.now()) / 86400000)} days</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}

/** The device binaries for this cluster's version (admin only: the API keeps the binaries view to the admin). */
function Binaries({ cluster }: { cluster: Cluster }) {
  const { api, identity } = useSession();
  const admin = identity.role === 'admin';
  // Read again whenever the cluster changes (a new version, a new phase); the button reads on demand.
  const { data, error, reload } = useLoad(async () => admin
    ? (await unwrap(api.GET('/api/v1/binaries'))).items.filter((b) => b.version === cluster.version)
    : [], [api, admin, cluster.version, cluster.phase]);
  if (!admin) {
    return null;
  }
  return (
    <section aria-labelledby="binaries-title">
      <h2 id="binaries-title">Binaries for {cluster.version} <button type="button" onClick={reload}>Refresh</button></h2>
      <ErrorNote error={error} />
      <table>
        <thead><tr><th scope="col">Platform</th><th scope="col">Phase</th><th scope="col">Step</th><th scope="col">Source</th><th scope="col">Elapsed</th><th scope="col">Message</th></tr></thead>
        <tbody>{(data ?? []).map((b) => (
          <tr key={b.platform}>
            <td>{b.platform}</td><td><Phase value={b.phase} /></td><td>{b.step ?? ''}</td><td>{b.source ?? ''}</td>
            <td>{b.elapsedSeconds != null ? `${b.elapsedSeconds} s` : ''}</td><td>{b.message ?? ''}</td>
          </tr>
        ))}</tbody>
      </table>
    </section>
  );
}

function DevicesSummary({ project, cluster }: { project: string; cluster: string }) {
  const { items, synced } = useLiveList<Device>(`/api/v1/projects/${project}/clusters/${cluster}/machinedeployments`, (d) => d.name);
  const byPhase = new Map<string, number>();
  items.forEach((d) => byPhase.set(d.phase, (byPhase.get(d.phase) ?? 0) + 1));
  return (
    <section aria-labelledby="devices-summary-title">
      <h2 id="devices-summary-title">Devices</h2>
      {!synced ? <p aria-busy="true">Loading…</p> : items.length === 0 ? <p>No devices registered.</p> : (
        <ul className="summary" aria-label="devices by phase">
          <li>{items.length} devices</li>
          {[...byPhase.entries()].sort().map(([phase, count]) => <li key={phase}><Phase value={phase} /> {count}</li>)}
        </ul>
      )}
    </section>
  );
}

function Actions({ cluster }: { cluster: Cluster }) {
  const { api } = useSession();
  const navigate = useNavigate();
  const path = { project: cluster.project, cluster: cluster.name };
  const [kubeconfigError, setKubeconfigError] = useState<unknown>();

  const downloadKubeconfig = async () => {
    setKubeconfigError(undefined);
    try {
      const yaml = await unwrap(api.GET('/api/v1/projects/{project}/clusters/{cluster}/kubeconfig', { params: { path }, parseAs: 'text' }));
      saveFile(new Blob([yaml as string], { type: 'application/yaml' }), `${cluster.project}-${cluster.name}.kubeconfig`);
    } catch (e) {
      setKubeconfigError(e);
    }
  };

  return (
    <section aria-labelledby="actions-title" className="panel">
      <h2 id="actions-title">Actions</h2>
      <p>
        <button type="button" onClick={() => void downloadKubeconfig()} disabled={cluster.phase !== 'Running'}>Download kubeconfig</button>
      </p>
      <ErrorNote error={kubeconfigError} />
      <Upgrade cluster={cluster} />
      <ConfirmButton label="Delete cluster" name={cluster.name}
        what={<p>The control plane, its data, its credentials and its devices' access go. This cannot be undone.</p>}
        onConfirm={async () => {
          await unwrap(api.DELETE('/api/v1/projects/{project}/clusters/{cluster}', { params: { path } }));
          navigate(`/projects/${cluster.project}`);
        }} />
    </section>
  );
}

function Upgrade({ cluster }: { cluster: Cluster }) {
  const { api, identity } = useSession();
  const [version, setVersion] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const versions = useLoad(async () => identity.role === 'admin'
    ? [...new Set((await unwrap(api.GET('/api/v1/binaries'))).items.map((b) => b.version))].filter((v) => v !== cluster.version)
    : [], [api, identity.role, cluster.version]);
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    try {
      await unwrap(api.PATCH('/api/v1/projects/{project}/clusters/{cluster}', {
        params: { path: { project: cluster.project, cluster: cluster.name } }, body: { version: version.trim() },
      }));
      setDone(version.trim());
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form onSubmit={submit} aria-label="upgrade" className="inline">
      <Field label="Upgrade to version" error={fields.version}>
        {(id, d) => (
          <>
            <input id={id} aria-describedby={d} list="upgrade-versions" value={version} onChange={(e) => setVersion(e.target.value)} required />
            <datalist id="upgrade-versions">{(versions.data ?? []).map((v) => <option key={v} value={v} />)}</datalist>
          </>
        )}
      </Field>
      <button type="submit">Upgrade</button>
      {error && !fields.version ? <ErrorNote error={error} /> : null}
      {done ? <p role="status">Upgrade to {done} requested.</p> : null}
    </form>
  );
}
