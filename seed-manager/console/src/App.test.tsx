import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { SessionProvider } from './session';
import { events, fakeApi, json, openEvents } from './test/fakeApi';

const cluster = {
  name: 'line-1', project: 'acme', datacenter: 'store-hamburg-01', version: 'v1.36.3', phase: 'Running',
  podCidr: '10.244.0.0/16', generation: 1, observedGeneration: 1, createdAt: '2026-12-01T10:00:00Z',
  message: '<script>window.hacked = true</script>', certificateExpiry: { apiserver: '2027-12-01T10:00:00Z' },
  conditions: [{ component: 'etcd', ready: true, reason: 'Running', since: '2026-12-01T10:00:00Z' },
    { component: 'kube-apiserver', ready: false, reason: 'Starting', since: '2026-12-01T10:00:00Z' }],
};

function start(role: 'admin' | 'owner' | 'viewer', hash = '#/') {
  const api = fakeApi({
    'GET /api/v1/whoami': (r) => (r.headers.get('Authorization') === 'Bearer good'
      ? json(200, { subject: role === 'admin' ? 'admin' : 'token:1', role, project: role === 'admin' ? undefined : 'acme' })
      : json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'a valid bearer token is required' })),
    'GET /api/v1/projects/acme/clusters?watch=true': () => openEvents({ event: 'ADDED', data: cluster }, { event: 'BOOKMARK', data: {}, id: '1' }),
    'GET /api/v1/projects/acme/clusters/line-1/machinedeployments?watch=true': () => events({ event: 'BOOKMARK', data: {}, id: '1' }),
    'GET /api/v1/datacenters': json(200, { items: [{ name: 'store-hamburg-01', provider: 'edge', location: 'Hamburg', country: 'DE' }] }),
  });
  vi.stubGlobal('fetch', api.fetch);
  window.location.hash = hash;
  render(<SessionProvider><App /></SessionProvider>);
  return api;
}

async function signIn(token: string) {
  await userEvent.type(screen.getByLabelText(/API token/), token);
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the console', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  it('refuses a bad token and keeps nothing', async () => {
    start('owner');
    await signIn('bad');
    expect(await screen.findByRole('alert')).toHaveTextContent('this token is not valid');
    expect(sessionStorage.length).toBe(0);
  });

  it('signs an owner in to its project, keeps the token in the session only, never in the URL', async () => {
    const api = start('owner');
    await signIn('good');
    expect(await screen.findByRole('heading', { name: /Clusters of acme/ })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'line-1' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: /create a cluster/i })).toBeInTheDocument();
    expect(window.location.href).not.toContain('good');
    expect(api.requests.every((r) => !r.path.includes('good'))).toBe(true);
    expect(sessionStorage.getItem('edgeplane.session')).toContain('good');
    expect(localStorage.length).toBe(0);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText(/API token/)).toBeInTheDocument();
    expect(sessionStorage.length).toBe(0);
  });

  it('is usable with the keyboard alone: sign in, reach a control, confirm a deletion', async () => {
    const api = start('owner', '#/projects/acme/clusters/line-1');
    let deleted = false;
    api.routes['DELETE /api/v1/projects/acme/clusters/line-1'] = () => {
      deleted = true;
      return new Response(null, { status: 202 });
    };
    const keyboard = userEvent.setup();
    await keyboard.tab();
    expect(screen.getByLabelText(/API token/)).toHaveFocus();
    await keyboard.keyboard('good{Enter}');
    expect(await screen.findByRole('heading', { name: /Cluster line-1/ })).toBeInTheDocument();

    const remove = screen.getByRole('button', { name: 'Delete cluster' });
    for (let i = 0; i < 60 && document.activeElement !== remove; i++) {
      await keyboard.tab();
    }
    expect(remove).toHaveFocus();
    await keyboard.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: 'Delete cluster line-1' });
    expect(within(dialog).getByLabelText(/to confirm/)).toHaveFocus();
    await keyboard.keyboard('line-1{Enter}');
    await vi.waitFor(() => expect(deleted).toBe(true));
  });

  it('shows a viewer no control that changes anything', async () => {
    start('viewer', '#/projects/acme/clusters/line-1');
    await signIn('good');
    expect(await screen.findByRole('heading', { name: /Cluster line-1/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Delete|Upgrade|kubeconfig/ })).toBeNull();
    expect(screen.queryByRole('form', { name: /create/i })).toBeNull();
  });

  it('renders text from the fleet as text, never as markup', async () => {
    start('owner', '#/projects/acme/clusters/line-1');
    await signIn('good');
    expect(await screen.findByText('<script>window.hacked = true</script>')).toBeInTheDocument();
    expect(document.querySelectorAll('main script')).toHaveLength(0);
    expect((window as unknown as { hacked?: boolean }).hacked).toBeUndefined();
    expect(within(screen.getByRole('region', { name: 'Components' })).getByText('kube-apiserver')).toBeInTheDocument();
  });
});
