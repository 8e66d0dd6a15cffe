package io.edgeplane.e2e.fleet;

import io.edgeplane.testbed.Kwok;
import io.edgeplane.testbed.KwokBinary;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

/**
 * One tenant cluster's simulated devices: KWOK keeps their nodes Ready and renews their leases
 * (the kubelet's part), {@link SimulatedDeviceAgents} answers for their device agents. Each device
 * is registered through the seed manager's API like a real one; where a real device's provisioning
 * script would then start a kubelet that registers its node, this registers the node itself.
 * Skipped, against a real device: the provisioning script, the kubelet's TLS bootstrap (its serving CSR is
 * submitted as the node, {@link SimulatedServingCertificates}), containerd and every container, the tunnel and the pod network.
 */
final class SimulatedCluster implements AutoCloseable {
    /** The KWOK annotation value of the nodes of a site that can be cut off. */
    private static final String SITE = "site";

    private final String name;
    private final KubernetesClient client;
    private final Kwok kwok;
    private final SimulatedDeviceAgents agents;
    private final Set<String> site;
    private final KwokStart siteKwokStart;
    private Kwok siteKwok;

    /** Starts the KWOK controller of the site's devices, again after a cut. */
    private interface KwokStart {
        Kwok start() throws IOException;
    }

    private SimulatedCluster(String name, KubernetesClient client, Kwok kwok, SimulatedDeviceAgents agents, Set<String> site,
                             KwokStart siteKwokStart) throws IOException {
        this.name = name;
        this.client = client;
        this.kwok = kwok;
        this.agents = agents;
        this.site = Set.copyOf(site);
        this.siteKwokStart = siteKwokStart;
        this.siteKwok = site.isEmpty() ? null : siteKwokStart.start();
    }

    /**
     * Starts KWOK and the simulated agents for {@code devices} of the cluster whose admin kubeconfig is {@code kubeconfig}.
     *
     * @param site      devices behind one uplink that {@link #cutSite()} can cut off: their nodes get a KWOK controller of their own
     * @param nodeLease how long a simulated node's lease lasts; KWOK renews it every quarter of that (kubelets: 40 s, every 10 s)
     * @param heartbeat how often each simulated agent writes its status (real agents: 20 s)
     */
    static SimulatedCluster start(String name, KwokBinary kwokBinary, Path kubeconfig, Path logDir, Set<String> devices, Set<String> site,
                                  Duration nodeLease, Duration heartbeat) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        config.setClientKeyAlgo("EC");   // the seed manager issues EC keys; Fabric8 assumes RSA
        // Registering a thousand nodes at once needs more than the client's default connections per host.
        config.setMaxConcurrentRequests(256);
        config.setMaxConcurrentRequestsPerHost(64);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        Kwok kwok = Kwok.start(name, kwokBinary, kubeconfig, Files.createDirectories(logDir.resolve("kwok-" + name)),
                Kwok.Settings.fleet().withLeaseDuration(nodeLease));
        SimulatedDeviceAgents agents = new SimulatedDeviceAgents(client, devices, heartbeat);
        KwokStart siteKwok = () -> Kwok.start(name + "-site", kwokBinary, kubeconfig, Files.createDirectories(logDir.resolve("kwok-" + name + "-site")),
                Kwok.Settings.fleet().withLeaseDuration(nodeLease).withNodeAnnotationSelector(Kwok.Settings.FAKE_NODE_ANNOTATION + "=" + SITE));
        return new SimulatedCluster(name, client, kwok, agents, site, siteKwok);
    }

    String name() {
        return name;
    }

    SimulatedDeviceAgents agents() {
        return agents;
    }

    KubernetesClient client() {
        return client;
    }

    /**
     * Cuts the site off as a lost uplink would: its kubelets stop renewing leases and posting status (its KWOK controller stops)
     * and its agents stop writing.
     */
    void cutSite() {
        agents.cut(site);
        siteKwok.close();
    }

    /** The site's uplink is back: its kubelets and agents report again. */
    void restoreSite() throws IOException {
        siteKwok = siteKwokStart.start();
        agents.restore(site);
    }

    /**
     * Starts the simulated agents once the seed manager has defined their objects' kind, which it
     * does when the cluster's first device joins (a real agent waits for it the same way).
     */
    void startAgents(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.apiextensions().v1().customResourceDefinitions().withName("deviceworkloads.edgeplane.io").get() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster " + name + ": no DeviceWorkloads definition within " + timeout);
            }
            Thread.sleep(1000);
        }
        agents.start();
    }

    /**
     * Registers the nodes of {@code devices} as their kubelets would (an existing one is kept) and asks for their serving
     * certificates, several at once.
     */
    void registerNodes(List<String> devices, ExecutorService pool) throws Exception {
        List<Future<?>> pending = new ArrayList<>();
        for (String device : devices) {
            pending.add(pool.submit(() -> {
                try {
                    client.nodes().resource(node(device, site.contains(device) ? SITE : "fake")).create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
                SimulatedServingCertificates.request(client, device);
                return null;
            }));
        }
        for (Future<?> f : pending) {
            f.get();
        }
    }

    /** The node a kubelet on a small amd64 device would register; KWOK fills in its status. */
    static Node node(String device, String kwokGroup) {
        return new NodeBuilder().withNewMetadata().withName(device)
                .withLabels(Map.of("kubernetes.io/hostname", device, "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64",
                        "type", "kwok"))
                .withAnnotations(Map.of(Kwok.Settings.FAKE_NODE_ANNOTATION, kwokGroup, "node.alpha.kubernetes.io/ttl", "0"))
                .endMetadata()
                .withNewStatus()
                .withCapacity(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110")))
                .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110")))
                .endStatus().build();
    }

    @Override
    public void close() {
        agents.close();
        kwok.close();
        if (siteKwok != null) {
            siteKwok.close();
        }
        client.close();
    }
}
