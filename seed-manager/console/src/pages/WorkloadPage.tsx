import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { stringify } from 'yaml';
import { unwrap, type Schemas } from '../api/client';
import { Age, ConfirmButton, ErrorNote, Phase, StreamBadge } from '../components/ui';
import { useLiveList } from '../hooks';
import { useSession } from '../session';
import { Devices, StagedProgress } from './workloads/WorkloadRegions';

type Workload = Schemas['WorkloadView'];

/** One workload, live from the cluster's workloads watch: its state, devices, staged version and what can be done to it. */
export function WorkloadPage() {
  const { project = '', cluster = '', name = '' } = useParams();
  const { canChange } = useSession();
  const workloads = useLiveList<Workload>(`/api/v1/projects/${project}/clusters/${cluster}/workloads`, (w) => w.name);
  const workload = workloads.items.find((w) => w.name === name);
  const list = `/projects/${project}/clusters/${cluster}/workloads`;
  if (!workloads.synced) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (!workload) {
    return <p role="status">Workload {name} does not exist (any more). <Link to={list}>All workloads</Link></p>;
  }
  return (
    <section aria-labelledby="workload-title">
      <h1 id="workload-title">Workload {workload.name} <Phase value={workload.state} /> <StreamBadge status={workloads.status} /></h1>
      {workload.message ? <p className="message">{workload.message}</p> : null}
      {workload.deleteRequested ? <p role="status">Being undeployed.</p> : null}
      <dl className="facts">
        <dt>Title</dt><dd>{workload.title}</dd>
        <dt>App</dt><dd>{workload.version ? `${workload.app}@${workload.version}` : `${workload.app} (only a staged version)`}</dd>
        <dt>Runs</dt><dd>{workload.run ? 'yes (started)' : 'no (stopped)'}</dd>
        <dt>Devices</dt><dd>{workload.nodes.join(', ') || '—'}</dd>
        <dt>Last seen</dt><dd><Age since={workload.lastSeen} /></dd>
        <dt>Warnings</dt>
        <dd>{workload.warnings.length ? <ul aria-label="warnings">{workload.warnings.map((w) => <li key={w}>{w}</li>)}</ul> : 'none'}</dd>
        <dt>Configuration</dt>
        <dd>{workload.configuration && Object.keys(workload.configuration).length
          ? <pre aria-label="configuration">{stringify(workload.configuration)}</pre> : 'none'}</dd>
      </dl>
      <p><Link to={list}>All workloads of {cluster}</Link></p>
      {canChange ? <Actions project={project} workload={workload} /> : null}
      <Devices workload={workload} />
      {workload.staged ? <StagedProgress staged={workload.staged} /> : null}
    </section>
  );
}

function Actions({ project, workload }: { project: string; workload: Workload }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const path = { project, cluster: workload.cluster, name: workload.name };

  const act = async (what: string, call: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    try {
      await call();
      setDone(`${what} requested.`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="workload-actions-title" className="panel">
      <h2 id="workload-actions-title">Actions</h2>
      <div className="actions">
        <button type="button" disabled={!workload.staged}
          title={workload.staged ? `apply the staged version ${workload.staged.version} once it is ready` : 'there is no staged version'}
          onClick={() => void act('Apply', () => unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/workloads/{name}/apply', { params: { path } })))}>
          Apply
        </button>
        <button type="button" onClick={() => void act('Start', () => unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/workloads/{name}/start', { params: { path } })))}>
          Start
        </button>
        <button type="button" onClick={() => void act('Stop', () => unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/workloads/{name}/stop', { params: { path } })))}>
          Stop
        </button>
        {workload.staged ? (
          <ConfirmButton label="Undeploy staged version" name={workload.name}
            what={<p>The staged version {workload.staged.version} and its pre-pulled images' pods go; the running version is not touched.</p>}
            onConfirm={async () => {
              await unwrap(api.DELETE('/api/v1/projects/{project}/clusters/{cluster}/workloads/{name}', { params: { path, query: { staged: true } } }));
              setDone(`Staged version ${workload.staged?.version ?? ''} dropped.`);
            }} />
        ) : null}
        <ConfirmButton label="Undeploy" name={workload.name}
          what={<p>The workload, its staged version and every object of it in the cluster go from every device.</p>}
          onConfirm={async () => {
            await unwrap(api.DELETE('/api/v1/projects/{project}/clusters/{cluster}/workloads/{name}', { params: { path } }));
            setDone('Undeploy requested.');
          }} />
      </div>
      <ErrorNote error={error} />
      {done ? <p role="status">{done}</p> : null}
    </section>
  );
}
