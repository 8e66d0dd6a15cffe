package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which target devices a workload waits for because they have not passed their onboarding check. A device that holds
 * the workload's entry already keeps it (and gets its updates): only placing the workload anew waits. The seed's
 * device reconciler marks a passed check on the device's {@code DeviceWorkloads}; the reason shown comes from the
 * device agent's report.
 */
final class OnboardingGate {
    private OnboardingGate() {
    }

    /** The held devices and why, by name. */
    static Map<String, String> held(Collection<String> targets, Map<String, GenericKubernetesResource> objects, Set<String> withEntry,
                                    Map<String, DeviceReport> reports) {
        Map<String, String> held = new TreeMap<>();
        for (String node : targets) {
            GenericKubernetesResource object = objects.get(node);
            if (!withEntry.contains(node) && (object == null || !DeviceWorkloadsResource.onboarded(object))) {
                held.put(node, "on " + node + ": waiting for the device to pass its onboarding check (" + why(reports.get(node)) + ")");
            }
        }
        return held;
    }

    private static String why(DeviceReport report) {
        DeviceReport.OnboardingReport checked = report == null ? null : report.onboarding();
        if (checked == null || checked.checkedAt() == null) {
            return "not checked yet";
        }
        List<String> failed = checked.checks().stream().filter(c -> !c.passed()).map(c -> c.name() + ": " + c.message()).toList();
        return failed.isEmpty() ? "checked; the seed has not marked it passed yet" : String.join("; ", failed);
    }

    /** The node states with the held devices' reason in place of "waiting for the device agent". */
    static List<WorkloadStatus.NodeState> explain(List<WorkloadStatus.NodeState> states, Map<String, String> held) {
        return states.stream().map(s -> held.containsKey(s.node()) && s.state() != WorkloadState.running
                ? new WorkloadStatus.NodeState(s.node(), s.state(), held.get(s.node())) : s).collect(Collectors.toList());
    }

    /** Whether every device not yet running the workload is held: nothing moves until one passes (which wakes the workload). */
    static boolean onlyHeldOpen(List<WorkloadStatus.NodeState> states, Map<String, String> held) {
        return !held.isEmpty() && states.stream().filter(s -> s.state() != WorkloadState.running).allMatch(s -> held.containsKey(s.node()));
    }
}
