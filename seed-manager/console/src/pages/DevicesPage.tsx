import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Age, Field, Phase, StreamBadge, usePaged } from '../components/ui';
import { useLiveList } from '../hooks';
import { useSession } from '../session';
import { devicesPath, labelMatcher, labelText, phases, type Device } from './devices/model';
import { RegisterDevice } from './devices/RegisterDevice';

const PAGE_SIZE = 50;

/** A cluster's devices, live from the watch stream, filtered and paged in the browser; and the form that registers one. */
export function DevicesPage() {
  const { project = '', cluster = '' } = useParams();
  const { canChange } = useSession();
  const { items, synced, status } = useLiveList<Device>(devicesPath(project, cluster), (d) => d.name);
  const [name, setName] = useState('');
  const [phase, setPhase] = useState('');
  const [label, setLabel] = useState('');
  const sorted = useMemo(() => [...items].sort((a, b) => a.name.localeCompare(b.name)), [items]);
  const hasLabel = useMemo(() => labelMatcher(label), [label]);
  const needle = name.trim().toLowerCase();
  const { rows, total, pager } = usePaged(sorted, PAGE_SIZE,
    (d) => (!needle || d.name.toLowerCase().includes(needle)) && (!phase || d.phase === phase) && hasLabel(d),
    [needle, phase, hasLabel]);

  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">Devices of {cluster} <StreamBadge status={status} /></h1>
      <p><Link to={`/projects/${project}/clusters/${cluster}`}>Cluster {cluster}</Link></p>
      <div className="filters" role="search" aria-label="filter devices">
        <Field label="Filter by name">
          {(id) => <input id={id} type="search" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Phase">
          {(id) => (
            <select id={id} value={phase} onChange={(e) => setPhase(e.target.value)}>
              <option value="">any</option>
              {phases.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          )}
        </Field>
        <Field label="Label" hint="key=value or key">
          {(id, d) => <input id={id} aria-describedby={d} type="search" value={label} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />}
        </Field>
      </div>
      {!synced ? <p aria-busy="true">Loading…</p> : items.length === 0 ? <p>No devices registered yet.</p> : (
        <>
          {pager}
          {total === 0 ? <p role="status">No device matches these filters.</p> : <DeviceTable devices={rows} />}
        </>
      )}
      {canChange ? <RegisterDevice project={project} cluster={cluster} /> : null}
    </section>
  );
}

function DeviceTable({ devices }: { devices: Device[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th><th scope="col">Phase</th><th scope="col">Heartbeat</th><th scope="col">Tunnel</th>
          <th scope="col">Kubelet</th><th scope="col">Node</th><th scope="col">Labels</th>
        </tr>
      </thead>
      <tbody>{devices.map((d) => (
        <tr key={d.name}>
          <td><Link to={d.name}>{d.name}</Link></td>
          <td><Phase value={d.phase} /></td>
          <td><Age since={d.lastHeartbeat} /></td>
          <td>{d.tunnel ? <Phase value={d.tunnel.state} /> : '—'}</td>
          <td>{d.kubeletVersion ?? '—'}</td>
          <td>{d.nodeName ?? '—'}</td>
          <td>{labelText(d.labels).map((l) => <span key={l}><code>{l}</code> </span>)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}
