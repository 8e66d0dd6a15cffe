import { useId, useState, type FormEvent } from 'react';
import { stringify } from 'yaml';
import { ApiError, unwrap, type Schemas } from '../../api/client';
import { ErrorNote, Field } from '../../components/ui';
import { useLiveList, useLoad } from '../../hooks';
import { useSession } from '../../session';
import { listApps } from '../AppsPage';
import { fieldsAt, otherFields, parseEnv, parseMapping } from './text';

type Device = Schemas['MachineDeploymentView'];
type App = Schemas['AppView'];

const SHOWN_AT_FIELDS = ['name', 'title', 'app', 'version', 'configuration', 'env', 'staged', 'instantlyApply', 'nodes'];

/** Deploys a workload, or updates one: the same name again replaces its version or configuration (or its staged version). */
export function DeployWorkload({ project, cluster, existing }: { project: string; cluster: string; existing: string[] }) {
  const { api } = useSession();
  const apps = useLoad(() => listApps(api, project), [api, project]);
  const devices = useLiveList<Device>(`/api/v1/projects/${project}/clusters/${cluster}/machinedeployments`, (d) => d.name);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [appVersion, setAppVersion] = useState('');
  const [configuration, setConfiguration] = useState('');
  const [env, setEnv] = useState('');
  const [staged, setStaged] = useState(false);
  const [instantlyApply, setInstantlyApply] = useState(false);
  const [chosen, setChosen] = useState(false);
  const [nodes, setNodes] = useState<string[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const hintId = useId();

  const choose = (key: string) => {
    setAppVersion(key);
    const app = (apps.data ?? []).find((a) => `${a.name}@${a.version}` === key);
    const defaults = app?.defaultConfiguration;
    setConfiguration(defaults && Object.keys(defaults).length ? stringify(defaults) : '');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    const parsedConfiguration = parseMapping(configuration);
    const parsedEnv = parseEnv(env);
    const problems: Record<string, string> = {};
    if (parsedConfiguration.error !== undefined) {
      problems.configuration = `Not valid YAML: ${parsedConfiguration.error}`;
    }
    if (parsedEnv.error) {
      problems.env = parsedEnv.error;
    }
    if (!appVersion) {
      problems.app = 'choose an app version';
    }
    if (chosen && nodes.length === 0) {
      problems.nodes = 'choose at least one device, or deploy to all devices';
    }
    setLocal(problems);
    if (Object.keys(problems).length) {
      return;
    }
    const at = appVersion.indexOf('@');
    const body: Schemas['WorkloadDeployment'] = {
      name: name.trim(),
      title: title.trim() || null,
      app: appVersion.slice(0, at),
      version: appVersion.slice(at + 1),
      configuration: parsedConfiguration.value ?? null,
      env: parsedEnv.value,
      staged,
      instantlyApply: staged && instantlyApply,
      nodes: chosen ? nodes : null,
    };
    const updating = existing.includes(body.name);
    try {
      const answer = await unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/workloads', {
        params: { path: { project, cluster } }, body,
      }));
      const state = answer.kind === 'Workload' ? answer.state : '';
      setDone(`Workload ${body.name} ${updating ? 'update' : 'deploy'}${staged ? ' (staged)' : ''} accepted${state ? `: ${state}` : ''}.`);
    } catch (e) {
      setError(e);
    }
  };

  const at = (...fields: string[]) => fields.map((f) => local[f]).filter(Boolean).join('; ') || fieldsAt(error, ...fields);
  const others = otherFields(error, ...SHOWN_AT_FIELDS);
  const updatingName = existing.includes(name.trim());

  return (
    <form onSubmit={submit} aria-labelledby="deploy-title" className="panel">
      <h2 id="deploy-title">Deploy a workload</h2>
      <p className="hint">Deploying a name that exists again updates that workload: its version, configuration, devices or staged version.</p>
      <Field label="Name" error={at('name')} hint={updatingName ? `Workload ${name.trim()} exists: deploying updates it.` : "lowercase letters, digits and '-'"}>
        {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Title" error={at('title')} hint="optional; the app's title when empty">
        {(id, d) => <input id={id} aria-describedby={d} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="App version" error={at('app', 'version') ?? apps.error}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={appVersion} onChange={(e) => choose(e.target.value)} required>
            <option value="">choose an app version</option>
            {(apps.data ?? []).map((a: App) => <option key={`${a.name}@${a.version}`} value={`${a.name}@${a.version}`}>{a.name}@{a.version}</option>)}
          </select>
        )}
      </Field>
      <Field label="Configuration (YAML)" error={at('configuration')} hint="starts from the app's default configuration; its top-level keys replace the defaults'">
        {(id, d) => <textarea id={id} aria-describedby={d} rows={8} cols={60} spellCheck={false} value={configuration} onChange={(e) => setConfiguration(e.target.value)} />}
      </Field>
      <Field label="Environment" error={at('env')} hint="optional; one KEY=value a line, added to every container">
        {(id, d) => <textarea id={id} aria-describedby={d} rows={3} cols={60} spellCheck={false} value={env} onChange={(e) => setEnv(e.target.value)} />}
      </Field>
      <div className="field">
        <label><input type="checkbox" aria-describedby={`${hintId}-staged`} checked={staged} onChange={(e) => setStaged(e.target.checked)} /> Staged</label>
        <p id={`${hintId}-staged`} className="hint">pre-pull the images onto the devices while the running version keeps running; apply later</p>
        <label><input type="checkbox" aria-describedby={`${hintId}-apply`} checked={instantlyApply} disabled={!staged} onChange={(e) => setInstantlyApply(e.target.checked)} /> Apply when ready</label>
        <p id={`${hintId}-apply`} className="hint">staged only: apply as soon as every image is on every device (else use Apply on the workload's page)</p>
        {at('staged', 'instantlyApply') ? <p className="field-error" role="alert">{at('staged', 'instantlyApply')}</p> : null}
      </div>
      <fieldset>
        <legend>Where it runs</legend>
        <label><input type="radio" name="deploy-target" checked={!chosen} onChange={() => setChosen(false)} /> All devices</label>{' '}
        <label><input type="radio" name="deploy-target" checked={chosen} onChange={() => setChosen(true)} /> Chosen devices</label>
        <Field label="Devices" error={at('nodes')} hint={chosen ? 'hold Ctrl or Shift to choose several' : 'every device of the cluster at deploy time'}>
          {(id, d) => (
            <select id={id} aria-describedby={d} multiple size={Math.min(8, Math.max(3, devices.items.length))} disabled={!chosen} value={nodes}
              onChange={(e) => setNodes([...e.target.selectedOptions].map((o) => o.value))}>
              {[...devices.items].sort((a, b) => a.name.localeCompare(b.name)).map((m) => (
                <option key={m.name} value={m.name}>{m.name}{m.nodeName && m.nodeName !== m.name ? ` (node ${m.nodeName})` : ''} · {m.phase}</option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      {others.length ? <ul aria-label="other invalid fields" className="field-error">{others.map((m) => <li key={m}>{m}</li>)}</ul> : null}
      {error && !(error instanceof ApiError && error.problem?.errors?.length) ? <ErrorNote error={error} /> : null}
      {done ? <p role="status">{done}</p> : null}
      <button type="submit">Deploy</button>
    </form>
  );
}
