package io.edgeplane.testbed;

import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.DeviceNode;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A seed cluster as the product's pods runtime expects one, on this machine: a {@link ControlPlane}
 * on the host, one node in a machine of its own on the test network (a {@link Device} named
 * {@value #NODE_NAME}, with containerd, a kubelet and pods on a CNI bridge), kube-proxy on that node
 * for ClusterIP and NodePort Services, CoreDNS for {@code cluster.local} and statically provisioned
 * PersistentVolumes. Pods pull from the {@link LocalRegistry} as {@code <registry host:port>/<repository>:<tag>}.
 *
 * <p>Everything the node changes (forwarding, iptables rules, bridges, kernel settings) lives in its
 * own network and mount namespaces and goes with it: the host is left exactly as found.
 */
public final class SeedCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeedCluster.class);
    /**
     * Where the node's pod subnet is sought: not in the 10.244.0.0/16 of other test-bed nodes, so that both can
     * run on one test network; each run on the host takes a /24 of its own, as the host routes it.
     */
    static final String FIRST_POD_SUBNET = "10.245.0.0/24";
    public static final String NODE_NAME = "seed";
    static final String VOLUME_SIZE = "2Gi";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<AutoCloseable> parts;
    private final ControlPlane controlPlane;
    private final ClusterDns dns;
    private final Device node;
    private final String podSubnet;
    private final Path adminKubeconfig;
    private final List<Path> volumes;
    private final Duration startTime;
    private boolean closed;

    private SeedCluster(List<AutoCloseable> parts, ControlPlane controlPlane, ClusterDns dns, Device node, String podSubnet,
                        Path adminKubeconfig, List<Path> volumes, Duration startTime) {
        this.parts = parts;
        this.controlPlane = controlPlane;
        this.dns = dns;
        this.node = node;
        this.podSubnet = podSubnet;
        this.adminKubeconfig = adminKubeconfig;
        this.volumes = volumes;
        this.startTime = startTime;
    }

    /**
     * Starts everything and waits until the node is Ready, kube-proxy has written its rules and DNS
     * answers.
     *
     * @param address the host's address on the test network ({@code TestNetwork.current().hostAddress()}):
     *                the API and DNS answer there; NodePorts answer at {@link #nodeAddress()}
     * @param volumes how many {@value #VOLUME_SIZE} ReadWriteOnce volumes without a storage class to provide
     */
    public static SeedCluster start(KubernetesBinaries binaries, LocalRegistry registry, String address, int volumes) {
        TestBedHost.ensurePackages();
        Path coredns = binaries.binary("coredns");
        String pause = TestImages.pause(registry);
        long started = System.nanoTime();
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            ControlPlane controlPlane = ControlPlane.start(binaries, address, Duration.ofSeconds(40));
            parts.add(controlPlane);
            publishApiServer(controlPlane, address);
            Path dir = controlPlane.apiServer().dir();
            ClusterDns dns = ClusterDns.start(coredns, controlPlane.apiServer(), dir, address);
            parts.add(dns);
            Device node = Device.create(NODE_NAME);
            parts.add(node);
            // Services need forwarding and iptables on bridged traffic (a pod's answer from a Service
            // backend on the same bridge must pass conntrack to be un-NATed); both are the node's own.
            node.exec("sh", "-c", "echo 1 >/proc/sys/net/ipv4/ip_forward && echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables")
                    .orThrow();
            // Pods answer the host's CoreDNS and apiserver from their own addresses.
            TestNetwork network = TestNetwork.current();
            String podSubnet = network.routeFreePodSubnet(FIRST_POD_SUBNET, node);
            parts.add(() -> network.unroutePodSubnet(podSubnet));
            DeviceNode nodeHost = new DeviceNode(node);
            NodeAgent agent = NodeAgent.start(nodeHost, binaries, controlPlane, podSubnet, "cni0", pause, registry.hostPort(), address);
            parts.add(agent);
            KubeProxy proxy = KubeProxy.start(binaries, controlPlane.apiServer(), nodeHost, podSubnet);
            parts.add(proxy);
            List<Path> volumeDirs = StaticVolumes.create(controlPlane.client(), nodeHost, volumes, VOLUME_SIZE);
            agent.awaitReady(controlPlane.client(), "True", READY_TIMEOUT);
            proxy.awaitSynced(READY_TIMEOUT);
            dns.awaitAnswering(READY_TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("seed cluster ready in {} ms: api {}, dns {}, node {} at {} pods {}", took.toMillis(),
                    controlPlane.apiServer().url(), address, NODE_NAME, node.address(), podSubnet);
            SeedCluster cluster = new SeedCluster(parts, controlPlane, dns, node, podSubnet,
                    writeAdminKubeconfig(controlPlane.apiServer(), dir), volumeDirs, took);
            TestBedRun.current().onClose("seed cluster", cluster::close);
            return cluster;
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /**
     * The test bed's apiservers publish no endpoint of their own (most listen on loopback); this one listens on the
     * test network, and pods that use in-cluster configuration (a seed manager installed by its chart) dial the
     * kubernetes Service.
     */
    private static void publishApiServer(ControlPlane controlPlane, String address) {
        int port = URI.create(controlPlane.apiServer().url()).getPort();
        controlPlane.client().resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "kubernetes")
                .addToLabels("endpointslice.kubernetes.io/managed-by", "edgeplane-testbed").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(address).withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withName("https").withPort(port).withProtocol("TCP").endPort()
                .build()).serverSideApply();
    }

    /** The node's pod subnet, a /24 in 10.245.0.0/16 that no other test-bed run on this host routes. */
    public String podSubnet() {
        return podSubnet;
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

    /** The node's address on the test network: NodePorts answer there, from the host and from devices. */
    public String nodeAddress() {
        return node.address();
    }

    public String nodeName() {
        return NODE_NAME;
    }

    /** The node's machine, e.g. to look at its network from inside. */
    public Device node() {
        return node;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    public ClusterDns dns() {
        return dns;
    }

    /** The directories backing the PersistentVolumes {@code testbed-pv-1..n}, in that order, as the host sees them. */
    public List<Path> volumeDirectories() {
        return volumes;
    }

    /**
     * From starting the control plane until the node was Ready, Services were served and DNS answered;
     * without the one-time builds before (CoreDNS binary, pause image), which later runs find cached.
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

    /** Stops everything: the node's machine takes its pods, rules and bridge along. */
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
