import { useEffect, useRef, useState } from 'react';
import { unwrap, type Schemas } from '../../api/client';
import { follow, type StreamStatus } from '../../api/watch';
import { ErrorNote, StreamBadge } from '../../components/ui';
import { useSession } from '../../session';
import { devicesPath, type Device } from './model';

type Line = Schemas['ProvisioningLogLine'];

/** The newest lines kept: a long delivery must not grow the page without bound. */
export const MAX_LINES = 2000;

/**
 * SSH delivery: the provisioning log, live (earlier deliveries included, until the stream's END),
 * and for owners the button that starts a delivery and follows the log again.
 */
export function SshDelivery({ project, device }: { project: string; device: Device }) {
  const { api, canChange } = useSession();
  const [round, setRound] = useState(0);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const provision = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments/{name}/provision', {
        params: { path: { project, cluster: device.cluster, name: device.name } },
      }));
      setRound((r) => r + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Provisioning log</h2>
      {canChange ? (
        <p className="actions">
          <button type="button" onClick={() => void provision()} disabled={busy || device.phase === 'Deprovisioning'}>Provision over SSH</button>
        </p>
      ) : null}
      <ErrorNote error={error} />
      <LogLines path={`${devicesPath(project, device.cluster)}/${encodeURIComponent(device.name)}/provisioning-log`} round={round} phase={device.phase} />
    </section>
  );
}

function LogLines({ path, round, phase }: { path: string; round: number; phase: string }) {
  const { token, signOut } = useSession();
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [restarts, setRestarts] = useState(0);
  const seenPhase = useRef(phase);
  const pre = useRef<HTMLPreElement>(null);
  // Newest at the bottom, kept in view unless the reader scrolled up to read.
  const atBottom = useRef(true);

  // A delivery started elsewhere (the CLI, another operator) shows as a change of phase: follow the log again.
  useEffect(() => {
    if (phase !== seenPhase.current) {
      seenPhase.current = phase;
      if (status === 'ended') {
        setRestarts((r) => r + 1);
      }
    }
  }, [phase, status]);

  useEffect(() => {
    setLines([]);
    const kept: Line[] = [];
    let ended = false;
    let scheduled = false;
    // One render for all the lines of a chunk, not one per line.
    const flush = () => {
      scheduled = false;
      setLines(kept.slice());
    };
    return follow(`${path}?watch=true`, token, {
      onEvent(event) {
        if (event.event === 'LINE') {
          kept.push(JSON.parse(event.data) as Line);
          if (kept.length > MAX_LINES) {
            kept.splice(0, kept.length - MAX_LINES);
          }
          if (!scheduled) {
            scheduled = true;
            queueMicrotask(flush);
          }
        } else if (event.event === 'END') {
          ended = true;
        }
      },
      // A resume after the last id repeats nothing; after a reset (410) the whole log comes again.
      onReset: () => {
        kept.length = 0;
        setLines([]);
      },
      onStatus: setStatus,
      onUnauthorized: signOut,
    }, () => ended);
  }, [path, round, restarts, token, signOut]);

  useEffect(() => {
    if (atBottom.current && pre.current) {
      pre.current.scrollTop = pre.current.scrollHeight;
    }
  }, [lines]);
  const onScroll = () => {
    const p = pre.current;
    atBottom.current = !p || p.scrollHeight - p.scrollTop - p.clientHeight < 24;
  };

  return (
    <>
      <p>
        <StreamBadge status={status === 'ended' ? 'no delivery running' : status} />
        {lines.length >= MAX_LINES ? <span className="hint"> (the last {MAX_LINES} lines)</span> : null}
      </p>
      {lines.length === 0 && status === 'ended' ? <p>No SSH delivery has written anything yet.</p> : null}
      <pre ref={pre} aria-label="provisioning log lines" tabIndex={0} onScroll={onScroll}>{render(lines)}</pre>
    </>
  );
}

/** Each delivery's lines under a header naming its attempt. */
function render(lines: Line[]): string {
  let attempt: number | undefined;
  const out: string[] = [];
  for (const l of lines) {
    if (l.attempt !== attempt) {
      attempt = l.attempt;
      out.push(`── attempt ${attempt} ──`);
    }
    out.push(l.line);
  }
  return out.join('\n');
}
