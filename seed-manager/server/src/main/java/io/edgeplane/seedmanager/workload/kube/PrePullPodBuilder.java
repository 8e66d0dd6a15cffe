package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod that makes the kubelet pull every image of a staged version onto one device, without ever
 * running app code: bound to the node (no scheduler), never restarted, tolerating every taint, one
 * container per image whose command does not exist. Creating such a container needs the image, so
 * it is present once its container was created or failed to start; a pull error shows as the
 * container waiting with ErrImagePull/ImagePullBackOff.
 */
public final class PrePullPodBuilder {
    public static final String PREPULL_LABEL = "edgeplane.io/prepull";
    /** A path that can never be an executable, so the container fails at once instead of running. */
    public static final String COMMAND = "/dev/null/edgeplane-prepull";

    private PrePullPodBuilder() {
    }

    public static Pod build(String workload, WorkloadSpec spec, String node) {
        String hash = WorkloadSpecs.hash(spec);
        Map<String, String> labels = WorkloadPods.labels(workload, node);
        labels.put(PREPULL_LABEL, hash);
        return new PodBuilder()
                .withNewMetadata()
                .withName(WorkloadNames.prePullPod(workload, node, hash))
                .withNamespace(WorkloadPods.NAMESPACE)
                .withLabels(labels)
                .withAnnotations(Map.of(WorkloadPods.SPEC_HASH_ANNOTATION, hash))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withRestartPolicy("Never")
                .withTolerations(new TolerationBuilder().withOperator("Exists").build())
                .withContainers(containers(spec))
                .withEnableServiceLinks(false)
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(0L)
                .endSpec()
                .build();
    }

    /** Container {@code image-<i>} pulls {@code spec.images().get(i)}. */
    public static String containerName(int index) {
        return "image-" + index;
    }

    private static List<Container> containers(WorkloadSpec spec) {
        List<Container> containers = new ArrayList<>();
        List<String> images = spec.images();
        for (int i = 0; i < images.size(); i++) {
            containers.add(new ContainerBuilder()
                    .withName(containerName(i))
                    .withImage(images.get(i))
                    .withImagePullPolicy("IfNotPresent")
                    .withCommand(COMMAND)
                    .build());
        }
        return containers;
    }
}
