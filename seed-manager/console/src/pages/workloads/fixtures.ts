/** Objects as the API shows them, for the workload pages' tests. */
export const pumpApp = {
  name: 'pump-control', version: '1.2.0', title: 'Pump control', description: 'Keeps the pumps at their setpoint',
  containers: [{ name: 'app', image: 'registry.example.com/acme/pump-control:1.2.0', env: {}, ports: [] }],
  inputs: [], outputs: [], defaultConfiguration: { setpoint: 50, mode: 'auto' }, createdAt: '2026-12-01T10:00:00Z',
};

export function device(name: string, phase = 'Ready') {
  return {
    name, cluster: 'line-1', project: 'acme', arch: 'amd64', os: 'linux', phase, nodeName: name, labels: {}, taints: [], addresses: [],
    generation: 1, observedGeneration: 1, replicas: 1, kubeletVersion: 'v1.36.3', lastHeartbeat: null, message: null,
    podCidr: null, servingCertificate: null, createdAt: '2026-12-01T10:00:00Z',
  };
}

export function workload(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'Workload', name: 'pumps', cluster: 'line-1', title: 'Pumps', app: 'pump-control', version: '1.2.0',
    nodes: ['till-1', 'till-2'], configuration: { setpoint: 60 }, run: true, state: 'running', message: null, warnings: [],
    lastSeen: new Date().toISOString(), generation: 2, observedGeneration: 2, deleteRequested: false,
    createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z',
    nodeStates: [{ node: 'till-1', state: 'running' }, { node: 'till-2', state: 'unreachable', message: 'till-2 is not heard from since 10:00' }],
    deviceActions: [], staged: null,
    ...overrides,
  };
}

export function staged(till1: string, till2: string, state = 'downloading') {
  return {
    app: 'pump-control', version: '1.3.0', state, message: null, instantlyApply: false,
    nodes: [
      { node: 'till-1', images: [{ image: 'registry.example.com/acme/pump-control:1.3.0', state: till1 }] },
      { node: 'till-2', images: [{ image: 'registry.example.com/acme/pump-control:1.3.0', state: till2, message: till2 === 'failed' ? 'ErrImagePull: not found' : null }] },
    ],
  };
}
