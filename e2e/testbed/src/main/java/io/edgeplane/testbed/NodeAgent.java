package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * containerd plus a kubelet that joins a {@link ControlPlane} with a bootstrap token, as a device
 * does. Each node gets its own cgroup root, containerd root/state/socket, kubelet root and CNI
 * network, so several nodes share this machine without seeing each other's state.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final NodeHost host;
    private final ManagedProcess containerd;
    private final ManagedProcess kubelet;
    private final String socket;
    private final NodeCgroups cgroups;

    private NodeAgent(NodeHost host, ManagedProcess containerd, ManagedProcess kubelet, String socket, NodeCgroups cgroups) {
        this.host = host;
        this.containerd = containerd;
        this.kubelet = kubelet;
        this.socket = socket;
        this.cgroups = cgroups;
    }

    /**
     * @param podSubnet   this node's pod range, e.g. 10.244.1.0/24
     * @param cniBridge   name of the node's CNI bridge (at most 15 characters)
     * @param pauseImage  sandbox image, pulled from the local registry
     * @param registry    host:port of the plain-HTTP registry images come from
     */
    public static NodeAgent start(NodeHost host, KubernetesBinaries binaries, ControlPlane controlPlane, String podSubnet,
                                  String cniBridge, String pauseImage, String registry) {
        return start(host, binaries, controlPlane, podSubnet, cniBridge, pauseImage, registry, null);
    }

    /**
     * As {@link #start(NodeHost, KubernetesBinaries, ControlPlane, String, String, String, String)}, with pods
     * resolving names through the cluster DNS server at {@code clusterDns} (domain cluster.local); null for none.
     */
    public static NodeAgent start(NodeHost host, KubernetesBinaries binaries, ControlPlane controlPlane, String podSubnet,
                                  String cniBridge, String pauseImage, String registry, String clusterDns) {
        NodeLayout layout = host.layout();
        String etc = layout.etc();
        String socket = layout.socket();
        String kubeletRoot = layout.kubeletRoot();

        host.writeFile(etc + "containerd.toml", containerdConfig(layout, pauseImage));
        host.writeFile(etc + "certs.d/" + registry + "/hosts.toml",
                "server = \"http://" + registry + "\"\n\n[host.\"http://" + registry + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
        host.writeFile(etc + "cni/10-edgeplane.conflist", cniConfig(cniBridge, podSubnet, layout.cniData()));
        ManagedProcess containerd = host.start("containerd-" + host.nodeName(),
                List.of("/usr/bin/containerd", "--config", etc + "containerd.toml"), Map.of());
        awaitSocket(host, containerd, socket);

        BootstrapToken token = controlPlane.newBootstrapToken(Duration.ofHours(1));
        ApiServer api = controlPlane.apiServer();
        host.writeFile(etc + "bootstrap-kubelet.conf",
                Kubeconfigs.token(api.url(), api.ca().certificatePem(), "kubelet-bootstrap", token.value()));
        host.writeFile(etc + "ca.crt", api.ca().certificatePem());
        NodeCgroups cgroups = NodeCgroups.create(host.nodeName());
        host.writeFile(etc + "kubelet.yaml", kubeletConfig(host, socket, etc, cgroups.root(), clusterDns));
        ManagedProcess kubelet = host.start("kubelet-" + host.nodeName(), List.of(
                host.install(binaries.binary("kubelet")),
                "--config=" + etc + "kubelet.yaml",
                "--bootstrap-kubeconfig=" + etc + "bootstrap-kubelet.conf",
                "--kubeconfig=" + etc + "kubelet.conf",
                "--cert-dir=" + kubeletRoot + "/pki",
                "--root-dir=" + kubeletRoot,
                "--hostname-override=" + host.nodeName(),
                "--node-ip=" + host.address(),
                "--v=1"), Map.of());
        LOG.info("node={} containerd and kubelet started", host.nodeName());
        return new NodeAgent(host, containerd, kubelet, socket, cgroups);
    }

    /** The kubelet gives up at once when the runtime is not there yet, so containerd must be listening first. */
    private static void awaitSocket(NodeHost host, ManagedProcess containerd, String socket) {
        java.nio.file.Path path = host.hostPath(socket);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!java.nio.file.Files.exists(path)) {
            if (!containerd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("containerd of node " + host.nodeName() + " is not listening on " + socket + ":\n"
                        + containerd.logTail(30));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for containerd", e);
            }
        }
    }

    public String nodeName() {
        return host.nodeName();
    }

    public String containerdSocket() {
        return socket;
    }

    public ManagedProcess kubelet() {
        return kubelet;
    }

    public ManagedProcess containerd() {
        return containerd;
    }

    /** Waits until the node's Ready condition has {@code status} ("True", "False", "Unknown"). */
    public Duration awaitReady(KubernetesClient client, String status, Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String last = "not registered";
        while (System.nanoTime() < deadline) {
            if (!kubelet.isAlive() || !containerd.isAlive()) {
                throw new IllegalStateException("node " + host.nodeName() + " lost a daemon:\nkubelet:\n"
                        + kubelet.logTail(30) + "\ncontainerd:\n" + containerd.logTail(20));
            }
            Node node = client.nodes().withName(host.nodeName()).get();
            if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null) {
                for (NodeCondition c : node.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType())) {
                        last = c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")";
                        if (status.equals(c.getStatus())) {
                            return Duration.ofNanos(System.nanoTime() - started);
                        }
                    }
                }
            }
            ApiServer.sleep(500);
        }
        throw new IllegalStateException("node " + host.nodeName() + " not Ready=" + status + " after " + timeout.toSeconds()
                + " s, last: " + last + "\nkubelet log:\n" + kubelet.logTail(40));
    }

    /**
     * Stops the daemons, then everything they left: containers (via their cgroups), shims and mounts,
     * which frees the pods' network namespaces and their veths.
     */
    @Override
    public void close() {
        host.stop(kubelet);
        host.stop(containerd);
        cgroups.close();
        // Only this machine's shims: another device's containerd (of this run, or of a test running beside it) has the same
        // socket path, and killing its shims would kill its pods, which then come back with other addresses.
        java.util.Set<Long> here = host.processIds();
        ProcessHandle.allProcesses()
                .filter(p -> here.contains(p.pid()))
                .filter(p -> TestBedRun.commandLine(p.pid()).contains("containerd-shim") && TestBedRun.commandLine(p.pid()).contains(socket))
                .forEach(ProcessHandle::destroyForcibly);
        host.unmountLeftovers();
    }

    private static String containerdConfig(NodeLayout layout, String pauseImage) {
        String socket = layout.socket();
        String etc = layout.etc();
        return String.join("\n",
                "version = 2",
                "root = \"" + layout.containerdRoot() + "\"",
                "state = \"" + layout.containerdState() + "\"",
                "disabled_plugins = [\"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\","
                        + " \"io.containerd.snapshotter.v1.devmapper\", \"io.containerd.snapshotter.v1.aufs\"]",
                "[grpc]",
                "  address = \"" + socket + "\"",
                "[ttrpc]",
                "  address = \"" + socket + ".ttrpc\"",
                "[debug]",
                "  address = \"\"",
                "[metrics]",
                "  address = \"\"",
                "[plugins.\"io.containerd.internal.v1.opt\"]",
                "  path = \"" + layout.containerdRoot() + "-opt\"",
                "[plugins.\"io.containerd.grpc.v1.cri\"]",
                "  sandbox_image = \"" + pauseImage + "\"",
                // Sandboxes such as this test machine may withhold CAP_SYS_RESOURCE even from root;
                // lowering a container's oom_score_adj then kills runc's init. Clamp instead.
                "  restrict_oom_score_adj = true",
                "  stream_server_address = \"127.0.0.1\"",
                "  stream_server_port = \"0\"",
                "  [plugins.\"io.containerd.grpc.v1.cri\".containerd]",
                "    snapshotter = \"overlayfs\"",
                "    default_runtime_name = \"runc\"",
                "    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]",
                "      runtime_type = \"io.containerd.runc.v2\"",
                "      [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]",
                "        SystemdCgroup = false",
                "  [plugins.\"io.containerd.grpc.v1.cri\".cni]",
                "    bin_dir = \"/usr/lib/cni\"",
                "    conf_dir = \"" + etc + "cni\"",
                "  [plugins.\"io.containerd.grpc.v1.cri\".registry]",
                "    config_path = \"" + etc + "certs.d\"",
                "");
    }

    /** A bridge network without masquerading, so no iptables rules are needed. */
    private static String cniConfig(String bridge, String podSubnet, String dataDir) {
        return "{\n"
                + "  \"cniVersion\": \"1.0.0\",\n"
                + "  \"name\": \"edgeplane-testbed\",\n"
                + "  \"plugins\": [\n"
                + "    {\"type\": \"bridge\", \"bridge\": \"" + bridge + "\", \"isGateway\": true, \"ipMasq\": false,"
                + " \"hairpinMode\": true,\n"
                + "     \"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"" + podSubnet + "\"}]],"
                + " \"routes\": [{\"dst\": \"0.0.0.0/0\"}], \"dataDir\": \"" + dataDir + "\"}},\n"
                + "    {\"type\": \"loopback\"}\n"
                + "  ]\n"
                + "}\n";
    }

    private static String kubeletConfig(NodeHost host, String socket, String etc, String cgroupRoot, String clusterDns) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "apiVersion: kubelet.config.k8s.io/v1beta1",
                "kind: KubeletConfiguration",
                "authentication:",
                "  anonymous: {enabled: false}",
                "  webhook: {enabled: true}",
                "  x509: {clientCAFile: " + etc + "ca.crt}",
                "authorization: {mode: Webhook}",
                // This host is cgroup v1; Kubernetes 1.35+ refuses it unless told otherwise.
                "failCgroupV1: false",
                "cgroupDriver: cgroupfs",
                "cgroupRoot: " + cgroupRoot,
                "containerRuntimeEndpoint: unix://" + socket,
                "address: " + host.address(),
                "port: " + Ports.free(),
                "readOnlyPort: 0",
                "healthzPort: 0",
                "staticPodPath: " + etc + "manifests",
                "rotateCertificates: true",
                "failSwapOn: false",
                "resolvConf: /etc/resolv.conf",
                "imageGCHighThresholdPercent: 100",
                "imageGCLowThresholdPercent: 99",
                // Shared test machines are often short of disk; eviction would only add noise.
                "evictionHard: {memory.available: \"50Mi\", nodefs.available: \"1%\", imagefs.available: \"1%\"}"));
        if (clusterDns != null) {
            lines.add("clusterDNS: [" + clusterDns + "]");
            lines.add("clusterDomain: cluster.local");
        }
        lines.add("");
        return String.join("\n", lines);
    }
}
