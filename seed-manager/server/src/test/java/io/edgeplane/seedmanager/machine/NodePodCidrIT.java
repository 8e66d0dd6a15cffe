package io.edgeplane.seedmanager.machine;

import io.edgeplane.testbed.ApiServer;
import io.edgeplane.testbed.ApiServerExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A device's pod range written into its Node, against a real kube-apiserver (which forbids changing a set range). */
@ExtendWith(ApiServerExtension.class)
class NodePodCidrIT {

    @Test
    void anEmptyRangeIsSetOnceAndThenLeftAsItIs(ApiServer server) {
        KubernetesClient client = server.client();
        register(client, "pod-cidr-new", null);

        assertThat(NodePodCidr.ensure(client, "pod-cidr-new", "10.244.7.0/24")).isEqualTo(NodePodCidr.Outcome.SET);
        Node node = client.nodes().withName("pod-cidr-new").get();
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.244.7.0/24");
        assertThat(node.getSpec().getPodCIDRs()).containsExactly("10.244.7.0/24");
        String version = node.getMetadata().getResourceVersion();

        assertThat(NodePodCidr.ensure(client, "pod-cidr-new", "10.244.7.0/24")).isEqualTo(NodePodCidr.Outcome.ALREADY_SET);
        assertThat(client.nodes().withName("pod-cidr-new").get().getMetadata().getResourceVersion()).as("not written again")
                .isEqualTo(version);
    }

    @Test
    void aNodeWithAnotherRangeKeepsIt(ApiServer server) {
        KubernetesClient client = server.client();
        register(client, "pod-cidr-other", "10.99.0.0/24");

        assertThat(NodePodCidr.ensure(client, "pod-cidr-other", "10.244.8.0/24")).isEqualTo(NodePodCidr.Outcome.DIFFERENT_KEPT);
        Node node = client.nodes().withName("pod-cidr-other").get();
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.99.0.0/24");
        assertThat(node.getSpec().getPodCIDRs()).containsExactly("10.99.0.0/24");
    }

    @Test
    void noNodeYetChangesNothing(ApiServer server) {
        assertThat(NodePodCidr.ensure(server.client(), "pod-cidr-absent", "10.244.9.0/24")).isEqualTo(NodePodCidr.Outcome.NO_NODE);
        assertThat(server.client().nodes().withName("pod-cidr-absent").get()).isNull();
    }

    private static void register(KubernetesClient client, String name, String podCidr) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (podCidr != null) {
            node.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(List.of(podCidr)).endSpec();
        }
        client.nodes().resource(node.build()).create();
    }
}
