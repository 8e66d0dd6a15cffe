import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, openEvents } from '../test/fakeApi';
import { DEVICES, device, openConsole } from './devices/testing';

const LIST = '#/projects/acme/clusters/line-1/devices';

/** dev-0000 … dev-0999, sent in reverse order; every 10th NotReady, stores s0..s3, every 100th a canary. */
function thousand() {
  const list = [];
  for (let i = 999; i >= 0; i--) {
    const name = `dev-${String(i).padStart(4, '0')}`;
    list.push({ event: 'ADDED', data: device(name, {
      phase: i % 10 === 0 ? 'NotReady' : 'Ready',
      labels: { store: `s${i % 4}`, ...(i % 100 === 0 ? { canary: 'yes' } : {}) },
      tunnel: i % 2 === 0 ? { state: 'connected' } : null,
    }) });
  }
  return list;
}

// Plain DOM queries for the big table: role queries compute every element's style, slowly in jsdom.
function pageText() {
  return document.querySelector('nav.pager')?.textContent;
}

function rowNames() {
  return [...document.querySelectorAll('main table tbody tr td:first-child a')].map((l) => l.textContent);
}

describe('the devices page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists 1,000 devices from the watch stream, 50 a page, sorted by name, and filters them', async () => {
    await openConsole('owner', LIST, {
      [`GET ${DEVICES}?watch=true`]: () => openEvents(...thousand(), { event: 'BOOKMARK', data: {}, id: '1' },
        { event: 'MODIFIED', data: device('dev-0001', { phase: 'Failed', labels: { store: 's1' } }), id: '2' }),
    });
    expect(await screen.findByRole('heading', { name: /Devices of line-1/ })).toBeInTheDocument();
    await waitFor(() => expect(pageText()).toContain('page 1 of 20 (1000 shown of 1000)'));
    expect(rowNames()).toHaveLength(50);
    expect(rowNames().slice(0, 3)).toEqual(['dev-0000', 'dev-0001', 'dev-0002']);
    expect(document.querySelector('main table a')).toHaveAttribute('href', '#/projects/acme/clusters/line-1/devices/dev-0000');

    // Plain change events: each one filters the 1,000 devices again, and jsdom is slow enough as it is.
    const byName = screen.getByLabelText('Filter by name');
    const phase = screen.getByLabelText('Phase');
    const label = screen.getByLabelText('Label');
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(pageText()).toContain('page 2 of 20');
    expect(rowNames()[0]).toBe('dev-0050');

    fireEvent.change(byName, { target: { value: 'dev-09' } });
    expect(pageText()).toContain('page 1 of 2 (100 shown of 1000)');
    expect(rowNames()[0]).toBe('dev-0900');
    fireEvent.change(byName, { target: { value: '' } });

    // The change after the bookmark is live: dev-0001 failed.
    fireEvent.change(phase, { target: { value: 'Failed' } });
    expect(pageText()).toContain('(1 shown of 1000)');
    expect(rowNames()).toEqual(['dev-0001']);
    fireEvent.change(phase, { target: { value: 'NotReady' } });
    expect(pageText()).toContain('page 1 of 2 (100 shown of 1000)');

    fireEvent.change(phase, { target: { value: '' } });
    fireEvent.change(label, { target: { value: 'store=s1' } });
    expect(pageText()).toContain('page 1 of 5 (250 shown of 1000)');
    fireEvent.change(label, { target: { value: 'canary' } });
    expect(pageText()).toContain('(10 shown of 1000)');
    fireEvent.change(phase, { target: { value: 'NotReady' } });
    fireEvent.change(byName, { target: { value: '0500' } });
    expect(rowNames()).toEqual(['dev-0500']);
    const row = document.querySelector('main table tbody tr')!;
    expect(row).toHaveTextContent('canary=yes');
    expect(row).toHaveTextContent('store=s0');
    expect(row).toHaveTextContent('connected');
    expect(row).toHaveTextContent('v1.36.3');
    expect(row).toHaveTextContent(/\d+ s ago/);
    fireEvent.change(byName, { target: { value: 'nothing-like-this' } });
    expect(screen.getByText('No device matches these filters.')).toBeInTheDocument();
  // Rendering a fresh page of 50 rows takes jsdom 100-500 ms on this shared 2-core machine; a browser is far quicker.
  }, 20000);

  it('registers a device and shows the API\'s 422 at the Name and SSH host fields', async () => {
    const api = await openConsole('owner', LIST, {
      [`GET ${DEVICES}?watch=true`]: () => openEvents({ event: 'BOOKMARK', data: {}, id: '1' }),
      [`POST ${DEVICES}`]: (r) => ((r.body as { name: string }).name === 'till-1'
        ? json(201, device('till-1', { phase: 'Pending' }))
        : json(422, { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'the request has 2 invalid fields',
          errors: [{ field: 'name', message: 'must be a DNS-1123 label' }, { field: 'ssh.host', message: 'must not be blank' }] })),
    });
    const form = await screen.findByRole('form', { name: 'Register a device' });
    const f = within(form);
    await userEvent.type(f.getByLabelText('Name'), 'Till_1');
    await userEvent.selectOptions(f.getByLabelText('Architecture'), 'arm64');
    await userEvent.selectOptions(f.getByLabelText('Operating system'), 'ubuntu-22.04');
    await userEvent.type(f.getByLabelText('Labels'), 'store=hamburg-01{enter}line = 2{enter}');
    await userEvent.type(f.getByLabelText('SSH user'), 'edge');
    await userEvent.type(f.getByLabelText('SSH port'), '2222');
    await userEvent.type(f.getByLabelText('SSH private key'), '-----BEGIN OPENSSH PRIVATE KEY-----');
    await userEvent.click(f.getByRole('button', { name: 'Register device' }));

    await waitFor(() => expect(f.getByLabelText('Name')).toHaveAccessibleDescription('must be a DNS-1123 label'));
    expect(f.getByLabelText('SSH host')).toHaveAccessibleDescription('must not be blank');
    expect(f.getByLabelText('SSH user')).not.toHaveAccessibleDescription(/must/);
    const sent = api.requests.find((r) => r.method === 'POST')!.body;
    expect(sent).toEqual({
      name: 'Till_1', arch: 'arm64', os: 'ubuntu-22.04', labels: { store: 'hamburg-01', line: '2' }, replicas: 1,
      ssh: { host: '', port: 2222, user: 'edge', hostKeyFingerprint: null, credential: { privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\n' } },
    });

    await userEvent.clear(f.getByLabelText('Name'));
    await userEvent.type(f.getByLabelText('Name'), 'till-1');
    await userEvent.type(f.getByLabelText('SSH host'), '10.0.0.7');
    await userEvent.click(f.getByRole('button', { name: 'Register device' }));
    expect(await f.findByRole('status')).toHaveTextContent('Device till-1 is registered.');
    expect(f.getByLabelText('Name')).toHaveValue('');
    expect(f.getByLabelText('SSH host')).not.toHaveAccessibleDescription(/must/);
  });

  it('reports a bad label line at the Labels field before sending anything', async () => {
    const api = await openConsole('owner', LIST, { [`GET ${DEVICES}?watch=true`]: () => openEvents({ event: 'BOOKMARK', data: {}, id: '1' }) });
    const form = await screen.findByRole('form', { name: 'Register a device' });
    await userEvent.type(within(form).getByLabelText('Name'), 'till-2');
    await userEvent.type(within(form).getByLabelText('Labels'), 'store=hamburg{enter}oops');
    await userEvent.click(within(form).getByRole('button', { name: 'Register device' }));
    expect(within(form).getByLabelText('Labels')).toHaveAccessibleDescription('line 2 ("oops"): expected key=value');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('shows a viewer the list without the register form, and fleet text as text', async () => {
    await openConsole('viewer', LIST, {
      [`GET ${DEVICES}?watch=true`]: () => openEvents({ event: 'ADDED', data: device('till-1', { labels: { note: '<script>window.hacked = true</script>' } }) },
        { event: 'BOOKMARK', data: {}, id: '1' }),
    });
    expect(await screen.findByText('note=<script>window.hacked = true</script>')).toBeInTheDocument();
    expect(document.querySelectorAll('main script')).toHaveLength(0);
    expect((window as unknown as { hacked?: boolean }).hacked).toBeUndefined();
    expect(screen.queryByRole('form', { name: 'Register a device' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Register/ })).toBeNull();
  });
});
