package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import java.util.List;
import java.util.Objects;

/** Reading the control-plane StatefulSet and Deployments as the seed cluster reports them. */
final class Workloads {
    private Workloads() {
    }

    /** Whether both run the same containers (images, commands, arguments): otherwise applying one rolls pods. */
    static boolean sameContainers(HasMetadata a, HasMetadata b) {
        return containers(a).equals(containers(b));
    }

    /** At least {@code wanted} ready pods, whatever their version. */
    static boolean available(HasMetadata workload, int wanted) {
        if (workload instanceof StatefulSet set) {
            StatefulSetStatus status = set.getStatus();
            return status != null && count(status.getReadyReplicas()) >= wanted;
        }
        DeploymentStatus status = ((Deployment) workload).getStatus();
        return status != null && count(status.getAvailableReplicas()) >= wanted;
    }

    /** The controller has seen the latest spec and every replica runs it and is ready. */
    static boolean rolledOut(HasMetadata workload) {
        long generation = Objects.requireNonNullElse(workload.getMetadata().getGeneration(), 0L);
        if (workload instanceof StatefulSet set) {
            StatefulSetStatus status = set.getStatus();
            int replicas = count(set.getSpec().getReplicas());
            return status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                    && count(status.getUpdatedReplicas()) >= replicas && count(status.getReadyReplicas()) >= replicas
                    && Objects.equals(status.getCurrentRevision(), status.getUpdateRevision());
        }
        Deployment deployment = (Deployment) workload;
        DeploymentStatus status = deployment.getStatus();
        int replicas = count(deployment.getSpec().getReplicas());
        return status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                && count(status.getUpdatedReplicas()) >= replicas && count(status.getAvailableReplicas()) >= replicas
                && count(status.getReplicas()) == count(status.getUpdatedReplicas());
    }

    private static List<List<Object>> containers(HasMetadata workload) {
        PodTemplateSpec template = workload instanceof StatefulSet set ? set.getSpec().getTemplate()
                : ((Deployment) workload).getSpec().getTemplate();
        return template.getSpec().getContainers().stream()
                .map(c -> List.<Object>of(c.getName(), Objects.toString(c.getImage()), list(c.getCommand()), list(c.getArgs())))
                .toList();
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
