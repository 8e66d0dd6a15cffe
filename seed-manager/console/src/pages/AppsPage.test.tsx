import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, type Recorded } from '../test/fakeApi';
import { openConsole } from '../test/console';

const pump = {
  name: 'pump-control', version: '1.2.0', title: 'Pump control', description: '<script>alert(1)</script>',
  containers: [{ name: 'app', image: 'registry.example.com/acme/pump-control:1.2.0', env: {}, ports: [] }],
  inputs: [], outputs: [], defaultConfiguration: { setpoint: 50 }, createdAt: '2026-12-01T10:00:00Z',
};

const APP_YAML = `name: valve
version: 0.1.0
title: Valves
containers:
  - name: app
    image: registry.example.com/acme/valve:0.1.0
defaultConfiguration:
  open: [1, 2]
`;

async function paste(label: string, text: string) {
  const field = screen.getByLabelText(label);
  await userEvent.clear(field);
  await userEvent.click(field);
  await userEvent.paste(text);
}

describe('the apps page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists app versions with their description as text, never as markup', async () => {
    await openConsole('owner', '#/projects/acme/apps', { 'GET /api/v1/projects/acme/apps': json(200, { items: [pump] }) });
    expect(await screen.findByText('<script>alert(1)</script>')).toBeInTheDocument();
    const row = screen.getByRole('row', { name: /pump-control/ });
    expect(within(row).getByText('Pump control')).toBeInTheDocument();
    expect(within(row).getByText('registry.example.com/acme/pump-control:1.2.0')).toBeInTheDocument();
    expect(document.querySelectorAll('main script')).toHaveLength(0);
  });

  it('registers an app from YAML: a bad line is reported before sending, the API field errors are listed by path', async () => {
    const answers = [
      json(422, { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'the request has 1 invalid field',
        errors: [{ field: 'containers[0].image', message: 'must be a pinned image reference' }] }),
      json(201, { ...pump, name: 'valve', version: '0.1.0', description: '' }),
      json(200, { ...pump, name: 'valve', version: '0.1.0', description: '' }),
    ];
    const api = await openConsole('owner', '#/projects/acme/apps', {
      'GET /api/v1/projects/acme/apps': json(200, { items: [pump] }),
      'POST /api/v1/projects/acme/apps': () => answers.shift()!,
    });
    expect(await screen.findByRole('heading', { name: 'Apps' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Register an app version' });

    await paste('App (YAML)', 'name: valve\nversion: 0.1.0: x\n');
    await userEvent.click(within(form).getByRole('button', { name: 'Register app' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(/Not valid YAML or JSON: line 2, column \d+/);
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await paste('App (YAML)', APP_YAML);
    await userEvent.click(within(form).getByRole('button', { name: 'Register app' }));
    const invalid = await within(form).findByRole('list', { name: 'invalid fields' });
    expect(invalid).toHaveTextContent('containers[0].image: must be a pinned image reference');
    const posts = () => api.requests.filter((r: Recorded) => r.method === 'POST');
    expect(posts()[0]!.body).toEqual({
      name: 'valve', version: '0.1.0', title: 'Valves',
      containers: [{ name: 'app', image: 'registry.example.com/acme/valve:0.1.0' }], defaultConfiguration: { open: [1, 2] },
    });

    await userEvent.click(within(form).getByRole('button', { name: 'Register app' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('App valve@0.1.0 registered.');
    expect(within(form).queryByRole('list', { name: 'invalid fields' })).toBeNull();
    // The list is read again after a registration.
    expect(api.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/projects/acme/apps')).length).toBeGreaterThanOrEqual(2);

    await userEvent.click(within(form).getByRole('button', { name: 'Register app' }));
    expect(await within(form).findByText(/App valve@0.1.0 replaced/)).toBeInTheDocument();
  });

  it('takes JSON as well', async () => {
    const api = await openConsole('owner', '#/projects/acme/apps', {
      'GET /api/v1/projects/acme/apps': json(200, { items: [] }),
      'POST /api/v1/projects/acme/apps': json(201, pump),
    });
    expect(await screen.findByText('No apps registered yet.')).toBeInTheDocument();
    await paste('App (YAML)', '{"name": "pump-control", "version": "1.2.0", "containers": [{"name": "app", "image": "x:1"}]}');
    await userEvent.click(screen.getByRole('button', { name: 'Register app' }));
    expect(await screen.findByRole('status')).toHaveTextContent('registered');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({ name: 'pump-control', version: '1.2.0', containers: [{ name: 'app', image: 'x:1' }] });
  });

  it('starts from an example that registers as it is', async () => {
    const api = await openConsole('owner', '#/projects/acme/apps', {
      'GET /api/v1/projects/acme/apps': json(200, { items: [] }),
      'POST /api/v1/projects/acme/apps': json(201, pump),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Start from an example' }));
    expect((screen.getByLabelText('App (YAML)') as HTMLTextAreaElement).value).toContain('name: pump-control');
    await userEvent.click(screen.getByRole('button', { name: 'Register app' }));
    expect(await screen.findByRole('status')).toHaveTextContent('registered');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toMatchObject({
      name: 'pump-control', version: '1.2.0', defaultConfiguration: { setpoint: 50 },
      configurationSchema: { type: 'object', properties: { setpoint: { type: 'number' } } },
    });
  });

  it('shows a viewer the apps and no form', async () => {
    await openConsole('viewer', '#/projects/acme/apps', { 'GET /api/v1/projects/acme/apps': json(200, { items: [pump] }) });
    expect(await screen.findByText('pump-control')).toBeInTheDocument();
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.queryByRole('button', { name: /Register/ })).toBeNull();
  });
});
