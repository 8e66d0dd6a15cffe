import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { events, json, openEvents } from '../test/fakeApi';
import { device, pumpApp, staged, workload } from './workloads/fixtures';
import { openConsole } from '../test/console';

const W = '/api/v1/projects/acme/clusters/line-1/workloads';

function routes(post?: () => Response) {
  return {
    [`GET ${W}?watch=true`]: () => openEvents(
      { event: 'ADDED', data: workload({ staged: staged('present', 'downloading') }) },
      { event: 'ADDED', data: workload({ name: 'valves', state: 'failed', message: 'ErrImagePull', nodeStates: [], warnings: ['<b>check the registry</b>'] }) },
      { event: 'BOOKMARK', data: {}, id: '1' }),
    'GET /api/v1/projects/acme/clusters/line-1/machinedeployments?watch=true': () => events(
      { event: 'ADDED', data: device('till-1') }, { event: 'ADDED', data: device('till-2', 'NotReady') }, { event: 'ADDED', data: device('till-3') },
      { event: 'BOOKMARK', data: {}, id: '1' }),
    'GET /api/v1/projects/acme/apps': json(200, { items: [pumpApp, { ...pumpApp, version: '1.3.0', defaultConfiguration: {} }] }),
    ...(post ? { [`POST ${W}`]: post } : {}),
  };
}

describe('the workloads page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the workloads live with their state, staged version and devices, filtered by state', async () => {
    await openConsole('viewer', '#/projects/acme/clusters/line-1/workloads', routes());
    expect(await screen.findByRole('heading', { name: /Workloads of line-1/ })).toBeInTheDocument();
    const pumps = (await screen.findByRole('link', { name: 'pumps' })).closest('tr')!;
    expect(pumps).toHaveTextContent('pump-control@1.2.0');
    expect(pumps).toHaveTextContent('1.3.0 downloading');
    expect(pumps).toHaveTextContent('1 running of 2');
    expect(screen.getByRole('link', { name: 'pumps' })).toHaveAttribute('href', '#/projects/acme/clusters/line-1/workloads/pumps');
    expect(screen.getByText('<b>check the registry</b>')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('State'), 'failed');
    expect(screen.queryByRole('link', { name: 'pumps' })).toBeNull();
    expect(screen.getByRole('link', { name: 'valves' })).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('State'), '');
    await userEvent.type(screen.getByLabelText('Filter by name'), 'pum');
    expect(screen.queryByRole('link', { name: 'valves' })).toBeNull();
    // A viewer reads, and changes nothing.
    expect(screen.queryByRole('form', { name: 'Deploy a workload' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Deploy' })).toBeNull();
  });

  it('deploys a staged version to chosen devices with the configuration prefilled from the app', async () => {
    const api = await openConsole('owner', '#/projects/acme/clusters/line-1/workloads', routes(() => json(202, workload({ name: 'meters', state: 'staged' }))));
    const form = await screen.findByRole('form', { name: 'Deploy a workload' });
    await userEvent.type(within(form).getByLabelText('Name'), 'meters');
    await within(form).findByRole('option', { name: 'pump-control@1.2.0' });
    await userEvent.selectOptions(within(form).getByLabelText('App version'), 'pump-control@1.2.0');
    const configuration = within(form).getByLabelText('Configuration (YAML)');
    expect(configuration).toHaveValue('setpoint: 50\nmode: auto\n');
    await userEvent.clear(configuration);
    await userEvent.type(configuration, 'setpoint: 70\nmode: manual\n');
    await userEvent.type(within(form).getByLabelText('Environment'), 'LOG_LEVEL=debug');
    expect(within(form).getByLabelText('Apply when ready')).toBeDisabled();
    await userEvent.click(within(form).getByLabelText('Staged'));
    await userEvent.click(within(form).getByLabelText('Apply when ready'));
    expect(within(form).getByLabelText('Devices')).toBeDisabled();
    await userEvent.click(within(form).getByLabelText('Chosen devices'));
    await userEvent.selectOptions(within(form).getByLabelText('Devices'), ['till-1', 'till-3']);
    await userEvent.click(within(form).getByRole('button', { name: 'Deploy' }));

    expect(await within(form).findByRole('status')).toHaveTextContent('Workload meters deploy (staged) accepted: staged.');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({
      name: 'meters', title: null, app: 'pump-control', version: '1.2.0', configuration: { setpoint: 70, mode: 'manual' },
      env: { LOG_LEVEL: 'debug' }, staged: true, instantlyApply: true, nodes: ['till-1', 'till-3'],
    });
  });

  it('deploys to all devices by leaving nodes out, and says that the same name updates', async () => {
    const api = await openConsole('owner', '#/projects/acme/clusters/line-1/workloads', routes(() => json(202, workload())));
    const form = await screen.findByRole('form', { name: 'Deploy a workload' });
    await screen.findByRole('link', { name: 'pumps' });
    await userEvent.type(within(form).getByLabelText('Name'), 'pumps');
    expect(within(form).getByText('Workload pumps exists: deploying updates it.')).toBeInTheDocument();
    await within(form).findByRole('option', { name: 'pump-control@1.3.0' });
    await userEvent.selectOptions(within(form).getByLabelText('App version'), 'pump-control@1.3.0');
    expect(within(form).getByLabelText('Configuration (YAML)')).toHaveValue('');
    await userEvent.click(within(form).getByRole('button', { name: 'Deploy' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Workload pumps update accepted: running.');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({
      name: 'pumps', title: null, app: 'pump-control', version: '1.3.0', configuration: null, env: null, staged: false, instantlyApply: false, nodes: null,
    });
  });

  it('shows a bad configuration line before sending, and the API field errors at their fields', async () => {
    const api = await openConsole('owner', '#/projects/acme/clusters/line-1/workloads', routes(() => json(422, {
      type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'the request has 2 invalid fields',
      errors: [{ field: 'configuration.x', message: 'is not allowed by the app\'s configuration schema' }, { field: 'nodes[0]', message: 'till-9 is no device of cluster line-1' }],
    })));
    const form = await screen.findByRole('form', { name: 'Deploy a workload' });
    await userEvent.type(within(form).getByLabelText('Name'), 'meters');
    await within(form).findByRole('option', { name: 'pump-control@1.2.0' });
    await userEvent.selectOptions(within(form).getByLabelText('App version'), 'pump-control@1.2.0');
    const configuration = within(form).getByLabelText('Configuration (YAML)');
    await userEvent.clear(configuration);
    await userEvent.type(configuration, 'x: 1\nx: 2\n');
    await userEvent.click(within(form).getByRole('button', { name: 'Deploy' }));
    expect(configuration).toHaveAccessibleDescription('Not valid YAML: line 2, column 1: Map keys must be unique');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await userEvent.clear(configuration);
    await userEvent.type(configuration, 'x: 1\n');
    await userEvent.click(within(form).getByRole('button', { name: 'Deploy' }));
    expect(await within(form).findByText('configuration.x: is not allowed by the app\'s configuration schema')).toBeInTheDocument();
    expect(configuration).toHaveAccessibleDescription('configuration.x: is not allowed by the app\'s configuration schema');
    expect(within(form).getByLabelText('Devices')).toHaveAccessibleDescription('nodes[0]: till-9 is no device of cluster line-1');
  });
});
