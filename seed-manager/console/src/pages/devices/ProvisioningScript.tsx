import { useState } from 'react';
import { ApiError, describe, unwrap, type Schemas } from '../../api/client';
import { ErrorNote, saveFile } from '../../components/ui';
import { useSession } from '../../session';
import type { Device } from './model';

type ScriptLink = Schemas['ProvisioningScriptLinkView'];

/**
 * The provisioning script for running by hand: a one-time link's command copied to the clipboard
 * (it carries no token of the operator: the link is its own secret, used up by the first download),
 * or the script itself as a file.
 */
export function ProvisioningScript({ project, device }: { project: string; device: Device }) {
  const { api } = useSession();
  const [link, setLink] = useState<ScriptLink>();
  const [copied, setCopied] = useState<'Copied' | 'refused'>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const path = { project, cluster: device.cluster, name: device.name };

  const copyCommand = async () => {
    setBusy(true);
    setError(undefined);
    setCopied(undefined);
    try {
      const created = await unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments/{name}/provisioning-script-link', {
        params: { path },
      }));
      setLink(created);
      try {
        await navigator.clipboard.writeText(created.command);
        setCopied('Copied');
      } catch {
        setCopied('refused');
      }
    } catch (e) {
      setLink(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setError(undefined);
    try {
      const script = await unwrap(api.GET('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments/{name}/provisioning-script', {
        params: { path }, parseAs: 'text',
      }));
      saveFile(new Blob([script as string], { type: 'text/x-shellscript' }), `provision-${device.name}.sh`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="script-title" className="panel">
      <h2 id="script-title">Provisioning script</h2>
      <p className="hint">Run it on the device as root. The command fetches the script over HTTPS with the seed manager's CA pinned in it; paste it on the device, not into a chat (a link preview would use it up).</p>
      <div className="actions">
        <button type="button" onClick={() => void copyCommand()} disabled={busy}>Copy provisioning command</button>
        <button type="button" onClick={() => void download()}>Download provisioning script</button>
        {/* Always there, so that screen readers announce what it comes to say. */}
        <span role="status">
          {copied === 'Copied' ? 'Copied' : copied === 'refused' ? 'The browser refused the clipboard: select the command below and copy it.' : ''}
        </span>
      </div>
      <ScriptProblem error={error} />
      {link ? (
        <>
          <pre aria-label="provisioning command">{link.command}</pre>
          <p className="hint">One use, expires at <time dateTime={link.expiresAt}>{new Date(link.expiresAt).toLocaleString()}</time>.</p>
        </>
      ) : null}
    </section>
  );
}

/** 503: the binaries for the device's architecture are being prepared; 409: the device or its cluster is going. */
function ScriptProblem({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 503) {
    return <p role="alert" className="error">Not ready yet, try again in a moment: {describe(error)}</p>;
  }
  if (error instanceof ApiError && error.status === 409) {
    return <p role="alert" className="error">No script for this device now: {describe(error)}</p>;
  }
  return <ErrorNote error={error} />;
}
