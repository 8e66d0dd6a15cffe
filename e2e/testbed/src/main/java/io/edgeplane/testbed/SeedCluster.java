package io.edgeplane.testbed;

import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A seed cluster as the product's pods runtime expects one, on this machine: a {@link ControlPlane},
 * the host as its one node ({@link SeedNode}) with pods on a CNI bridge, kube-proxy for ClusterIP and
 * NodePort Services, CoreDNS for {@code cluster.local} and statically provisioned PersistentVolumes.
 * Pods pull from the {@link LocalRegistry} as {@code <registry host:port>/<repository>:<tag>}.
 *
 * <p>kube-proxy and the kernel settings it relies on are host-wide, so one seed cluster runs per host
 * at a time; a second waits for the first ({@link SeedHost}). {@link #close()} leaves the host as found.
 */
public final class SeedCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeedCluster.class);
    /** Not the 10.244.0.0/24 of other test-bed seed nodes, so that both can run on one host. */
    public static final String POD_SUBNET = "10.245.0.0/24";
    public static final String NODE_NAME = "seed";
    static final String VOLUME_SIZE = "2Gi";
    private static final Duration HOST_CLAIM_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<AutoCloseable> parts;
    private final ControlPlane controlPlane;
    private final ClusterDns dns;
    private final String address;
    private final String cniBridge;
    private final Path adminKubeconfig;
    private final List<Path> volumes;
    private final Duration startTime;
    private boolean closed;

    private SeedCluster(List<AutoCloseable> parts, ControlPlane controlPlane, ClusterDns dns, String address,
                        String cniBridge, Path adminKubeconfig, List<Path> volumes, Duration startTime) {
        this.parts = parts;
        this.controlPlane = controlPlane;
        this.dns = dns;
        this.address = address;
        this.cniBridge = cniBridge;
        this.adminKubeconfig = adminKubeconfig;
        this.volumes = volumes;
        this.startTime = startTime;
    }

    /**
     * Starts everything and waits until the node is Ready, kube-proxy has written its rules and DNS
     * answers.
     *
     * @param address a host address that pods reach (not loopback), e.g. the test network's host address:
     *                the API, DNS and NodePorts answer there
     * @param volumes how many {@value #VOLUME_SIZE} ReadWriteOnce volumes without a storage class to provide
     */
    public static SeedCluster start(KubernetesBinaries binaries, LocalRegistry registry, String address, int volumes) {
        TestBedHost.ensurePackages();
        Path coredns = CoreDnsBinary.ensure(binaries.versions().coredns());
        String pause = TestImages.pause(registry);
        long started = System.nanoTime();
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            parts.add(SeedHost.claim(binaries, HOST_CLAIM_TIMEOUT));
            ControlPlane controlPlane = ControlPlane.start(binaries, address, Duration.ofSeconds(40));
            parts.add(controlPlane);
            Path dir = controlPlane.apiServer().dir();
            ClusterDns dns = ClusterDns.start(coredns, controlPlane.apiServer(), dir, address);
            parts.add(dns);
            String bridge = TestBedRun.current().interfaceName("br", 1);
            NodeAgent node = NodeAgent.start(new SeedNode(NODE_NAME, address), binaries, controlPlane, POD_SUBNET, bridge,
                    pause, registry.hostPort(), address);
            parts.add(node);
            KubeProxy proxy = KubeProxy.start(binaries, controlPlane.apiServer(), dir, NODE_NAME, address, POD_SUBNET);
            parts.add(proxy);
            List<Path> volumeDirs = StaticVolumes.create(controlPlane.client(), TestBedRun.current().newDir("seed-volumes"),
                    NODE_NAME, volumes, VOLUME_SIZE);
            node.awaitReady(controlPlane.client(), "True", READY_TIMEOUT);
            proxy.awaitSynced(READY_TIMEOUT);
            dns.awaitAnswering(READY_TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("seed cluster ready in {} ms: api {}, dns {}, node {} pods {}", took.toMillis(),
                    controlPlane.apiServer().url(), address, NODE_NAME, POD_SUBNET);
            SeedCluster cluster = new SeedCluster(parts, controlPlane, dns, address, bridge,
                    writeAdminKubeconfig(controlPlane.apiServer(), dir), volumeDirs, took);
            TestBedRun.current().onClose("seed cluster", cluster::close);
            return cluster;
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** An admin client (system:masters). */
    public KubernetesClient client() {
        return controlPlane.client();
    }

    /**
     * An admin (system:masters) kubeconfig file with embedded certificates, for kubectl and for
     * {@code Config.fromKubeconfig} alike: its client key is RSA, which Fabric8 reads without being told.
     */
    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    /** The node's address: NodePorts, the API and DNS answer there, from the host and from pods. */
    public String nodeAddress() {
        return address;
    }

    public String nodeName() {
        return NODE_NAME;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    public ClusterDns dns() {
        return dns;
    }

    /** The directories backing the PersistentVolumes {@code testbed-pv-1..n}, in that order. */
    public List<Path> volumeDirectories() {
        return volumes;
    }

    /**
     * From claiming the host until the node was Ready, Services were served and DNS answered; without
     * the one-time builds before (CoreDNS binary, pause image), which later runs find cached.
     */
    public Duration startTime() {
        return startTime;
    }

    private static Path writeAdminKubeconfig(ApiServer api, Path dir) {
        TestPki.Credential admin = TestPki.leaf(api.ca(), "edgeplane-testbed-seed-admin", List.of("system:masters"), List.of(),
                false, true, TestPki.newRsaKeyPair());
        Path file = dir.resolve("seed-admin.kubeconfig");
        ApiServer.write(file, Kubeconfigs.clientCertificate(api.url(), api.ca().certificatePem(), "admin",
                admin.certificatePem(), admin.privateKeyPem()));
        return file;
    }

    String cniBridge() {
        return cniBridge;
    }

    /** Stops everything (pods die with their node), removes kube-proxy's rules and restores the host's settings. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(parts);
    }

    /** Last started first; one part failing to stop does not keep the others running. */
    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.warn("seed cluster: cannot close {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
