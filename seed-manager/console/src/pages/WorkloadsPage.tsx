import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Schemas } from '../api/client';
import { Age, Phase, StreamBadge, usePaged } from '../components/ui';
import { useLiveList } from '../hooks';
import { useSession } from '../session';
import { DeployWorkload } from './workloads/DeployWorkload';

type Workload = Schemas['WorkloadView'];

export const WORKLOAD_STATES: Schemas['WorkloadState'][] = ['pending_deploy', 'pending_start', 'pending_stop', 'pending_apply', 'received',
  'deploying', 'running', 'stopping', 'stopped', 'starting', 'failed', 'downloading', 'ready', 'unreachable', 'staged'];

/** A cluster's workloads, live from the watch stream, filtered and paged in the browser, and the deploy form. */
export function WorkloadsPage() {
  const { project = '', cluster = '' } = useParams();
  const { canChange } = useSession();
  const { items, synced, status } = useLiveList<Workload>(`/api/v1/projects/${project}/clusters/${cluster}/workloads`, (w) => w.name);
  const [name, setName] = useState('');
  const [state, setState] = useState('');
  const sorted = [...items].sort((a, b) => a.name.localeCompare(b.name));
  const { rows, pager } = usePaged(sorted, 50,
    (w) => w.name.includes(name.trim()) && (!state || w.state === state || w.staged?.state === state), [name, state]);
  return (
    <section aria-labelledby="workloads-title">
      <h1 id="workloads-title">Workloads of {cluster} <StreamBadge status={status} /></h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="workload-filter-name">Filter by name</label>
          <input id="workload-filter-name" type="search" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="workload-filter-state">State</label>
          <select id="workload-filter-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">any</option>
            {WORKLOAD_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </div>
      {!synced ? <p aria-busy="true">Loading…</p> : items.length === 0 ? <p>No workloads deployed yet.</p> : (
        <>
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">App</th><th scope="col">State</th><th scope="col">Staged</th><th scope="col">Devices</th><th scope="col">Last seen</th><th scope="col">Warnings</th></tr></thead>
            <tbody>{rows.map((w) => (
              <tr key={w.name}>
                <td><Link to={`/projects/${project}/clusters/${cluster}/workloads/${w.name}`}>{w.name}</Link></td>
                <td>{w.version ? `${w.app}@${w.version}` : <span className="muted">{w.app} (staged only)</span>}</td>
                <td><Phase value={w.state} />{w.message ? <div className="message">{w.message}</div> : null}</td>
                <td>{w.staged ? <>{w.staged.version} <Phase value={w.staged.state} /></> : '—'}</td>
                <td>{devicesSummary(w)}</td>
                <td><Age since={w.lastSeen} /></td>
                <td>{w.warnings.length ? <ul>{w.warnings.map((m) => <li key={m}>{m}</li>)}</ul> : ''}</td>
              </tr>
            ))}</tbody>
          </table>
          {pager}
        </>
      )}
      {canChange ? <DeployWorkload project={project} cluster={cluster} existing={items.map((w) => w.name)} /> : null}
    </section>
  );
}

export function devicesSummary(w: Workload): string {
  const total = w.nodeStates.length || w.nodes.length;
  const running = w.nodeStates.filter((n) => n.state === 'running').length;
  return `${running} running of ${total}`;
}
