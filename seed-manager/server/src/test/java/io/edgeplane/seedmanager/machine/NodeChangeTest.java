package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which node updates change what a device shows, and so wake it. */
class NodeChangeTest {

    @Test
    void aStatusUpdateWithNewHeartbeatTimesOnlyShowsNothing() {
        Node before = node("uid-1", "True", "10.0.0.1", "v1.36.3", "2026-01-01T00:00:00Z");
        Node after = new NodeBuilder(node("uid-1", "True", "10.0.0.1", "v1.36.3", "2026-01-01T00:00:10Z"))
                .editMetadata().withResourceVersion("2").endMetadata().build();
        assertThat(NodeChange.shown(before, after)).isFalse();
        assertThat(NodeChange.shown(before, before)).as("a resync").isFalse();
    }

    @Test
    void readinessAddressesKubeletAndIdentityAreShown() {
        Node before = node("uid-1", "True", "10.0.0.1", "v1.36.3", "2026-01-01T00:00:00Z");
        assertThat(NodeChange.shown(before, node("uid-1", "Unknown", "10.0.0.1", "v1.36.3", "2026-01-01T00:00:00Z"))).isTrue();
        assertThat(NodeChange.shown(before, node("uid-1", "True", "10.0.0.2", "v1.36.3", "2026-01-01T00:00:00Z"))).isTrue();
        assertThat(NodeChange.shown(before, node("uid-1", "True", "10.0.0.1", "v1.36.4", "2026-01-01T00:00:00Z"))).isTrue();
        assertThat(NodeChange.shown(before, node("uid-2", "True", "10.0.0.1", "v1.36.3", "2026-01-01T00:00:00Z")))
                .as("registered again").isTrue();
        assertThat(NodeChange.shown(new NodeBuilder().withNewMetadata().withName("edge-1").withUid("uid-1").endMetadata().build(), before))
                .as("its first status").isTrue();
    }

    @Test
    void readinessIsTheReadyConditionsStatus() {
        assertThat(NodeChange.ready(node("uid-1", "False", "10.0.0.1", "v1.36.3", "2026-01-01T00:00:00Z"))).isEqualTo("False");
        assertThat(NodeChange.ready(new NodeBuilder().withNewMetadata().withName("edge-1").endMetadata().build())).isNull();
    }

    private static Node node(String uid, String ready, String address, String kubelet, String heartbeat) {
        return new NodeBuilder().withNewMetadata().withName("edge-1").withUid(uid).withResourceVersion("1").endMetadata()
                .withNewStatus()
                .addNewCondition().withType("MemoryPressure").withStatus("False").withLastHeartbeatTime(heartbeat).endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).withLastHeartbeatTime(heartbeat)
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                .addNewAddress().withType("InternalIP").withAddress(address).endAddress()
                .addNewAddress().withType("Hostname").withAddress("edge-1").endAddress()
                .withNewNodeInfo().withKubeletVersion(kubelet).endNodeInfo()
                .endStatus().build();
    }
}
