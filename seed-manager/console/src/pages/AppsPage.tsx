import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError, allPages, unwrap, type ApiClient, type Schemas } from '../api/client';
import { ErrorNote, Field } from '../components/ui';
import { useLoad } from '../hooks';
import { useSession } from '../session';
import { parseMapping } from './workloads/text';

type App = Schemas['AppView'];

/** A project's app versions (no watch: read once, and again after a registration) and the form that registers one. */
export function AppsPage() {
  const { project = '' } = useParams();
  const { api, canChange } = useSession();
  const apps = useLoad(() => listApps(api, project), [api, project]);
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">Apps</h1>
      <p className="muted">App versions of {project}. Workloads run them on devices of a cluster.</p>
      <ErrorNote error={apps.error} />
      {!apps.data ? (apps.error ? null : <p aria-busy="true">Loading…</p>) : apps.data.length === 0 ? <p>No apps registered yet.</p> : (
        <AppTable apps={apps.data} />
      )}
      {canChange ? <RegisterApp project={project} onRegistered={apps.reload} /> : null}
    </section>
  );
}

export function listApps(api: ApiClient, project: string): Promise<App[]> {
  return allPages((cursor) => unwrap(api.GET('/api/v1/projects/{project}/apps', { params: { path: { project }, query: { cursor, limit: 500 } } })))
    .then((apps) => apps.sort((a, b) => a.name.localeCompare(b.name) || b.version.localeCompare(a.version, undefined, { numeric: true })));
}

function AppTable({ apps }: { apps: App[] }) {
  return (
    <table>
      <thead><tr><th scope="col">App</th><th scope="col">Version</th><th scope="col">Title</th><th scope="col">Description</th><th scope="col">Containers</th><th scope="col">Registered</th></tr></thead>
      <tbody>{apps.map((a) => (
        <tr key={`${a.name}@${a.version}`}>
          <td>{a.name}</td>
          <td>{a.version}</td>
          <td>{a.title}</td>
          <td>{a.description}</td>
          <td>
            <ul>{a.containers.map((c) => <li key={c.name}>{c.name}: <code>{c.image}</code></li>)}</ul>
          </td>
          <td><time dateTime={a.createdAt}>{new Date(a.createdAt).toLocaleString()}</time></td>
        </tr>
      ))}</tbody>
    </table>
  );
}

const EXAMPLE = `name: pump-control
version: 1.2.0
title: Pump control
description: Keeps the pumps at their setpoint
containers:
  - name: app
    image: registry.example.com/acme/pump-control:1.2.0
defaultConfiguration:
  setpoint: 50
configurationSchema:
  type: object
  properties:
    setpoint: {type: number}`;

function RegisterApp({ project, onRegistered }: { project: string; onRegistered(): void }) {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const fields = error instanceof ApiError ? Object.entries(error.fieldErrors()) : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    const parsed = parseMapping(text);
    if (parsed.error !== undefined || !parsed.value) {
      setParseError(parsed.error ?? 'the app is empty');
      return;
    }
    setParseError(undefined);
    let status = 0;
    try {
      // The API names every bad field; the typed body is whatever the operator wrote.
      const app = await unwrap(api.POST('/api/v1/projects/{project}/apps', {
        params: { path: { project } }, body: parsed.value as unknown as Schemas['AppRequest'],
      }).then((r) => ((status = r.response.status), r)));
      setDone(status === 200 ? `App ${app.name}@${app.version} replaced (no workload used it yet).` : `App ${app.name}@${app.version} registered.`);
      onRegistered();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="register-app-title" className="panel">
      <h2 id="register-app-title">Register an app version</h2>
      <Field label="App (YAML)" error={parseError ? `Not valid YAML or JSON: ${parseError}` : fields.length ? `The seed manager refused ${fields.length} field${fields.length > 1 ? 's' : ''}, listed below.` : undefined}
        hint="YAML or JSON: name, version, title, description, containers (name, image, env, ports, resources), defaultConfiguration, configurationSchema. Posting an unused version again replaces it.">
        {(id, d) => <textarea id={id} aria-describedby={d} rows={16} cols={80} value={text} spellCheck={false}
          onChange={(e) => setText(e.target.value)} placeholder={EXAMPLE} required />}
      </Field>
      {fields.length ? (
        <ul aria-label="invalid fields" className="field-error">
          {fields.map(([field, message]) => <li key={field}><code>{field}</code>: {message}</li>)}
        </ul>
      ) : error ? <ErrorNote error={error} /> : null}
      {done ? <p role="status">{done}</p> : null}
      <div className="actions">
        <button type="submit">Register app</button>
        <button type="button" onClick={() => setText(EXAMPLE)} disabled={text.trim() !== ''}>Start from an example</button>
      </div>
    </form>
  );
}
