package io.edgeplane.seedmanager.podnetwork;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.edgeplane.seedmanager.cluster.controlplane.pki.StoredPki;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.edgeplane.seedmanager.podnetwork.Ipv4PacketsTest.packet;
import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay in a real seed manager with its real PostgreSQL and real cluster PKIs (no binaries:
 * no control plane runs, which the relay does not need). Devices are JDK TLS clients with
 * kubelet-like certificates issued from their cluster's CA: two devices of one cluster exchange
 * packets; spoofed sources, other clusters, unknown machines, foreign CAs, certificates that are
 * no node's or an earlier device's get nowhere; a removed machine's session is ended by the sweep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodNetworkRelayIT {
    private static final String CLUSTERS = "/api/v1/projects/acme/clusters";
    private static final Duration NOTHING = Duration.ofMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private SeedManagerInstance seed;
    private PodNetworkRelay relay;
    private MeterRegistry meters;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger connectionLog = (Logger) LoggerFactory.getLogger(RelayConnectionHandler.class);
    private Cluster line;
    private Cluster other;
    private ClusterPki linePki;
    private ClusterPki otherPki;
    private int port;

    @BeforeAll
    void start() throws Exception {
        logged.start();
        connectionLog.addAppender(logged);
        seed = SeedManagerInstance.start(dir.resolve("data"), Map.of(
                "edgeplane.kubernetes.binaries-dir", dir.resolve("none").toString(),
                "edgeplane.pod-network.bind", "127.0.0.1",
                "edgeplane.pod-network.sweep-interval", "300ms"));
        relay = seed.context().getBean(PodNetworkRelay.class);
        meters = seed.context().getBean(MeterRegistry.class);
        port = relay.port().orElseThrow();
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
        line = cluster("line");
        other = cluster("other");
        linePki = pki(line);
        otherPki = pki(other);
        assertThat(machine("line", "edge-1")).isEqualTo("10.244.0.0/24");
        assertThat(machine("line", "edge-2")).isEqualTo("10.244.1.0/24");
        assertThat(machine("line", "edge-3")).isEqualTo("10.244.2.0/24");
        assertThat(machine("other", "edge-1")).as("the same range in another cluster").isEqualTo("10.244.0.0/24");
    }

    @AfterAll
    void stop() {
        connectionLog.detachAppender(logged);
        if (seed != null) {
            seed.close();
        }
    }

    @Test
    void theEndpointIsTheSeedsAddressTheBoundPortAndTheClustersName() {
        assertThat(port).as("port 0 picked a free one").isPositive();
        assertThat(relay.endpoint(line)).hasValue(new PodNetworkEndpoint("127.0.0.1", port, line.id() + ".pod-network.edgeplane.invalid"));
    }

    @Test
    void twoDevicesOfAClusterExchangePacketsAndNothingElsePasses() throws Exception {
        double relayed = packets(PacketOutcome.RELAYED);
        double spoofed = packets(PacketOutcome.SPOOFED);
        double noRoute = packets(PacketOutcome.NO_ROUTE);
        double malformed = packets(PacketOutcome.MALFORMED);
        try (RelayDevice one = connect(line, linePki, "edge-1", node("edge-1"));
             RelayDevice two = connect(line, linePki, "edge-2", node("edge-2"));
             RelayDevice stranger = connect(other, otherPki, "edge-1", node(otherPki, "edge-1"))) {
            assertThat(gauge()).isGreaterThanOrEqualTo(3);

            byte[] there = packet("10.244.0.7", "10.244.1.9", 40);
            there[30] = 42;
            one.send(there);
            assertThat(two.receive(WAIT)).isEqualTo(there);
            byte[] back = packet("10.244.1.9", "10.244.0.7", 1200);
            two.send(back);
            assertThat(one.receive(WAIT)).isEqualTo(back);

            one.send(packet("10.244.1.50", "10.244.1.9", 8));           // edge-2's address as its source
            one.send(packet("10.244.0.7", "10.244.3.1", 8));            // nobody's range
            one.send(packet("10.244.0.7", "10.244.0.8", 8));            // its own range
            one.send(new byte[]{0x45, 0, 0, 9, 1, 2, 3, 4, 5});        // not a packet: dropped, the connection stays
            stranger.send(packet("10.244.0.7", "10.244.1.9", 8));       // the other cluster's edge-1, to line's edge-2's range
            byte[] last = packet("10.244.0.7", "10.244.1.9", 16);
            one.send(last);
            assertThat(two.receive(WAIT)).as("only what was allowed, in order").isEqualTo(last);
            assertThat(two.receive(NOTHING)).isNull();
            assertThat(stranger.receive(NOTHING)).isNull();
            assertThat(one.receive(NOTHING)).isNull();

            awaitTrue(() -> packets(PacketOutcome.NO_ROUTE) >= noRoute + 3, "three packets without a route");
            assertThat(packets(PacketOutcome.RELAYED) - relayed).isEqualTo(3);
            assertThat(packets(PacketOutcome.SPOOFED) - spoofed).isEqualTo(1);
            assertThat(packets(PacketOutcome.NO_ROUTE) - noRoute).isEqualTo(3);
            assertThat(packets(PacketOutcome.MALFORMED) - malformed).isEqualTo(1);
            assertThat(messages()).anyMatch(m -> m.equals("pod-network machine=acme/line/edge-1 sent a packet from 10.244.1.50,"
                    + " outside its pod range 10.244.0.0/24; dropped (said once per connection)"));
        }
    }

    @Test
    void aNewConnectionOfANodeReplacesItsOldOne() throws Exception {
        try (RelayDevice first = connect(line, linePki, "edge-2", node("edge-2"));
             RelayDevice one = connect(line, linePki, "edge-1", node("edge-1"))) {
            try (RelayDevice second = connect(line, linePki, "edge-2", node("edge-2"))) {
                assertThat(first.endedWithin(WAIT)).isTrue();
                awaitLog("pod-network machine=acme/line/edge-2 disconnected: replaced by a new connection of the node");
                byte[] there = packet("10.244.0.7", "10.244.1.9", 8);
                one.send(there);
                assertThat(second.receive(WAIT)).isEqualTo(there);
            }
        }
    }

    @Test
    void devicesThatAreNotMachinesOfTheClusterAreRefused() throws Exception {
        assertRefused(linePki, node("ghost"), "pod-network machine=acme/line/ghost refused: the cluster has no MachineDeployment ghost");
        assertRefused(linePki, linePki.issueClient("edgeplane:seed-manager", List.of("system:masters"), Duration.ofHours(1)),
                "pod-network cluster=acme/line refused: the client certificate's CN 'edgeplane:seed-manager' is not system:node:<node>");
        assertRefused(linePki, linePki.issueClient("system:node:edge-1", List.of(), Duration.ofHours(1)),
                "pod-network cluster=acme/line refused: the client certificate of system:node:edge-1 is not in group (O) system:nodes");

        ClusterPki anHourAgo = ClusterPki.fromStored(stored(line), seed.context().getBean(MasterKey.class), line.id(),
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertRefused(linePki, anHourAgo.issueClient("system:node:edge-1", List.of("system:nodes"), Duration.ofHours(3)),
                "pod-network machine=acme/line/edge-1 refused: the client certificate is valid from ");
        assertThat(messages()).anyMatch(m -> m.contains("it is an earlier device's of the same name"));

        // The other cluster's CA signed it: the handshake itself fails.
        try (RelayDevice foreign = RelayDevice.dial(port, PodNetworkName.of(line.id()), linePki.certificate("ca"), node(otherPki, "edge-1"))) {
            assertThat(foreign.endedWithin(WAIT)).isTrue();
        } catch (SSLException refusedInHandshake) {
            // TLS 1.2 fails the client's handshake; TLS 1.3 its first read: both are a refusal.
        }
        awaitLog("pod-network cluster-id=" + line.id() + " refused: TLS handshake failed: unable to find valid certification path");

        // A cluster the relay does not know, and a device that verifies the relay against another cluster's CA.
        assertThatThrownBy(() -> RelayDevice.dial(port, PodNetworkName.of("cnosuchcl00"), linePki.certificate("ca"), node("edge-1")))
                .isInstanceOf(IOException.class);
        awaitLog("pod-network cluster-id=cnosuchcl00 refused: no TLS credentials for server name cnosuchcl00.pod-network.edgeplane.invalid:"
                + " no cluster has id cnosuchcl00");
        assertThatThrownBy(() -> RelayDevice.dial(port, PodNetworkName.of(line.id()), otherPki.certificate("ca"), node("edge-1")))
                .as("the relay's certificate of line is not trusted by a device of other").isInstanceOf(SSLException.class);
    }

    @Test
    void aRemovedMachinesSessionIsEndedByTheSweep() throws Exception {
        try (RelayDevice three = connect(line, linePki, "edge-3", node("edge-3"));
             RelayDevice one = connect(line, linePki, "edge-1", node("edge-1"))) {
            Reply removed = seed.delete(ADMIN_TOKEN, CLUSTERS + "/line/machinedeployments/edge-3");
            assertThat(removed.status()).as(removed.toString()).isEqualTo(202);
            assertThat(three.endedWithin(WAIT)).isTrue();
            // Without SSH there is nothing to deprovision: the row goes at once, or the sweep sees it being deleted.
            awaitLog("pod-network machine=acme/line/edge-3 disconnected: its MachineDeployment is ");
            one.send(packet("10.244.0.7", "10.244.2.9", 8));
            assertThat(one.endedWithin(NOTHING)).as("the others stay").isFalse();
        }
        assertRefused(linePki, node("edge-3"), "pod-network machine=acme/line/edge-3 refused: ");
    }

    private RelayDevice connect(Cluster cluster, ClusterPki pki, String node, IssuedCredential certificate) throws Exception {
        int before = count("pod-network machine=acme/" + cluster.name() + "/" + node + " connected");
        RelayDevice device = RelayDevice.dial(port, PodNetworkName.of(cluster.id()), pki.certificate("ca"), certificate);
        awaitTrue(() -> count("pod-network machine=acme/" + cluster.name() + "/" + node + " connected") > before, node + " admitted");
        return device;
    }

    private void assertRefused(ClusterPki pki, IssuedCredential certificate, String logged) throws Exception {
        try (RelayDevice device = RelayDevice.dial(port, PodNetworkName.of(line.id()), pki.certificate("ca"), certificate)) {
            assertThat(device.endedWithin(WAIT)).as(logged).isTrue();
        }
        awaitLog(logged);
    }

    private IssuedCredential node(String name) {
        return node(linePki, name);
    }

    /** As the CSR signer issues a kubelet's client certificate. */
    private static IssuedCredential node(ClusterPki pki, String name) {
        return pki.issueClient("system:node:" + name, List.of("system:nodes"), Duration.ofHours(1));
    }

    private Cluster cluster(String name) throws InterruptedException {
        Reply created = seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"" + name + "\",\"datacenter\":\"factory-bremen\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        ClusterRepository clusters = seed.context().getBean(ClusterRepository.class);
        awaitTrue(() -> clusters.findByProjectAndName("acme", name).map(Cluster::pki).isPresent(), "the PKI of " + name);
        return clusters.findByProjectAndName("acme", name).orElseThrow();
    }

    private String machine(String cluster, String name) {
        Reply created = seed.post(ADMIN_TOKEN, CLUSTERS + "/" + cluster + "/machinedeployments",
                "{\"name\":\"" + name + "\",\"os\":\"debian-12\",\"arch\":\"amd64\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("podCidr").asText();
    }

    private ClusterPki pki(Cluster cluster) throws IOException {
        return ClusterPki.fromStored(stored(cluster), seed.context().getBean(MasterKey.class), cluster.id());
    }

    private StoredPki stored(Cluster cluster) throws IOException {
        return seed.context().getBean(ObjectMapper.class).readValue(cluster.pki(), StoredPki.class);
    }

    private double packets(PacketOutcome outcome) {
        return meters.get(PodNetworkMetrics.PACKETS).tag("outcome", outcome.label()).counter().count();
    }

    private double gauge() {
        return meters.get(PodNetworkMetrics.SESSIONS).gauge().value();
    }

    private List<String> messages() {
        synchronized (logged) {                                        // appends hold the appender's lock
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private int count(String prefix) {
        return (int) messages().stream().filter(m -> m.startsWith(prefix)).count();
    }

    private void awaitLog(String prefix) throws InterruptedException {
        awaitTrue(() -> count(prefix) > 0, () -> "a log line starting with: " + prefix + "\nlogged:\n" + String.join("\n", messages()));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, () -> what);
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(() -> "waiting for " + what.get()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
