package io.edgeplane.testbed;

import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.HostCommand;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the seed cluster: a pod reaches another pod's ClusterIP Service by its DNS name, running as
 * the non-root user of the product's control-plane pods and writing what it got to a claim without a
 * storage class; a pod reaches itself through its Service; the Service's NodePort answers from the
 * host and from a device; a headless Service names its pod the way a StatefulSet's are named; and
 * closing leaves the host as it was (the node is a machine of its own, so nothing of it reaches the
 * host's firewall, kernel settings or /run). Prints the start-up figure.
 */
class SeedClusterE2E {
    private static final long NOBODY = 65534L;

    @Test
    void podsReachServicesByNameClaimVolumesAndTheHostIsLeftAsFound() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        // The run's own host changes (its bridge, the /run/netns mount of the first namespace) come first.
        Device.create("warm-up").close();
        HostState before = HostState.save();
        // Other tests of this JVM may hold run-scoped processes (a shared apiserver): only ours must go.
        List<String> processesBefore = runProcesses();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            SeedCluster seed = SeedCluster.start(binaries, registry, host, 2);
            // Another machine whose containerd has the same socket path (every device's does): its shims are not the seed node's.
            Device bystander = Device.create("bystander");
            ManagedProcess decoy = bystander.start("decoy-shim", List.of("sh", "-c", "sleep 600; :", "containerd-shim-runc-v2",
                    "-address", "/run/containerd/containerd.sock"), Map.of());
            try {
                System.out.printf("testbed: seed cluster start to node Ready, Services served and DNS answering %d ms%n",
                        seed.startTime().toMillis());
                KubernetesClient client = seed.client();

                long started = System.nanoTime();
                Pod server = Pods.helloHttp("hello", null, hello, 8080, false);
                server.getSpec().setHostname("hello-0");
                server.getSpec().setSubdomain("peers");
                client.pods().inNamespace("default").resource(server).create();
                Service service = client.services().inNamespace("default").resource(service("hello", "NodePort", null)).create();
                client.services().inNamespace("default").resource(service("peers", "ClusterIP", "None")).create();
                String podIp = Pods.awaitRunning(client, "default", "hello", Duration.ofSeconds(90)).getStatus().getPodIP();
                assertThat(podIp).startsWith(seed.podSubnet().replaceAll("0/24$", "")).startsWith("10.245.");

                int nodePort = service.getSpec().getPorts().get(0).getNodePort();
                String nodePortUrl = "http://" + seed.nodeAddress() + ":" + nodePort + "/";
                assertThat(HttpProbe.get(nodePortUrl, Duration.ofSeconds(20)))
                        .as("the NodePort answers from the host").contains("hello from hello-0: hello");
                try (Device device = Device.create("edge-1")) {
                    assertThat(device.exec("curl", "-fsS", "--max-time", "5", nodePortUrl).orThrow().stdout())
                            .as("the NodePort answers a device on the test network").contains("hello from hello-0");
                }
                assertThat(lookup(seed, "hello.default.svc.cluster.local")).containsExactly(service.getSpec().getClusterIP());
                assertThat(lookup(seed, "hello-0.peers.default.svc.cluster.local")).as("a StatefulSet-style pod name")
                        .containsExactly(podIp);

                PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName("data").endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce")
                        .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources()
                        .endSpec().build()).create();
                assertThat(client.storage().v1().storageClasses().list().getItems()).as("no storage class at all").isEmpty();
                assertThat(claim.getSpec().getStorageClassName()).as("no default class was assigned").isNull();
                client.pods().inNamespace("default").resource(client("client", hello, "http://hello.default.svc/")).create();
                Pod done = awaitSucceeded(client, "client", Duration.ofSeconds(90));
                assertThat(client.pods().inNamespace("default").withName("client").getLog())
                        .as("the pod reached the Service by its DNS name").contains("hello from hello-0: hello");
                String volume = client.persistentVolumeClaims().inNamespace("default").withName("data").get().getSpec().getVolumeName();
                assertThat(volume).startsWith(StaticVolumes.PREFIX);
                Path written = seed.volumeDirectories().get(Integer.parseInt(volume.substring(StaticVolumes.PREFIX.length())) - 1)
                        .resolve("hello.txt");
                assertThat(Files.readString(written)).as("written by uid 65534 to the claimed volume").contains("hello from hello-0");
                assertThat(Files.getAttribute(written, "unix:uid")).isEqualTo((int) NOBODY);
                System.out.printf("testbed: seed cluster pods, Services, DNS, NodePort (host and device) and volume %d ms (client pod %s)%n",
                        (System.nanoTime() - started) / 1_000_000, done.getStatus().getPhase());

                try (KubernetesClient fromFile = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(Files.readString(seed.adminKubeconfig()))).build()) {
                    assertThat(fromFile.nodes().withName(seed.nodeName()).get()).as("Fabric8 from the admin kubeconfig").isNotNull();
                }
                String kubectl = binaries.binary("kubectl").toString();
                String kubeconfig = seed.adminKubeconfig().toString();
                // Its discovery cache stays in the run, out of the home directory.
                String cache = TestBedRun.current().dir().resolve("kubectl-cache").toString();
                assertThat(HostCommand.check(kubectl, "--kubeconfig", kubeconfig, "--cache-dir", cache, "get", "pvc", "data", "-o",
                        "jsonpath={.status.phase}").stdout()).isEqualTo("Bound");
                assertThat(HostCommand.check(kubectl, "--kubeconfig", kubeconfig, "--cache-dir", cache, "exec", "hello", "--",
                        "/hello-http", "get", "http://hello.default.svc/").stdout())
                        .as("a pod reaches itself through its own Service (hairpin)").contains("hello from hello-0");
                assertThat(seed.node().exec("ip", "-o", "link", "show", "master", "cni0").orThrow().stdout())
                        .as("pods on the node's CNI bridge").contains("veth");
            } finally {
                seed.close();
            }
            assertThat(decoy.isAlive()).as("a shim of another machine, with the same socket path, outlives the seed node").isTrue();
            bystander.close();

            // The suite-wide check (host-state.sh around mvn verify) also covers mounts and users.
            assertThat(before.differences("firewall", "sysctl", "links", "addresses", "routes", "netns", "processes", "run", "var-lib"))
                    .as("the host is as before: firewall, kernel settings, interfaces, routes, /run, /var/lib").isEmpty();
            assertThat(Mounts.below(TestBedRun.current().dir())).as("mounts left in the run").isEmpty();
            assertThat(runProcesses()).as("processes left besides the registry")
                    .allMatch(p -> p.contains("registry") || processesBefore.contains(p));
        }
    }

    private static Service service(String name, String type, String clusterIp) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp).withSelector(Map.of("app", "hello"))
                .addNewPort().withPort(80).withNewTargetPort(8080).endPort()
                .endSpec().build();
    }

    /** hello-http as a client, hardened as the product's control-plane pods are, writing to claim "data". */
    private static Pod client(String name, String image, String url) {
        return new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(NOBODY).withRunAsGroup(NOBODY)
                .withFsGroup(NOBODY).withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("get").withImage(image).withArgs("get", url, "/data/hello.txt")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
                .endSpec().build();
    }

    /** The A records of {@code name}, once there are any (DNS follows the API within seconds); bounded. */
    private static List<String> lookup(SeedCluster seed, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> records = seed.dns().lookup(name);
        while (records.isEmpty() && System.nanoTime() < deadline) {
            ApiServer.sleep(500);
            records = seed.dns().lookup(name);
        }
        return records;
    }

    private static Pod awaitSucceeded(KubernetesClient client, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pod pod = null;
        while (System.nanoTime() < deadline) {
            pod = client.pods().inNamespace("default").withName(name).get();
            String phase = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase)) {
                return pod;
            }
            if ("Failed".equals(phase)) {
                throw new AssertionError("pod " + name + " failed:\n" + client.pods().inNamespace("default").withName(name).getLog());
            }
            ApiServer.sleep(500);
        }
        throw new AssertionError("pod " + name + " did not finish in " + timeout.toSeconds() + " s: "
                + (pod == null ? "absent" : pod.getStatus()));
    }

    /** Command lines of live processes that point into this run's directory. */
    private static List<String> runProcesses() {
        String marker = TestBedRun.current().dir() + "/";
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != self)
                .map(p -> TestBedRun.commandLine(p.pid())).filter(c -> c.contains(marker)).toList();
    }
}
