import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../test/fakeApi';
import { staged, workload } from './workloads/fixtures';
import { liveStream, openConsole } from '../test/console';

const W = '/api/v1/projects/acme/clusters/line-1/workloads';
const PAGE = '#/projects/acme/clusters/line-1/workloads/pumps';

const actions = [
  { seq: 7, node: 'till-1', action: 'stop', cause: 'fire drill', outcome: 'adopted', message: 'the workload is stopped', at: '2026-12-01T11:00:00Z' },
];

function stream(overrides: Record<string, unknown> = {}) {
  return liveStream(
    { event: 'ADDED', data: workload({ staged: staged('present', 'downloading'), deviceActions: actions, message: '<script>alert(1)</script>', ...overrides }) },
    { event: 'ADDED', data: workload({ name: 'valves' }) },
    { event: 'BOOKMARK', data: {}, id: '1' });
}

function cell(region: HTMLElement, node: string, image: string) {
  const row = within(region).getAllByRole('row').find((r) => r.textContent?.includes(node) && r.textContent.includes(image));
  return row!;
}

describe('the workload page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the state per device and per image, and follows the watch without reloading', async () => {
    const watch = stream();
    const api = await openConsole('owner', PAGE, { [`GET ${W}?watch=true`]: watch.answer });
    const heading = await screen.findByRole('heading', { name: /Workload pumps/ });
    expect(within(heading).getByText('running')).toBeInTheDocument();
    expect(screen.getByText('<script>alert(1)</script>')).toBeInTheDocument();
    expect(document.querySelectorAll('main script')).toHaveLength(0);
    expect(screen.getByLabelText('configuration')).toHaveTextContent('setpoint: 60');

    const devices = screen.getByRole('region', { name: 'Devices' });
    expect(within(devices).getByRole('row', { name: /till-2 unreachable till-2 is not heard from/ })).toBeInTheDocument();
    expect(within(devices).getByRole('row', { name: /till-1 stop fire drill adopted the workload is stopped/ })).toBeInTheDocument();

    const progress = screen.getByRole('region', { name: 'Staged progress' });
    expect(progress).toHaveTextContent('pump-control@1.3.0');
    expect(cell(progress, 'till-1', 'pump-control:1.3.0')).toHaveTextContent('present');
    expect(cell(progress, 'till-2', 'pump-control:1.3.0')).toHaveTextContent('downloading');

    watch.send({ event: 'MODIFIED', id: '2', data: workload({ staged: staged('present', 'failed', 'failed'), state: 'running', deviceActions: actions }) });
    await waitFor(() => expect(cell(screen.getByRole('region', { name: 'Staged progress' }), 'till-2', 'pump-control:1.3.0')).toHaveTextContent('failed'));
    expect(cell(screen.getByRole('region', { name: 'Staged progress' }), 'till-2', 'pump-control:1.3.0')).toHaveTextContent('ErrImagePull: not found');

    watch.send({ event: 'MODIFIED', id: '3', data: workload({ state: 'deploying', version: '1.3.0' }) });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Staged progress' })).toBeNull());
    expect(within(screen.getByRole('heading', { name: /Workload pumps/ })).getByText('deploying')).toBeInTheDocument();
    expect(screen.getByText('pump-control@1.3.0')).toBeInTheDocument();

    watch.send({ event: 'DELETED', id: '4', data: workload({ state: 'deploying' }) });
    expect(await screen.findByText(/Workload pumps does not exist/)).toBeInTheDocument();
    // One watch, no reads besides it.
    expect(watch.opened()).toBe(1);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${W}?watch=true`]);
  });

  it('applies, starts and stops at their paths and shows the refusal of the API', async () => {
    const api = await openConsole('owner', PAGE, {
      [`GET ${W}?watch=true`]: stream().answer,
      [`POST ${W}/pumps/apply`]: json(409, { type: 'about:blank', title: 'Conflict', status: 409, detail: 'the staged version is not ready: 1 of 2 images present' }),
      [`POST ${W}/pumps/start`]: json(202, workload()),
      [`POST ${W}/pumps/stop`]: json(202, workload()),
    });
    await screen.findByRole('heading', { name: /Workload pumps/ });
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('the staged version is not ready: 1 of 2 images present')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(await screen.findByText('Stop requested.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByText('Start requested.')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`${W}/pumps/apply`, `${W}/pumps/stop`, `${W}/pumps/start`]);
  });

  it('undeploys the staged version or the workload only once the name is typed', async () => {
    const api = await openConsole('owner', PAGE, {
      [`GET ${W}?watch=true`]: stream().answer,
      [`DELETE ${W}/pumps`]: json(202, workload({ deleteRequested: true })),
      [`DELETE ${W}/pumps?staged=true`]: json(200, workload()),
    });
    await screen.findByRole('heading', { name: /Workload pumps/ });
    const deletes = () => api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);

    await userEvent.click(screen.getByRole('button', { name: 'Undeploy staged version' }));
    let dialog = screen.getByRole('dialog', { name: 'Undeploy staged version pumps' });
    const confirmStaged = within(dialog).getByRole('button', { name: 'Undeploy staged version' });
    expect(confirmStaged).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Type pumps to confirm/), 'pump');
    expect(confirmStaged).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Type pumps to confirm/), 's');
    await userEvent.click(confirmStaged);
    expect(await screen.findByText('Staged version 1.3.0 dropped.')).toBeInTheDocument();
    expect(deletes()).toEqual([`${W}/pumps?staged=true`]);

    await userEvent.click(screen.getByRole('button', { name: 'Undeploy' }));
    dialog = screen.getByRole('dialog', { name: 'Undeploy pumps' });
    const confirm = within(dialog).getByRole('button', { name: 'Undeploy' });
    expect(confirm).toBeDisabled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(deletes()).toEqual([`${W}/pumps?staged=true`]);
    await userEvent.click(screen.getByRole('button', { name: 'Undeploy' }));
    await userEvent.type(within(dialog).getByLabelText(/Type pumps to confirm/), 'pumps');
    await userEvent.click(confirm);
    expect(await screen.findByText('Undeploy requested.')).toBeInTheDocument();
    expect(deletes()).toEqual([`${W}/pumps?staged=true`, `${W}/pumps`]);
  });

  it('downloads the offline bundle for one device as {workload}-{node}.tar', async () => {
    const saved: string[] = [];
    // jsdom has no object URLs; saveFile's link is caught at its click (jsdom does not download).
    URL.createObjectURL = () => 'blob:bundle';
    URL.revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const api = await openConsole('admin', PAGE, {
      [`GET ${W}?watch=true`]: stream().answer,
      [`GET ${W}/pumps/bundle?node=till-2`]: () => new Response(new Blob(['tar']), { status: 200, headers: { 'Content-Type': 'application/x-tar' } }),
    });
    await screen.findByRole('heading', { name: /Workload pumps/ });
    expect(screen.getByRole('button', { name: 'Download bundle for till-1' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Download bundle for till-2' }));
    await waitFor(() => expect(saved).toEqual(['pumps-till-2.tar']));
    expect(api.requests.some((r) => r.path === `${W}/pumps/bundle?node=till-2`)).toBe(true);
    click.mockRestore();
  });

  it('shows a viewer everything and no control that changes anything', async () => {
    await openConsole('viewer', PAGE, { [`GET ${W}?watch=true`]: stream().answer });
    await screen.findByRole('heading', { name: /Workload pumps/ });
    expect(screen.getByRole('region', { name: 'Staged progress' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Devices' })).toBeInTheDocument();
    expect(screen.queryAllByRole('button').map((b) => b.textContent)).toEqual(['Sign out']);
  });
});
