import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { events, json, openEvents } from '../test/fakeApi';
import { DEVICES, TOKEN, device, liveStream, openConsole } from './devices/testing';

const PAGE = '#/projects/acme/clusters/line-1/devices/till-1';
const LOG = `GET ${DEVICES}/till-1/provisioning-log?watch=true`;

const ssh = { host: '10.0.0.7', port: 22, user: 'edge', hostKeyFingerprint: 'SHA256:47DEQpj8HBSa', knownHosts: false, credential: 'privateKey' };
const till = device('till-1', {
  phase: 'Provisioning', message: 'running the provisioning script', ssh, addresses: ['192.0.2.7'],
  labels: { store: 'hamburg-01', note: '<script>window.hacked = true</script>' },
  taints: [{ key: 'edgeplane.io/till', value: '', effect: 'NoSchedule' }],
  tunnel: { state: 'disconnected', reason: 'no route to the seed' }, podNetwork: { state: 'connected' }, podCidr: '10.244.3.0/24',
});
const watch = (d = till) => () => openEvents({ event: 'ADDED', data: d }, { event: 'BOOKMARK', data: {}, id: '1' });
const line = (seq: number, text: string, attempt = 1) => ({ event: 'LINE', id: String(seq), data: { seq, attempt, line: text, at: '2026-12-07T18:00:00Z' } });
const end = { event: 'END', data: till };

function logText() {
  return within(screen.getByRole('region', { name: 'Provisioning log' })).getByLabelText('provisioning log lines').textContent;
}

describe('the device page', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('shows the device\'s facts, without secrets, and fleet text as text', async () => {
    await openConsole('owner', PAGE, { [`GET ${DEVICES}?watch=true`]: watch(), [LOG]: () => events(end) });
    const heading = await screen.findByRole('heading', { name: /Device till-1/ });
    expect(heading).toHaveTextContent('Provisioning');
    expect(screen.getByText('running the provisioning script')).toBeInTheDocument();
    expect(screen.getByText('edge@10.0.0.7:22')).toBeInTheDocument();
    expect(screen.getByText('SHA256:47DEQpj8HBSa')).toBeInTheDocument();
    expect(screen.getByText(/with a private key/)).toBeInTheDocument();
    expect(screen.getByText('edgeplane.io/till:NoSchedule')).toBeInTheDocument();
    expect(screen.getByText(/no route to the seed/)).toBeInTheDocument();
    expect(screen.getByText('note=<script>window.hacked = true</script>')).toBeInTheDocument();
    expect(document.querySelectorAll('main script')).toHaveLength(0);
    expect((window as unknown as { hacked?: boolean }).hacked).toBeUndefined();
    expect(document.body.textContent).not.toContain(TOKEN);
  });

  it('copies the one-time link\'s command, never the operator\'s token', async () => {
    const command = "(set -eu; d=$(mktemp -d); curl -fsS --proto =https --cacert \"$d/ca.pem\" https://seed.example:8443/provisioning-scripts/3q2-7wE | bash)";
    const api = await openConsole('owner', PAGE, {
      [`GET ${DEVICES}?watch=true`]: watch(), [LOG]: () => events(end),
      [`POST ${DEVICES}/till-1/provisioning-script-link`]: json(201, { url: 'https://seed.example:8443/provisioning-scripts/3q2-7wE', command, expiresAt: '2026-12-07T18:45:00Z' }),
    });
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });

    fireEvent.click(await screen.findByRole('button', { name: 'Copy provisioning command' }));
    expect(await screen.findByText('Copied')).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledTimes(1);
    const copied = writeText.mock.calls[0]![0];
    expect(copied).toBe(command);
    expect(copied).not.toMatch(/Bearer/i);
    expect(copied).not.toContain(TOKEN);
    const shown = screen.getByLabelText('provisioning command');
    expect(shown.tagName).toBe('PRE');
    expect(shown).toHaveTextContent(command);
    expect(shown.textContent).not.toContain(TOKEN);
    expect(screen.getByText(/One use, expires at/)).toBeInTheDocument();
    expect(api.requests.filter((r) => r.path.endsWith('/provisioning-script-link'))).toHaveLength(1);
  });

  it('says so when the browser refuses the clipboard, and shows the API\'s 503 and 409', async () => {
    let answer = json(201, { url: 'https://seed.example:8443/provisioning-scripts/x', command: 'run-this', expiresAt: '2026-12-07T18:45:00Z' });
    await openConsole('owner', PAGE, {
      [`GET ${DEVICES}?watch=true`]: watch(), [LOG]: () => events(end),
      [`POST ${DEVICES}/till-1/provisioning-script-link`]: () => answer,
    });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => { throw new DOMException('denied', 'NotAllowedError'); }) }, configurable: true });
    const copy = await screen.findByRole('button', { name: 'Copy provisioning command' });
    fireEvent.click(copy);
    expect(await screen.findByText(/The browser refused the clipboard/)).toBeInTheDocument();
    expect(screen.getByLabelText('provisioning command')).toHaveTextContent('run-this');

    answer = json(503, { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the kubelet for linux-arm64 is being prepared (downloading, 40 s)' });
    fireEvent.click(copy);
    expect(await screen.findByRole('alert')).toHaveTextContent('Not ready yet, try again in a moment: the kubelet for linux-arm64 is being prepared (downloading, 40 s)');
    expect(screen.queryByLabelText('provisioning command')).toBeNull();

    answer = json(409, { type: 'about:blank', title: 'Conflict', status: 409, detail: 'the device is being deprovisioned' });
    fireEvent.click(copy);
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('No script for this device now: the device is being deprovisioned'));
  });

  it('streams the provisioning log until END, and follows it again after Provision over SSH', async () => {
    let round = 0;
    const api = await openConsole('owner', PAGE, {
      [`GET ${DEVICES}?watch=true`]: watch(),
      [LOG]: () => (++round === 1
        ? events(line(1, '[packages] containerd present'), line(2, '[kubelet] <b>not bold</b>'), end)
        : events(line(1, '[packages] containerd present'), line(2, '[kubelet] <b>not bold</b>'), line(3, '[join] waiting', 2), line(4, '[join] node registered', 2), end)),
      [`POST ${DEVICES}/till-1/provision`]: json(202, till),
    });
    await waitFor(() => expect(logText()).toBe('── attempt 1 ──\n[packages] containerd present\n[kubelet] <b>not bold</b>'));
    // END: the stream is over and not opened again.
    expect(await screen.findByRole('status', { name: 'live updates: no delivery running' })).toBeInTheDocument();
    await act(() => new Promise((resolve) => setTimeout(resolve, 1200)));
    expect(api.requests.filter((r) => `GET ${r.path}` === LOG)).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Provision over SSH' }));
    await waitFor(() => expect(logText()).toContain('── attempt 2 ──\n[join] waiting\n[join] node registered'));
    expect(logText()!.split('\n').at(-1)).toBe('[join] node registered');
    expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/provision'))).toHaveLength(1);
    expect(api.requests.filter((r) => `GET ${r.path}` === LOG)).toHaveLength(2);
  });

  it('follows the log again when a delivery started elsewhere changes the device\'s phase', async () => {
    const list = liveStream({ event: 'ADDED', data: { ...till, phase: 'Failed' } }, { event: 'BOOKMARK', data: {}, id: '1' });
    let round = 0;
    const api = await openConsole('viewer', PAGE, {
      [`GET ${DEVICES}?watch=true`]: list.answer,
      [LOG]: () => (++round === 1 ? events(line(1, 'first try'), end) : events(line(1, 'first try'), line(2, 'second try', 2), end)),
    });
    expect(await screen.findByRole('status', { name: 'live updates: no delivery running' })).toBeInTheDocument();
    expect(logText()).toContain('first try');
    await act(async () => {
      list.send({ event: 'MODIFIED', id: '2', data: till });
    });
    await waitFor(() => expect(logText()).toContain('── attempt 2 ──\nsecond try'));
    expect(api.requests.filter((r) => `GET ${r.path}` === LOG)).toHaveLength(2);
  });

  it('keeps the last 2,000 lines of a long log', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => line(i + 1, `line ${i + 1}`));
    await openConsole('viewer', PAGE, { [`GET ${DEVICES}?watch=true`]: watch(), [LOG]: () => events(...many, end) });
    await waitFor(() => expect(logText()!.split('\n').at(-1)).toBe('line 2500'));
    const shown = logText()!.split('\n');
    expect(shown).toHaveLength(2001);
    expect(shown[1]).toBe('line 501');
  });

  it('deprovisions only after the name is typed, then goes back to the list', async () => {
    const api = await openConsole('owner', PAGE, {
      [`GET ${DEVICES}?watch=true`]: watch(), [LOG]: () => events(end),
      [`DELETE ${DEVICES}/till-1`]: json(202, { ...till, phase: 'Deprovisioning' }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Deprovision device' }));
    const dialog = screen.getByRole('dialog', { name: 'Deprovision device till-1' });
    expect(dialog).toHaveTextContent(/tokens are revoked/);
    expect(dialog).toHaveTextContent(/deprovision script runs on the device over SSH/);
    const confirm = within(dialog).getByRole('button', { name: 'Deprovision device' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Type till-1 to confirm/), 'till-');
    expect(confirm).toBeDisabled();
    expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText(/Type till-1 to confirm/), '1');
    await userEvent.click(confirm);
    await waitFor(() => expect(window.location.hash).toBe('#/projects/acme/clusters/line-1/devices'));
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`${DEVICES}/till-1`]);
  });

  it('shows a viewer the device and its log, without any control that changes something', async () => {
    await openConsole('viewer', PAGE, { [`GET ${DEVICES}?watch=true`]: watch(), [LOG]: () => events(line(1, 'hello'), end) });
    expect(await screen.findByRole('heading', { name: /Device till-1/ })).toBeInTheDocument();
    await waitFor(() => expect(logText()).toContain('hello'));
    expect(screen.queryByRole('button', { name: /Copy|Download|Provision|Deprovision/ })).toBeNull();
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });

  it('offers the deprovisioning script for a device without SSH, and no SSH delivery', async () => {
    await openConsole('owner', PAGE, { [`GET ${DEVICES}?watch=true`]: watch({ ...till, ssh: null }) });
    expect(await screen.findByRole('button', { name: 'Download deprovisioning script' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Provision over SSH' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Provisioning log' })).toBeNull();
    expect(screen.getByText('none: the script is run on the device by hand')).toBeInTheDocument();
  });

  it('shows the onboarding check\'s conditions live and runs it again for an owner', async () => {
    const held = {
      ...till, phase: 'Ready', onboardingRequest: 1, conditions: [
        { type: 'ImageRuns', status: 'False', message: 'the container runtime cannot pull reg.lab/pause:3.10: connection refused',
          lastTransitionTime: '2026-12-07T18:00:00Z' },
        { type: 'ClockInSync', status: 'True', message: 'within 700ms of the apiserver\'s clock (at most 30s allowed)',
          lastTransitionTime: '2026-12-07T18:00:00Z' },
        { type: 'Onboarded', status: 'False', message: 'failed the onboarding check; new workloads wait until it passes: ImageRuns: the'
          + ' container runtime cannot pull reg.lab/pause:3.10: connection refused', lastTransitionTime: '2026-12-07T18:00:00Z' },
      ],
    };
    const stream = liveStream({ event: 'ADDED', data: held }, { event: 'BOOKMARK', data: {}, id: '1' });
    const api = await openConsole('owner', PAGE, {
      [`GET ${DEVICES}?watch=true`]: stream.answer, [LOG]: () => events(end),
      [`POST ${DEVICES}/till-1/onboarding-check`]: json(202, { ...held, onboardingRequest: 2 }),
    });
    const panel = await screen.findByRole('region', { name: 'Onboarding check' });
    expect(within(panel).getByRole('status')).toHaveTextContent(/^New workloads wait: failed the onboarding check/);
    const image = within(panel).getByRole('row', { name: /ImageRuns/ });
    expect(image).toHaveTextContent('failed');
    expect(image).toHaveTextContent('cannot pull reg.lab/pause:3.10');
    expect(within(panel).getByRole('row', { name: /ClockInSync/ })).toHaveTextContent('passed');

    await userEvent.click(within(panel).getByRole('button', { name: 'Run onboarding check again' }));
    await waitFor(() => expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`${DEVICES}/till-1/onboarding-check`]));
    expect(await within(panel).findByText(/asked: the device checks again/)).toBeInTheDocument();

    const passed = { ...held, onboardingRequest: 2, conditions: [
      { type: 'ImageRuns', status: 'True', message: 'pulled reg.lab/pause:3.10 in 40ms and ran it 2s later', lastTransitionTime: '2026-12-07T18:05:00Z' },
      { type: 'Onboarded', status: 'True', message: 'passed the onboarding check (request 2): it gets workloads', lastTransitionTime: '2026-12-07T18:05:00Z' },
    ] };
    act(() => stream.send({ event: 'MODIFIED', data: passed, id: '2' }));
    await waitFor(() => expect(within(panel).getByRole('status')).toHaveTextContent(/^Gets workloads: passed the onboarding check \(request 2\)/));
    expect(within(panel).getByRole('table', { name: 'Checks of request 2' })).toBeInTheDocument();
  });
});
