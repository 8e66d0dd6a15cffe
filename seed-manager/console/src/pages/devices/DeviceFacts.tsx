import { Age, Phase } from '../../components/ui';
import { labelText, type Device } from './model';

type Link = NonNullable<Device['tunnel']>;

const CREDENTIALS: Record<string, string> = { privateKey: 'private key', password: 'password' };

/** What the seed manager knows of a device; the SSH target without its credential (the API never returns it). */
export function DeviceFacts({ device }: { device: Device }) {
  return (
    <dl className="facts">
      <dt>Phase</dt><dd><Phase value={device.phase} />{device.message ? <> <span className="message">{device.message}</span></> : null}</dd>
      <dt>Node name</dt><dd>{device.nodeName ?? '—'}</dd>
      <dt>Addresses</dt><dd>{device.addresses.length ? device.addresses.join(', ') : '—'}</dd>
      <dt>Kubelet</dt><dd>{device.kubeletVersion ?? '—'}</dd>
      <dt>Heartbeat</dt><dd><Age since={device.lastHeartbeat} /></dd>
      <dt>Serving certificate</dt><dd>{device.servingCertificate ?? '—'}</dd>
      <dt>Tunnel</dt><dd><LinkState link={device.tunnel} /></dd>
      <dt>Pod network</dt><dd><LinkState link={device.podNetwork} />{device.podCidr ? <> ({device.podCidr})</> : null}</dd>
      <dt>Platform</dt><dd>{device.os}, {device.arch}</dd>
      <dt>Labels</dt><dd>{labelText(device.labels).map((l) => <span key={l}><code>{l}</code> </span>)}{Object.keys(device.labels).length ? null : '—'}</dd>
      <dt>Taints</dt>
      <dd>{device.taints.length ? device.taints.map((t) => <span key={`${t.key}:${t.effect}`}><code>{t.key}{t.value ? `=${t.value}` : ''}:{t.effect}</code> </span>) : '—'}</dd>
      <dt>SSH</dt>
      <dd>{device.ssh ? (
        <>
          <code>{device.ssh.user}@{device.ssh.host}:{device.ssh.port}</code> with a {CREDENTIALS[device.ssh.credential] ?? device.ssh.credential},
          host key {device.ssh.hostKeyFingerprint ? <code>{device.ssh.hostKeyFingerprint}</code> : device.ssh.knownHosts ? 'pinned by known_hosts lines' : 'not pinned'}
        </>
      ) : 'none: the script is run on the device by hand'}</dd>
      <dt>Registered</dt><dd><time dateTime={device.createdAt}>{new Date(device.createdAt).toLocaleString()}</time></dd>
    </dl>
  );
}

function LinkState({ link }: { link: Link | null | undefined }) {
  if (!link) {
    return <>—</>;
  }
  return (
    <>
      <Phase value={link.state} />
      {link.reason ? <> {link.reason}</> : null}
      {link.since ? <> since <time dateTime={link.since}>{new Date(link.since).toLocaleString()}</time></> : null}
    </>
  );
}
