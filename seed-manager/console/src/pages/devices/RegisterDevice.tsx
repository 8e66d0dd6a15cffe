import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, unwrap } from '../../api/client';
import { ErrorNote, Field } from '../../components/ui';
import { useSession } from '../../session';
import { architectures, messagesAt, operatingSystems, parseLabels, type DeviceRequest } from './model';

// The form's fields by the request's field paths: the API's 422 messages are shown at these.
const SHOWN = ['name', 'arch', 'os', 'labels', 'ssh.host', 'ssh.port', 'ssh.user', 'ssh.credential', 'ssh.hostKeyFingerprint'];

const EMPTY = { name: '', arch: architectures[0] as string, os: 'ubuntu-24.04' as string, labels: '', host: '', port: '', user: '', privateKey: '', fingerprint: '' };

/** Registers a device of a cluster, with its SSH target when the seed manager is to deliver the script. */
export function RegisterDevice({ project, cluster }: { project: string; cluster: string }) {
  const { api } = useSession();
  const [form, setForm] = useState(EMPTY);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const api422 = error instanceof ApiError ? error.fieldErrors() : {};
  const fields = { ...api422, ...local };
  const at = (field: string) => messagesAt(fields, field);
  const unshown = Object.keys(api422).filter((f) => !SHOWN.some((s) => messagesAt({ [f]: '' }, s) !== undefined));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setCreated(undefined);
    const problems: Record<string, string> = {};
    const labels = parseLabels(form.labels);
    if ('error' in labels) {
      problems.labels = labels.error;
    }
    const port = form.port.trim();
    if (port && !/^\d+$/.test(port)) {
      problems['ssh.port'] = 'must be a number';
    }
    setLocal(problems);
    if (Object.keys(problems).length > 0 || 'error' in labels) {
      return;
    }
    // SSH is sent as soon as any of its fields is filled in, so that a missing one is named by the API.
    const wantsSsh = [form.host, form.port, form.user, form.privateKey, form.fingerprint].some((v) => v.trim());
    const body: DeviceRequest = {
      name: form.name.trim(),
      arch: form.arch as DeviceRequest['arch'],
      os: form.os as DeviceRequest['os'],
      labels: labels.labels,
      replicas: 1,
      ssh: wantsSsh ? {
        host: form.host.trim(),
        port: port ? Number(port) : null,
        user: form.user.trim(),
        hostKeyFingerprint: form.fingerprint.trim() || null,
        credential: { privateKey: form.privateKey.trim() ? `${form.privateKey.trim()}\n` : null },
      } : null,
    };
    try {
      const device = await unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments', {
        params: { path: { project, cluster } }, body,
      }));
      setCreated(device.name);
      setForm(EMPTY);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="register-device-title" className="panel" noValidate>
      <h2 id="register-device-title">Register a device</h2>
      <Field label="Name" error={at('name')} hint="the node name: lowercase letters, digits and '-'">
        {(id, d) => <input id={id} aria-describedby={d} value={form.name} onChange={set('name')} required autoComplete="off" />}
      </Field>
      <Field label="Architecture" error={at('arch')}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={form.arch} onChange={set('arch')}>
            {architectures.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        )}
      </Field>
      <Field label="Operating system" error={at('os')}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={form.os} onChange={set('os')}>
            {operatingSystems.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        )}
      </Field>
      <Field label="Labels" error={at('labels')} hint="one key=value per line">
        {(id, d) => <textarea id={id} aria-describedby={d} value={form.labels} onChange={set('labels')} rows={3} placeholder="store=hamburg-01" />}
      </Field>
      <fieldset>
        <legend>SSH delivery (optional: without it the script is run on the device by hand)</legend>
        <Field label="SSH host" error={at('ssh.host')} hint="host name or IP address">
          {(id, d) => <input id={id} aria-describedby={d} value={form.host} onChange={set('host')} autoComplete="off" />}
        </Field>
        <Field label="SSH port" error={at('ssh.port')} hint="22 when empty">
          {(id, d) => <input id={id} aria-describedby={d} value={form.port} onChange={set('port')} inputMode="numeric" autoComplete="off" />}
        </Field>
        <Field label="SSH user" error={at('ssh.user')} hint="root, or a user that may sudo -n">
          {(id, d) => <input id={id} aria-describedby={d} value={form.user} onChange={set('user')} autoComplete="off" />}
        </Field>
        <Field label="SSH private key" error={at('ssh.credential')} hint="OpenSSH or PEM; stored sealed, never shown again">
          {(id, d) => <textarea id={id} aria-describedby={d} value={form.privateKey} onChange={set('privateKey')} rows={4} spellCheck={false} autoComplete="off" />}
        </Field>
        <Field label="SSH host key fingerprint" error={at('ssh.hostKeyFingerprint')} hint="SHA256:… as ssh-keygen -lf prints it">
          {(id, d) => <input id={id} aria-describedby={d} value={form.fingerprint} onChange={set('fingerprint')} autoComplete="off" spellCheck={false} />}
        </Field>
      </fieldset>
      {error && (!(error instanceof ApiError) || unshown.length > 0 || Object.keys(api422).length === 0) ? <ErrorNote error={error} /> : null}
      {created ? <p role="status">Device <Link to={created}>{created}</Link> is registered.</p> : null}
      <button type="submit">Register device</button>
    </form>
  );
}
