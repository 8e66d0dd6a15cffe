import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { device as registeredDevice } from './pages/devices/testing';
import { pumpApp, staged, workload } from './pages/workloads/fixtures';
import { openConsole } from './test/console';
import { events, json, openEvents } from './test/fakeApi';

const CLUSTERS = '/api/v1/projects/acme/clusters';
const CLUSTER = `${CLUSTERS}/line-1`;
const cluster = {
  name: 'line-1', project: 'acme', datacenter: 'store-hamburg-01', version: 'v1.36.3', phase: 'Running',
  podCidr: '10.244.0.0/16', generation: 1, observedGeneration: 1, createdAt: '2026-12-01T10:00:00Z',
  certificateExpiry: { apiserver: '2027-12-01T10:00:00Z' }, tunnels: { connected: 1, devices: 2 },
  conditions: [{ component: 'etcd', ready: true, reason: 'Running', since: '2026-12-01T10:00:00Z' }],
};
const device = registeredDevice('till-1', { ssh: { host: '192.0.2.10', port: 22, user: 'root', credential: 'privateKey', hostKeyFingerprint: null, knownHosts: false } });

// What every page's list and form needs from the API, answered once per stream.
const routes = {
  [`GET ${CLUSTERS}?watch=true`]: () => openEvents({ event: 'ADDED', data: cluster }, { event: 'BOOKMARK', data: {}, id: '1' }),
  [`GET ${CLUSTER}/machinedeployments?watch=true`]: () => openEvents({ event: 'ADDED', data: device }, { event: 'BOOKMARK', data: {}, id: '1' }),
  [`GET ${CLUSTER}/machinedeployments/till-1/provisioning-log?watch=true`]: () => events(
    { event: 'LINE', data: { seq: 1, attempt: 1, line: 'preflight ok', at: '2026-12-01T10:00:00Z' }, id: '1' },
    { event: 'END', data: device, id: '2' }),
  [`GET ${CLUSTER}/workloads?watch=true`]: () => openEvents(
    { event: 'ADDED', data: workload({ staged: staged('present', 'downloading') }) }, { event: 'BOOKMARK', data: {}, id: '1' }),
  'GET /api/v1/datacenters': json(200, { items: [{ name: 'store-hamburg-01', provider: 'edge', location: 'Hamburg', country: 'DE' }] }),
  'GET /api/v1/projects/acme/apps': json(200, { items: [pumpApp] }),
};

const PAGES: [string, string, RegExp][] = [
  ['clusters', '#/projects/acme', /Clusters of acme/],
  ['cluster', '#/projects/acme/clusters/line-1', /Cluster line-1/],
  ['devices', '#/projects/acme/clusters/line-1/devices', /Devices of line-1/],
  ['device', '#/projects/acme/clusters/line-1/devices/till-1', /Device till-1/],
  ['apps', '#/projects/acme/apps', /^Apps$/],
  ['workloads', '#/projects/acme/clusters/line-1/workloads', /Workloads of line-1/],
  ['workload', '#/projects/acme/clusters/line-1/workloads/pumps', /Workload pumps/],
];

// axe-core's WCAG 2 A/AA rules that jsdom can decide: every control labelled, every button named, valid ARIA,
// tables and headings well formed. Colour contrast needs a real layout engine; the browser E2E shows the pages.
async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('every page, for an owner who sees every control', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(PAGES)('%s has no accessibility violation axe can find', async (_name, hash, heading) => {
    await openConsole('owner', hash, routes);
    expect(await screen.findByRole('heading', { level: 1, name: heading })).toBeInTheDocument();
    expect(await violations()).toEqual([]);
  });
});

describe('the check itself', () => {
  it('catches an unlabelled control', async () => {
    document.body.innerHTML = '<main><h1>x</h1><input type="text"></main>';
    expect((await violations()).join('\n')).toMatch(/^label: /m);
    document.body.innerHTML = '';
  });
});
