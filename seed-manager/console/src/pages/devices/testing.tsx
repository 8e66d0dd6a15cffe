import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../../App';
import { SessionProvider } from '../../session';
import { fakeApi, type Answer } from '../../test/fakeApi';
import type { Device } from './model';

/** The token the tests sign in with: nothing shown or copied may contain it. */
export const TOKEN = 'ep-secret-token-4711';

export const DEVICES = '/api/v1/projects/acme/clusters/line-1/machinedeployments';

export function device(name: string, more: Partial<Device> = {}): Device {
  return {
    name, cluster: 'line-1', os: 'debian-12', arch: 'amd64', replicas: 1, labels: {}, taints: [], ssh: null, podCidr: null,
    phase: 'Ready', nodeName: name, kubeletVersion: 'v1.36.3', addresses: ['192.0.2.10'], lastHeartbeat: new Date(Date.now() - 12000).toISOString(),
    servingCertificate: 'approved', message: null, tunnel: null, podNetwork: null, generation: 1, observedGeneration: 1,
    createdAt: '2026-12-01T10:00:00Z', ...more,
  };
}

/** The console signed in as `role` of project acme, at `hash`, against a fake seed manager. */
export async function openConsole(role: 'owner' | 'viewer', hash: string, routes: Record<string, Answer>) {
  const api = fakeApi(routes);
  vi.stubGlobal('fetch', api.fetch);
  sessionStorage.setItem('edgeplane.session', JSON.stringify({ token: TOKEN, identity: { subject: 'token:1', role, project: 'acme' } }));
  window.location.hash = hash;
  // The hash router exists from the import on: let it see the new hash before the page renders.
  await new Promise((resolve) => setTimeout(resolve, 0));
  // The first answers of the fake streams arrive within act, before the test goes on.
  await act(async () => {
    render(<SessionProvider><App /></SessionProvider>);
  });
  return api;
}

/** A watch stream that stays open and sends more events when the test says so. */
export function liveStream(...first: { event: string; data: unknown; id?: string }[]) {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const encode = (list: { event: string; data: unknown; id?: string }[]) => new TextEncoder().encode(
    list.map((e) => `${e.id ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join(''));
  return {
    answer: () => new Response(new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        c.enqueue(encode(first));
      },
    }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (...more: { event: string; data: unknown; id?: string }[]) => controller?.enqueue(encode(more)),
  };
}
