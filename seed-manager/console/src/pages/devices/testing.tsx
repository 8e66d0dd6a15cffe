import { liveStream, openConsole as openInBrowser } from '../../test/console';
import type { Answer } from '../../test/fakeApi';
import type { Device } from './model';

/** The token the tests sign in with: nothing shown or copied may contain it. */
export const TOKEN = 'ep-secret-token-4711';

export const DEVICES = '/api/v1/projects/acme/clusters/line-1/machinedeployments';

export function device(name: string, more: Partial<Device> = {}): Device {
  return {
    name, cluster: 'line-1', os: 'debian-12', arch: 'amd64', replicas: 1, labels: {}, taints: [], ssh: null, podCidr: null,
    phase: 'Ready', nodeName: name, kubeletVersion: 'v1.36.3', addresses: ['192.0.2.10'], lastHeartbeat: new Date(Date.now() - 12000).toISOString(),
    servingCertificate: 'approved', message: null, tunnel: null, podNetwork: null, onboardingRequest: 1, onboardedRequest: null, conditions: [],
    generation: 1, observedGeneration: 1,
    createdAt: '2026-12-01T10:00:00Z', ...more,
  };
}

/** The console signed in as `role` of project acme with {@link TOKEN}, at `hash`, against a fake seed manager. */
export function openConsole(role: 'owner' | 'viewer', hash: string, routes: Record<string, Answer>) {
  return openInBrowser(role, hash, routes, TOKEN);
}

export { liveStream };
