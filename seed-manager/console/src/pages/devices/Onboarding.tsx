import { useState } from 'react';
import { unwrap } from '../../api/client';
import { ErrorNote } from '../../components/ui';
import { useSession } from '../../session';
import type { Device } from './model';

type Condition = Device['conditions'][number];

const STATUS: Record<string, string> = { True: 'passed', False: 'failed', Unknown: 'not known yet' };

/**
 * The device's onboarding check: whether it gets new workloads (Onboarded) and each condition with why, live from the
 * device list's stream; an owner may run the check again.
 */
export function Onboarding({ project, device, canChange }: { project: string; device: Device; canChange: boolean }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>();
  const [asked, setAsked] = useState(false);
  const onboarded = device.conditions.find((c) => c.type === 'Onboarded');
  const checks = device.conditions.filter((c) => c.type !== 'Onboarded');
  const runAgain = async () => {
    setError(undefined);
    try {
      await unwrap(api.POST('/api/v1/projects/{project}/clusters/{cluster}/machinedeployments/{name}/onboarding-check', {
        params: { path: { project, cluster: device.cluster, name: device.name } },
      }));
      setAsked(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="onboarding-title" className="panel">
      <h2 id="onboarding-title">Onboarding check</h2>
      <p role="status">
        {onboarded
          ? <><strong>{onboarded.status === 'True' ? 'Gets workloads' : 'New workloads wait'}</strong>: {onboarded.message}</>
          : 'Not checked yet: the device is checked once its node has joined.'}
      </p>
      {checks.length ? (
        <table>
          <caption>Checks of request {device.onboardingRequest}</caption>
          <thead><tr><th scope="col">Condition</th><th scope="col">Status</th><th scope="col">Why</th><th scope="col">Since</th></tr></thead>
          <tbody>{checks.map((c) => <ConditionRow key={c.type} condition={c} />)}</tbody>
        </table>
      ) : null}
      {canChange ? (
        <p>
          <button type="button" onClick={() => void runAgain()}>Run onboarding check again</button>{' '}
          <span className="hint">{asked ? 'asked: the device checks again; new workloads wait until it passes'
            : 'new workloads wait until it passes; those it runs stay'}</span>
        </p>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}

function ConditionRow({ condition }: { condition: Condition }) {
  return (
    <tr>
      <th scope="row">{condition.type}</th>
      <td>{STATUS[condition.status] ?? condition.status}</td>
      <td>{condition.message ?? ''}</td>
      <td>{condition.lastTransitionTime
        ? <time dateTime={condition.lastTransitionTime}>{new Date(condition.lastTransitionTime).toLocaleString()}</time> : '—'}</td>
    </tr>
  );
}
