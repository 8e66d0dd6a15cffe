package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

/** Test pods: the hello-http image pinned to one node. */
public final class Pods {
    private Pods() {
    }

    /**
     * A hello-http pod on {@code node}. With {@code hostNetwork} it listens on the node's address;
     * otherwise on its pod IP in the node's CNI network.
     */
    public static Pod helloHttp(String name, String node, String image, int port, boolean hostNetwork) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withLabels(java.util.Map.of("app", name)).endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withHostNetwork(hostNetwork)
                .withAutomountServiceAccountToken(false)
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer()
                .withName("hello").withImage(image)
                .addNewEnv().withName("PORT").withValue(Integer.toString(port)).endEnv()
                .addNewEnv().withName("GREETING").withValue(name).endEnv()
                .addNewPort().withContainerPort(port).endPort()
                .endContainer()
                .endSpec()
                .build();
    }

    /** Waits for the pod to be Running with all containers ready; returns it. */
    public static Pod awaitRunning(KubernetesClient client, String namespace, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pod pod = null;
        while (System.nanoTime() < deadline) {
            pod = client.pods().inNamespace(namespace).withName(name).get();
            if (pod != null && "Running".equals(pod.getStatus().getPhase())
                    && pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()))) {
                return pod;
            }
            ApiServer.sleep(500);
        }
        throw new IllegalStateException("pod " + namespace + "/" + name + " not running after " + timeout.toSeconds()
                + " s: " + (pod == null ? "absent" : pod.getStatus()));
    }
}
