import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { unwrap } from '../api/client';
import { ConfirmButton, ErrorNote, Phase, StreamBadge, saveFile } from '../components/ui';
import { useLiveList } from '../hooks';
import { useSession } from '../session';
import { DeviceFacts } from './devices/DeviceFacts';
import { devicesPath, type Device } from './devices/model';
import { Onboarding } from './devices/Onboarding';
import { ProvisioningScript } from './devices/ProvisioningScript';
import { SshDelivery } from './devices/ProvisioningLog';

/** One device, live: its facts, its onboarding check, how to provision it (by hand or over SSH, with the log), and deprovisioning. */
export function DevicePage() {
  const { project = '', cluster = '', name = '' } = useParams();
  const { canChange } = useSession();
  const devices = useLiveList<Device>(devicesPath(project, cluster), (d) => d.name);
  const device = devices.items.find((d) => d.name === name);
  const list = `/projects/${project}/clusters/${cluster}/devices`;
  if (!devices.synced) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (!device) {
    return <p role="status">Device {name} does not exist (any more). <Link to={list}>All devices of {cluster}</Link></p>;
  }
  return (
    <section aria-labelledby="device-title">
      <h1 id="device-title">Device {device.name} <Phase value={device.phase} /> <StreamBadge status={devices.status} /></h1>
      <p><Link to={list}>All devices of {cluster}</Link></p>
      <DeviceFacts device={device} />
      <Onboarding project={project} device={device} canChange={canChange} />
      {canChange ? <ProvisioningScript project={project} device={device} /> : null}
      {device.ssh ? <SshDelivery project={project} device={device} /> : null}
      {canChange ? <Deprovision project={project} device={device} list={list} /> : null}
    </section>
  );
}

function Deprovision({ project, device, list }: { project: string; device: Device; list: string }) {
  const { api } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const path = { project, cluster: device.cluster, name: device.name };
  const downloadScript = async () => {
    setError(undefined);
    try {
      const script = await unwrap(api.GET('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments/{name}/deprovisioning-script', {
        params: { path }, parseAs: 'text',
      }));
      saveFile(new Blob([script as string], { type: 'text/x-shellscript' }), `deprovision-${device.name}.sh`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="deprovision-title" className="panel">
      <h2 id="deprovision-title">Deprovision</h2>
      {device.ssh ? null : (
        <p>
          <button type="button" onClick={() => void downloadScript()}>Download deprovisioning script</button>{' '}
          <span className="hint">run it on the device as root before deprovisioning it here</span>
        </p>
      )}
      <ErrorNote error={error} />
      <ConfirmButton label="Deprovision device" name={device.name}
        what={(
          <p>
            The node {device.nodeName ?? device.name} is removed from the cluster, the device's tokens are revoked and its
            node identity is refused from then on.{' '}
            {device.ssh
              ? 'The deprovision script runs on the device over SSH first (best effort: a device that is gone does not block the removal).'
              : 'Without SSH nothing runs on the device: run its deprovisioning script there first to clean it up.'}
          </p>
        )}
        onConfirm={async () => {
          await unwrap(api.DELETE('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments/{name}', { params: { path } }));
          navigate(list);
        }} />
    </section>
  );
}
