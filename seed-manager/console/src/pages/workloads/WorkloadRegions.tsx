import { useState } from 'react';
import { useParams } from 'react-router';
import { unwrap, type Schemas } from '../../api/client';
import { ErrorNote, Phase, saveFile } from '../../components/ui';
import { useSession } from '../../session';

type Workload = Schemas['WorkloadView'];
type Staged = Schemas['WorkloadView.Staged'];

/** The workload's state on each device, the offline bundle per device, and what was done on the devices themselves. */
export function Devices({ workload }: { workload: Workload }) {
  const { canChange } = useSession();
  const states = new Map(workload.nodeStates.map((n) => [n.node, n]));
  const nodes = [...new Set([...workload.nodes, ...states.keys()])].sort();
  // A bundle carries the live version; a workload with only a staged version has none to carry.
  const bundles = canChange && !!workload.version;
  const actions = workload.deviceActions ?? [];
  return (
    <section aria-labelledby="workload-devices-title">
      <h2 id="workload-devices-title">Devices</h2>
      {nodes.length === 0 ? <p>On no device.</p> : (
        <table>
          <thead><tr><th scope="col">Device</th><th scope="col">State</th><th scope="col">Message</th>{bundles ? <th scope="col">Offline bundle</th> : null}</tr></thead>
          <tbody>{nodes.map((node) => (
            <tr key={node}>
              <td>{node}</td>
              <td><Phase value={states.get(node)?.state} /></td>
              <td>{states.get(node)?.message ?? ''}</td>
              {bundles ? <td><BundleButton workload={workload.name} node={node} /></td> : null}
            </tr>
          ))}</tbody>
        </table>
      )}
      <h3>Actions on the devices</h3>
      {actions.length === 0 ? <p className="muted">None: nobody acted on a device with its local command.</p> : (
        <table aria-label="actions on the devices">
          <thead><tr><th scope="col">Device</th><th scope="col">Action</th><th scope="col">Cause</th><th scope="col">Outcome</th><th scope="col">Message</th><th scope="col">At</th></tr></thead>
          <tbody>{actions.map((a) => (
            <tr key={`${a.node}-${a.seq}`}>
              <td>{a.node}</td>
              <td>{a.action}</td>
              <td>{a.cause}</td>
              <td><Phase value={a.outcome} /></td>
              <td>{a.message}</td>
              <td><time dateTime={a.at}>{new Date(a.at).toLocaleString()}</time></td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}

function BundleButton({ workload, node }: { workload: string; node: string }) {
  const { project = '', cluster = '' } = useParams();
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const tar = await unwrap(api.GET('/api/v1/projects/{project}/clusters/{cluster}/workloads/{name}/bundle', {
        params: { path: { project, cluster, name: workload }, query: { node } }, parseAs: 'blob',
      }));
      saveFile(tar as Blob, `${workload}-${node}.tar`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} aria-busy={busy}>Download bundle for {node}</button>
      <ErrorNote error={error} />
    </>
  );
}

/** The staged version: its state and, per device and image, how far the pre-pull is. */
export function StagedProgress({ staged }: { staged: Staged }) {
  const rows = staged.nodes.flatMap((n) => n.images.map((i) => ({ node: n.node, ...i })));
  return (
    <section aria-labelledby="staged-title">
      <h2 id="staged-title">Staged progress</h2>
      <dl className="facts">
        <dt>Version</dt><dd>{staged.app}@{staged.version}</dd>
        <dt>State</dt><dd><Phase value={staged.state} />{staged.message ? <> {staged.message}</> : null}</dd>
        <dt>Apply</dt><dd>{staged.instantlyApply ? 'as soon as every image is on every device' : 'when an operator applies it'}</dd>
      </dl>
      {rows.length === 0 ? <p>No device reported yet.</p> : (
        <table aria-label="images per device">
          <thead><tr><th scope="col">Device</th><th scope="col">Image</th><th scope="col">State</th><th scope="col">Message</th></tr></thead>
          <tbody>{rows.map((r) => (
            <tr key={`${r.node} ${r.image}`}>
              <td>{r.node}</td>
              <td><code>{r.image}</code></td>
              <td><Phase value={r.state} /></td>
              <td>{r.message ?? ''}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
