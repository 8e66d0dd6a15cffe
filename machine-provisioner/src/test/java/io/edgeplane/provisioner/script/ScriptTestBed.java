package io.edgeplane.provisioner.script;

import io.edgeplane.testbed.ControlPlane;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.Architecture;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the script tests run against, all real: a test control plane on the test network (so that
 * devices reach it), a registry with the pause image, and the kubelet and the device agent served like
 * the seed manager's artifact mirror does. Devices run the rendered scripts as root, as an operator would.
 */
final class ScriptTestBed implements AutoCloseable {
    static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration NODE_MONITOR_GRACE = Duration.ofSeconds(20);

    private final ControlPlane controlPlane;
    private final LocalRegistry registry;
    private final ArtifactMirror mirror;
    private final String pauseImage;
    private final String arch;

    private ScriptTestBed(ControlPlane controlPlane, LocalRegistry registry, ArtifactMirror mirror, String pauseImage, String arch) {
        this.controlPlane = controlPlane;
        this.registry = registry;
        this.mirror = mirror;
        this.pauseImage = pauseImage;
        this.arch = arch;
    }

    static ScriptTestBed start() {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        String arch = Architecture.host().goarch();
        LocalRegistry registry = LocalRegistry.start(host);
        ControlPlane controlPlane = ControlPlane.start(binaries, host, NODE_MONITOR_GRACE);
        ArtifactMirror mirror = ArtifactMirror.start(host, binaries, DeviceAgentBuild.binary(arch), arch);
        return new ScriptTestBed(controlPlane, registry, mirror, TestImages.pause(registry), arch);
    }

    KubernetesClient client() {
        return controlPlane.client();
    }

    LocalRegistry registry() {
        return registry;
    }

    ArtifactMirror mirror() {
        return mirror;
    }

    /** The input the seed manager would render for this device: a fresh bootstrap token, the mirror, the registry. */
    ProvisioningInput input(Device device, Map<String, String> labels, List<NodeTaint> taints) {
        return new ProvisioningInput(device.name(), "debian-12", arch, labels, taints, controlPlane.apiServer().url(),
                controlPlane.apiServer().ca().certificatePem(), controlPlane.newBootstrapToken(Duration.ofHours(1)).value(),
                mirror.version(), mirror.url(ArtifactMirror.KUBELET), mirror.sha256(ArtifactMirror.KUBELET),
                mirror.url(ArtifactMirror.AGENT), mirror.sha256(ArtifactMirror.AGENT), mirror.caPem(), null, null, null, null,
                new NodeSettings(null, List.of(), List.of(), List.of(registry.hostPort()), pauseImage));
    }

    /**
     * Knobs for a test-bed device, which shares the host's kernel and cgroup tree with other nodes:
     * its own cgroup root (named like the test bed's, so a killed run's is swept), swap left alone.
     */
    static Map<String, String> sharedKernelKnobs(Device device) {
        return Map.of("EDGEPLANE_CGROUP_ROOT", cgroupRoot(device), "EDGEPLANE_SWAP", "keep");
    }

    static String cgroupRoot(Device device) {
        return "/edgeplane-testbed-" + ProcessHandle.current().pid() + "-" + device.name();
    }

    /** The device's cgroup root in the memory hierarchy (cgroup v1) or the unified tree (v2), on the host. */
    static Path cgroupDir(Device device) {
        Path v1 = Path.of("/sys/fs/cgroup/memory");
        return (Files.isDirectory(v1) ? v1 : Path.of("/sys/fs/cgroup")).resolve(cgroupRoot(device).substring(1));
    }

    /** Copies the script into the device's /root and runs it there with bash, as root. */
    static CommandResult run(Device device, String fileName, String script, Map<String, String> knobs) {
        try {
            Files.writeString(device.hostPath("/root/" + fileName), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return device.exec(List.of("bash", "/root/" + fileName), knobs, SCRIPT_TIMEOUT);
    }

    /** Waits until the node's Ready condition is True; returns the node. */
    Node awaitReady(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not registered";
        while (System.nanoTime() < deadline) {
            Node node = client().nodes().withName(name).get();
            if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null) {
                for (NodeCondition condition : node.getStatus().getConditions()) {
                    if ("Ready".equals(condition.getType())) {
                        last = condition.getStatus() + " (" + condition.getReason() + ": " + condition.getMessage() + ")";
                        if ("True".equals(condition.getStatus())) {
                            return node;
                        }
                    }
                }
            }
            sleep(200);
        }
        throw new IllegalStateException("node " + name + " not Ready after " + timeout.toSeconds() + " s, last: " + last);
    }

    @Override
    public void close() {
        mirror.close();
        controlPlane.close();
        registry.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
