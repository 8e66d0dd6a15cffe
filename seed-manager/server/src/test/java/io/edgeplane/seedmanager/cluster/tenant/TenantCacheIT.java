package io.edgeplane.seedmanager.cluster.tenant;

import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import io.edgeplane.testbed.ApiServer;
import io.edgeplane.testbed.ApiServerExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant cache against a real kube-apiserver: reads come from the informers' stores once they
 * have listed (the same object twice, no request), follow changes, and come from the apiserver for
 * a cluster that is not watched.
 */
@ExtendWith(ApiServerExtension.class)
class TenantCacheIT {
    private static final String NODE = "cache-edge-1";

    @Test
    void servesByNameOnceListedAndFollowsChanges(ApiServer server) throws Exception {
        KubernetesClient client = server.client();
        client.nodes().resource(node(NODE, "10.222.0.11")).create();
        Instant renewed = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        client.leases().inNamespace(TenantKinds.NODE_LEASE_NAMESPACE).resource(lease(NODE, renewed)).create();
        new DeviceWorkloadsClient(client).ensureDevice(NODE);
        int beyondOnePage = (int) TenantCache.PAGE + 10;   // the informer lists in pages: all of them arrive
        for (int i = 0; i < beyondOnePage; i++) {
            client.leases().inNamespace(TenantKinds.NODE_LEASE_NAMESPACE).resource(lease("cache-page-" + i, renewed)).create();
        }

        List<String> changes = new CopyOnWriteArrayList<>();
        List<String> requested = new CopyOnWriteArrayList<>();
        try (KubernetesClient recorded = recording(client, requested);
             TenantCache cache = new TenantCache(Duration.ofSeconds(1), () -> List.of("c1"), id -> Optional.of(recorded), id -> "cluster=it/" + id)) {
            cache.listen(TenantKinds.NODES, new TenantListener<>() {
                @Override
                public void added(String clusterId, Node node) {
                    changes.add("added " + clusterId + "/" + node.getMetadata().getName());
                }

                @Override
                public void updated(String clusterId, Node before, Node after) {
                    changes.add("updated " + clusterId + "/" + after.getMetadata().getName());
                }
            });
            TenantView view = cache.view("c1", client);
            assertThat(view.node(NODE).orElseThrow()).as("not watched yet: from the apiserver, a new object each time")
                    .isNotSameAs(view.node(NODE).orElseThrow());

            cache.start();
            await("every kind listed", () -> TenantKinds.ALL.stream().allMatch(kind -> cache.cached("c1", kind)));

            Node node = view.node(NODE).orElseThrow();
            assertThat(view.node(NODE)).as("from the store").containsSame(node);
            assertThat(node.getStatus().getAddresses()).extracting(NodeAddress::getAddress).contains("10.222.0.11");
            assertThat(view.nodes(List.of(NODE, "cache-absent"))).containsOnlyKeys(NODE);
            Lease lease = view.nodeLease(NODE).orElseThrow();
            assertThat(view.nodeLease(NODE)).containsSame(lease);
            assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(renewed);
            for (int i = 0; i < beyondOnePage; i++) {
                assertThat(view.nodeLease("cache-page-" + i)).as("lease %d of a list longer than a page", i).isPresent();
            }
            assertThat(requested).as("the leases listed a page at a time")
                    .anyMatch(uri -> uri.contains("/namespaces/kube-node-lease/leases?") && uri.contains("limit=" + TenantCache.PAGE))
                    .anyMatch(uri -> uri.contains("/namespaces/kube-node-lease/leases?") && uri.contains("continue="));
            GenericKubernetesResource device = view.deviceWorkloads(NODE).orElseThrow();
            assertThat(view.deviceWorkloads(NODE)).containsSame(device);
            assertThat(view.deviceWorkloads("cache-absent")).isEmpty();
            // The informer fills its store before it calls the listeners: they are told a moment later.
            await("the addition told", () -> changes.contains("added c1/" + NODE));

            Node moved = client.nodes().withName(NODE).get();
            moved.getStatus().setAddresses(List.of(new NodeAddress("10.222.0.12", "InternalIP")));
            client.nodes().resource(moved).updateStatus();
            await("the new address", () -> view.node(NODE).orElseThrow().getStatus().getAddresses().get(0).getAddress().equals("10.222.0.12"));
            await("the update told", () -> changes.contains("updated c1/" + NODE));

            Instant later = renewed.plusSeconds(10);
            client.leases().inNamespace(TenantKinds.NODE_LEASE_NAMESPACE).withName(NODE)
                    .edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(micro(later)).endSpec().build());
            await("the renewal", () -> view.nodeLease(NODE).orElseThrow().getSpec().getRenewTime().toInstant().equals(later));

            new DeviceWorkloadsClient(client).applyEntry("hello", NODE, Map.of("name", "hello", "generation", 1, "run", true));
            await("the entry, by workload", () -> view.deviceWorkloadsWithEntry("hello").size() == 1);
            assertThat(view.deviceWorkloadsWithEntry("other")).isEmpty();

            TenantView elsewhere = cache.view("not-watched", client);
            assertThat(elsewhere.node(NODE).orElseThrow()).as("a cluster not watched reads the apiserver")
                    .isNotSameAs(elsewhere.node(NODE).orElseThrow());
        }
    }

    /** A client like {@code client} that records the URI of every request it sends. */
    private static KubernetesClient recording(KubernetesClient client, List<String> requested) {
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("record", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest sent, RequestTags tags) {
                        requested.add(sent.uri().toString());
                    }
                })).build();
    }

    private static Node node(String name, String address) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(address).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
    }

    private static Lease lease(String node, Instant renewed) {
        return new LeaseBuilder().withNewMetadata().withName(node).withNamespace(TenantKinds.NODE_LEASE_NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40).withRenewTime(micro(renewed)).endSpec().build();
    }

    private static ZonedDateTime micro(Instant at) {
        return at.atZone(ZoneOffset.UTC);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
