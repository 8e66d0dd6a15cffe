import type { Schemas } from '../../api/client';

export type Device = Schemas['MachineDeploymentView'];
export type DeviceRequest = Schemas['MachineDeploymentRequest'];

// Records over the contract's unions: the compiler says when the contract gains or loses a value.
const PHASES: Record<Schemas['MachinePhase'], true> = {
  Pending: true, Provisioning: true, Joined: true, Ready: true, NotReady: true, Failed: true, Deprovisioning: true,
};
const ARCHITECTURES: Record<Schemas['MachineArchitecture'], true> = { amd64: true, arm64: true };
const OPERATING_SYSTEMS: Record<DeviceRequest['os'], true> = {
  'ubuntu-20.04': true, 'ubuntu-22.04': true, 'ubuntu-24.04': true, 'debian-12': true,
};

export const phases = Object.keys(PHASES) as Schemas['MachinePhase'][];
export const architectures = Object.keys(ARCHITECTURES) as Schemas['MachineArchitecture'][];
export const operatingSystems = Object.keys(OPERATING_SYSTEMS) as DeviceRequest['os'][];

export function devicesPath(project: string, cluster: string): string {
  return `/api/v1/projects/${encodeURIComponent(project)}/clusters/${encodeURIComponent(cluster)}/machinedeployments`;
}

/** `key=value` lines (blank lines skipped) as labels, or the first bad line in words. */
export function parseLabels(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) {
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (!key) {
      return { error: `line ${i + 1} ("${line}"): expected key=value` };
    }
    if (key in labels) {
      return { error: `line ${i + 1}: label ${key} is given twice` };
    }
    labels[key] = line.slice(eq + 1).trim();
  }
  return { labels };
}

/** The label filter: `key=value` matches that value, `key` alone any device having the label. */
export function labelMatcher(filter: string): (device: Device) => boolean {
  const text = filter.trim();
  if (!text) {
    return () => true;
  }
  const eq = text.indexOf('=');
  if (eq < 0) {
    return (d) => Object.hasOwn(d.labels, text);
  }
  const key = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  return (d) => Object.hasOwn(d.labels, key) && d.labels[key] === value;
}

export function labelText(labels: Record<string, string>): string[] {
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
}

/**
 * The API's messages for one field and the fields below it (`labels` takes `labels.store` too), so
 * that no message of a known field is lost.
 */
export function messagesAt(fields: Record<string, string>, field: string): string | undefined {
  const found = Object.entries(fields).filter(([f]) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`));
  return found.length ? found.map(([f, m]) => (f === field ? m : `${f}: ${m}`)).join('; ') : undefined;
}
