package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The real kwok controller against the test bed's real apiserver: simulated kubelets for the fleet benchmark. */
@ExtendWith(ApiServerExtension.class)
class KwokIT {
    private static final String NODE_LEASES = "kube-node-lease";
    private static final List<String> SIMULATED = IntStream.range(0, 3).mapToObj(i -> "kwok-it-node-" + i).toList();
    /** Registered like the others but without the annotation: kwok must leave it alone. */
    private static final String REAL = "kwok-it-not-simulated";

    private KubernetesClient client;
    private Kwok kwok;

    @Test
    void kwokMakesAnnotatedNodesReadyAndRenewsTheirLeasesUntilItIsStopped(ApiServer server) {
        client = server.client();
        // Short periods so that the test sees several renewals within seconds: a Lease of 8 s is renewed every 2 s.
        Kwok.Settings settings = Kwok.Settings.fleet().withLeaseDuration(Duration.ofSeconds(8)).withStatusInterval(Duration.ofSeconds(2));
        kwok = Kwok.start("kwok-it", KwokBinary.ensure(), server.kubeconfig(), TestBedRun.current().newDir("kwok"), settings);
        try {
            SIMULATED.forEach(name -> register(name, true));
            register(REAL, false);

            for (String name : SIMULATED) {
                await("node " + name + " Ready", Duration.ofSeconds(30), () -> ready(name));
                Node node = client.nodes().withName(name).get();
                assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
                assertThat(node.getStatus().getPhase()).isEqualTo("Running");
                Lease lease = await("lease of " + name, Duration.ofSeconds(15), () -> lease(name));
                assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(8);
                assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(owner -> assertThat(owner.getName()).isEqualTo(name));
            }
            for (String name : SIMULATED) {
                ZonedDateTime first = lease(name).orElseThrow().getSpec().getRenewTime();
                await("lease of " + name + " renewed after " + first, Duration.ofSeconds(15),
                        () -> lease(name).map(l -> l.getSpec().getRenewTime()).filter(t -> t.isAfter(first)));
            }
            String firstHeartbeat = readyCondition(SIMULATED.get(0)).orElseThrow().getLastHeartbeatTime();
            await("a new status heartbeat of " + SIMULATED.get(0), Duration.ofSeconds(15),
                    () -> readyCondition(SIMULATED.get(0)).map(NodeCondition::getLastHeartbeatTime).filter(t -> !t.equals(firstHeartbeat)));

            assertThat(readyCondition(REAL)).isEmpty();
            assertThat(lease(REAL)).isEmpty();

            // A pod bound to a simulated node runs with every container started; deleted, it goes at once.
            // (No controller-manager here makes the namespace's default ServiceAccount that admission wants.)
            client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata().withName("default")
                    .endMetadata().build()).createOr(existing -> existing.update());
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("kwok-it-pod").endMetadata()
                    .withNewSpec().withNodeName(SIMULATED.get(0)).addNewContainer().withName("c0").withImage("example/app:1")
                    .endContainer().endSpec().build()).create();
            Pod running = await("pod Running", Duration.ofSeconds(15), () -> Optional.ofNullable(
                    client.pods().inNamespace("default").withName("kwok-it-pod").get()).filter(p -> "Running".equals(p.getStatus().getPhase())));
            assertThat(running.getStatus().getContainerStatuses()).singleElement()
                    .satisfies(c -> assertThat(c.getState().getRunning()).isNotNull());
            client.pods().inNamespace("default").withName("kwok-it-pod").delete();
            await("pod gone", Duration.ofSeconds(15), () -> client.pods().inNamespace("default").withName("kwok-it-pod").get() == null
                    ? Optional.of(true) : Optional.empty());

            long pid = kwok.process().pid();
            kwok.close();
            assertThat(kwok.isAlive()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            // Nobody renews them any more: three renewal intervals later every Lease is as kwok left it.
            Map<String, ZonedDateTime> last = new HashMap<>();
            SIMULATED.forEach(name -> last.put(name, lease(name).orElseThrow().getSpec().getRenewTime()));
            ApiServer.sleep(settings.leaseRenewInterval().multipliedBy(3).toMillis());
            SIMULATED.forEach(name -> assertThat(lease(name).orElseThrow().getSpec().getRenewTime()).isEqualTo(last.get(name)));
        } finally {
            kwok.close();
        }
    }

    @AfterEach
    void removeNodes() {
        if (client == null) {
            return;
        }
        for (String name : SIMULATED) {
            client.nodes().withName(name).delete();
            client.leases().inNamespace(NODE_LEASES).withName(name).delete();
        }
        client.nodes().withName(REAL).delete();
    }

    /** Creates the Node as a kubelet registers itself: name, well-known labels, no status yet. */
    private void register(String name, boolean simulated) {
        Map<String, String> annotations = simulated ? Map.of(Kwok.Settings.FAKE_NODE_ANNOTATION, "fake") : Map.of();
        Node node = new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64"))
                .withAnnotations(annotations).endMetadata()
                .build();
        client.nodes().resource(node).create();
    }

    private Optional<Boolean> ready(String name) {
        return readyCondition(name).filter(c -> "True".equals(c.getStatus())).map(c -> true);
    }

    private Optional<NodeCondition> readyCondition(String name) {
        Node node = client.nodes().withName(name).get();
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    private Optional<Lease> lease(String name) {
        return Optional.ofNullable(client.leases().inNamespace(NODE_LEASES).withName(name).get());
    }

    /** Polls {@code probe} until it has a value, at most {@code timeout}; the failure carries kwok's last log lines. */
    private <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; kwok's log ends:\n"
                        + kwok.process().logTail(20));
            }
            ApiServer.sleep(200);
        }
    }
}
