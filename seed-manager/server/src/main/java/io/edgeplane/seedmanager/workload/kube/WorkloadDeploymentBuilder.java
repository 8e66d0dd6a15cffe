package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;

import java.util.Map;

/**
 * The Deployment of a workload on one device: one replica (zero when stopped) of the shared pod
 * template, pinned to the node. Versions with host ports are replaced (Recreate), since two pods
 * cannot hold the same port on one device; others roll with a surge so the old pod serves until the
 * new one is ready.
 */
public final class WorkloadDeploymentBuilder {
    private WorkloadDeploymentBuilder() {
    }

    public static Deployment build(String workload, WorkloadSpec spec, String node, boolean run) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(WorkloadNames.deployment(workload, node))
                .withNamespace(WorkloadPods.NAMESPACE)
                .withLabels(WorkloadPods.labels(workload, node))
                .withAnnotations(Map.of(WorkloadPods.SPEC_HASH_ANNOTATION, WorkloadSpecs.hash(spec)))
                .endMetadata()
                .withNewSpec()
                .withReplicas(run ? 1 : 0)
                .withRevisionHistoryLimit(2)
                .withNewSelector().withMatchLabels(WorkloadPods.labels(workload, node)).endSelector()
                .withStrategy(strategy(spec))
                .withTemplate(WorkloadPods.template(workload, spec, node, WorkloadConfigMapBuilder.volume(workload, spec)))
                .endSpec()
                .build();
    }

    private static DeploymentStrategy strategy(WorkloadSpec spec) {
        if (WorkloadPods.usesHostPorts(spec)) {
            return new DeploymentStrategyBuilder().withType("Recreate").build();
        }
        return new DeploymentStrategyBuilder().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .build();
    }
}
