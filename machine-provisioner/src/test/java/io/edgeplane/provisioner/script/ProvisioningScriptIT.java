package io.edgeplane.provisioner.script;

import io.edgeplane.testbed.ComponentVersions;
import io.edgeplane.testbed.Mounts;
import io.edgeplane.testbed.Pods;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.images.TestImages;
import io.edgeplane.testbed.device.TestNetwork;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered provisioning script run as root inside test-bed device sandboxes (Debian 12, no
 * systemd: the service starter runs containerd, the kubelet and the device agent) against a real
 * control plane: the node joins Ready with its name, labels and taints and runs a pod, and the agent
 * runs; a second run changes and restarts nothing; deprovisioning removes the kubelet and the agent;
 * bad checksums and the wrong OS are refused before anything is installed. With a tunnel and a pod
 * range given, the real tunnel agent runs with the contract's command line, the node name resolves
 * to the device, pods get addresses from the range and move when it changes, and deprovisioning
 * leaves no trace of the tunnel. With cluster services given, kube-proxy and CoreDNS run as static pods from images
 * the device built, and deprovisioning leaves no trace of them.
 */
class ProvisioningScriptIT {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Map<String, String> LABELS = Map.of("edgeplane.io/site", "hamburg-7", "tier", "edge");
    private static final List<NodeTaint> TAINTS = List.of(new NodeTaint("edgeplane.io/dedicated", "edge", "NoSchedule"),
            new NodeTaint("edgeplane.io/gpu", "", "PreferNoSchedule"));
    /** Everything provisioning writes; a second run must leave each untouched. */
    private static final List<String> WRITTEN = List.of("/usr/local/bin/kubelet", "/usr/local/bin/edgeplane-device",
            "/usr/local/sbin/edgeplane-service", "/etc/edgeplane/services/edgeplane-device",
            "/var/lib/edgeplane/services/edgeplane-device",
            "/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/bootstrap-kubelet.conf", "/var/lib/kubelet/config.yaml",
            "/etc/edgeplane/node-name", "/etc/edgeplane/services/kubelet", "/etc/edgeplane/services/containerd",
            "/etc/edgeplane/containerd.env", "/etc/containerd/config.toml", "/etc/cni/net.d/10-edgeplane.conflist",
            "/etc/sysctl.d/99-edgeplane.conf", "/etc/modules-load.d/edgeplane.conf",
            "/var/lib/edgeplane/services/kubelet", "/var/lib/edgeplane/services/containerd");
    private static ScriptTestBed bed;

    @BeforeAll
    static void startTestBed() {
        bed = ScriptTestBed.start();
    }

    @AfterAll
    static void stopTestBed() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aDeviceJoinsReadyAgainChangesNothingAndLeavesCleanly() {
        Device device = Device.create("edge-script");
        Path cgroupRoot = ScriptTestBed.cgroupDir(device);
        try {
            ProvisioningInput input = bed.input(device, LABELS, TAINTS);
            String script = ProvisioningScripts.provision(input);
            Map<String, String> knobs = ScriptTestBed.sharedKernelKnobs(device);

            long started = System.nanoTime();
            CommandResult first = ScriptTestBed.run(device, "provision.sh", script, knobs);
            long scriptDone = System.nanoTime();
            System.out.println(first.stderr());
            assertThat(first.exitCode()).as("first run:\n%s", first.stderr()).isZero();
            Node node = bed.awaitReady(device.name(), READY_TIMEOUT);
            long ready = System.nanoTime();
            System.out.printf("provisioning: script start to node Ready %d ms (script %d ms, then Ready after %d ms)%n",
                    (ready - started) / 1_000_000, (scriptDone - started) / 1_000_000, (ready - scriptDone) / 1_000_000);

            assertThat(first.stderr()).contains("[preflight]", "[download] kubelet downloaded, SHA-256 verified",
                    "[download] device agent downloaded, SHA-256 verified", "[containerd]", "[start] started kubelet",
                    "[register] node edge-script is registered", "[agent] started edgeplane-device")
                    .doesNotContain(input.bootstrapToken());
            assertThat(read(device, "/etc/edgeplane/services/edgeplane-device"))
                    .contains("exec /usr/local/bin/edgeplane-device agent --apiserver " + input.apiserverUrl());
            assertThat(node.getMetadata().getName()).isEqualTo("edge-script");
            assertThat(node.getMetadata().getLabels()).containsAllEntriesOf(LABELS).containsEntry("kubernetes.io/hostname", "edge-script");
            assertThat(node.getSpec().getTaints()).extracting(t -> new NodeTaint(t.getKey(), t.getValue(), t.getEffect()))
                    .containsAll(TAINTS);
            assertThat(node.getStatus().getAddresses()).anyMatch(a -> a.getAddress().equals(device.address()));
            assertThat(cgroupRoot.resolve("kubepods")).as("pods' cgroups below the knob's root").isDirectory();

            // containerd as configured: the pause image and the app come from the insecure registry, the pod gets a bridge address.
            bed.client().pods().inNamespace("default").resource(Pods.helloHttp("hello", device.name(),
                    TestImages.helloHttp(bed.registry()), 8080, false)).create();
            assertThat(Pods.awaitRunning(bed.client(), "default", "hello", Duration.ofSeconds(90)).getStatus().getPodIP())
                    .startsWith("10.88.");

            String kubeletPid = read(device, "/run/edgeplane/kubelet.pid");
            String containerdPid = read(device, "/run/edgeplane/containerd.pid");
            String agentPid = read(device, "/run/edgeplane/edgeplane-device.pid");
            assertThat(agentPid).as("the agent runs").isNotBlank();
            Map<String, FileTime> written = modificationTimes(device);
            int kubeletDownloads = bed.mirror().downloads(ArtifactMirror.KUBELET);
            int agentDownloads = bed.mirror().downloads(ArtifactMirror.AGENT);
            long again = System.nanoTime();
            CommandResult second = ScriptTestBed.run(device, "provision.sh", script, knobs);
            System.out.printf("provisioning: second run %d ms%n", (System.nanoTime() - again) / 1_000_000);
            System.out.println(second.stderr());
            assertThat(second.exitCode()).as("second run:\n%s", second.stderr()).isZero();
            assertThat(second.stderr()).contains("nothing changed, nothing restarted");
            assertThat(read(device, "/run/edgeplane/kubelet.pid")).as("same kubelet").isEqualTo(kubeletPid);
            assertThat(read(device, "/run/edgeplane/containerd.pid")).as("same containerd").isEqualTo(containerdPid);
            assertThat(read(device, "/run/edgeplane/edgeplane-device.pid")).as("same agent").isEqualTo(agentPid);
            assertThat(modificationTimes(device)).isEqualTo(written);
            assertThat(bed.mirror().downloads(ArtifactMirror.KUBELET)).as("kubelet downloads").isEqualTo(kubeletDownloads);
            assertThat(bed.mirror().downloads(ArtifactMirror.AGENT)).as("agent downloads").isEqualTo(agentDownloads);

            CommandResult deprovision = ScriptTestBed.run(device, "deprovision.sh", ProvisioningScripts.deprovision(device.name()), knobs);
            assertThat(deprovision.exitCode()).as("deprovision:\n%s", deprovision.stderr()).isZero();
            assertThat(device.exec("pgrep", "-x", "kubelet").exitCode()).as("a kubelet runs").isEqualTo(1);
            assertThat(device.exec("test", "-e", "/usr/local/bin/kubelet").exitCode()).isEqualTo(1);
            assertThat(device.exec("test", "-e", "/var/lib/kubelet").exitCode()).isEqualTo(1);
            // pgrep -x would compare the 15 characters of the process name; the full command line is unambiguous.
            assertThat(device.exec("pgrep", "-f", "^/usr/local/bin/edgeplane-device agent").exitCode()).as("an agent runs").isEqualTo(1);
            for (String path : List.of("/usr/local/bin/edgeplane-device", "/var/lib/edgeplane/device-agent",
                    "/run/edgeplane/device-agent.sock", "/etc/edgeplane/services/edgeplane-device")) {
                assertThat(device.exec("test", "-e", path).exitCode()).as("%s exists", path).isEqualTo(1);
            }
            assertThat(device.exec("pgrep", "-x", "containerd").exitCode()).as("containerd keeps running").isZero();
            assertThat(device.exec("ctr", "-n", "k8s.io", "containers", "list", "-q").orThrow().stdout()).as("pods' containers").isBlank();
            assertThat(cgroupRoot).doesNotExist();
            CommandResult again2 = ScriptTestBed.run(device, "deprovision.sh", ProvisioningScripts.deprovision(device.name()), knobs);
            assertThat(again2.exitCode()).isZero();
            assertThat(again2.stderr()).contains("nothing changed");
            bed.client().pods().inNamespace("default").withName("hello").withGracePeriod(0).delete();
            bed.client().nodes().withName(device.name()).delete();
        } finally {
            device.close();
        }
        assertThat(device.processIds()).as("processes of the closed device").isEmpty();
        assertThat(Mounts.below(device.dir())).as("mounts of the closed device").isEmpty();
        assertThat(cgroupRoot).doesNotExist();
    }

    @Test
    void aWrongChecksumOrOsIsRefusedBeforeAnythingIsInstalled() {
        try (Device device = Device.create("edge-refused")) {
            Map<String, String> knobs = ScriptTestBed.sharedKernelKnobs(device);
            ProvisioningInput good = bed.input(device, Map.of(), List.of());
            String containerdConfig = read(device, "/etc/containerd/config.toml");

            ProvisioningInput wrongSha = new ProvisioningInput(good.nodeName(), good.os(), good.arch(), good.labels(), good.taints(),
                    good.apiserverUrl(), good.caCertificatePem(), good.bootstrapToken(), good.kubernetesVersion(), good.kubeletUrl(),
                    "0".repeat(64), good.agentUrl(), good.agentSha256(), good.mirrorCaPem(), good.tunnel(), good.podCidr(), good.services(), good.podNetwork(), good.node());
            CommandResult sha = ScriptTestBed.run(device, "provision.sh", ProvisioningScripts.provision(wrongSha), knobs);
            assertThat(sha.exitCode()).isNotZero();
            assertThat(sha.stderr()).contains("[download] ERROR: checksum mismatch", "refusing to install it",
                    "provisioning of node edge-refused FAILED in step [download]");
            assertNothingInstalled(device, containerdConfig);

            ProvisioningInput wrongAgentSha = new ProvisioningInput(good.nodeName(), good.os(), good.arch(), good.labels(),
                    good.taints(), good.apiserverUrl(), good.caCertificatePem(), good.bootstrapToken(), good.kubernetesVersion(),
                    good.kubeletUrl(), good.kubeletSha256(), good.agentUrl(), "0".repeat(64), good.mirrorCaPem(), good.tunnel(), good.podCidr(),
                    good.services(), good.podNetwork(), good.node());
            CommandResult agentSha = ScriptTestBed.run(device, "provision.sh", ProvisioningScripts.provision(wrongAgentSha), knobs);
            assertThat(agentSha.exitCode()).isNotZero();
            assertThat(agentSha.stderr()).contains("[download] ERROR: checksum mismatch for " + good.agentUrl(), "refusing to install it",
                    "provisioning of node edge-refused FAILED in step [download]");
            assertNothingInstalled(device, containerdConfig);

            ProvisioningInput wrongOs = new ProvisioningInput(good.nodeName(), "ubuntu-22.04", good.arch(), good.labels(), good.taints(),
                    good.apiserverUrl(), good.caCertificatePem(), good.bootstrapToken(), good.kubernetesVersion(), good.kubeletUrl(),
                    good.kubeletSha256(), good.agentUrl(), good.agentSha256(), good.mirrorCaPem(), good.tunnel(), good.podCidr(), good.services(), good.podNetwork(), good.node());
            CommandResult os = ScriptTestBed.run(device, "provision.sh", ProvisioningScripts.provision(wrongOs), knobs);
            assertThat(os.exitCode()).isNotZero();
            assertThat(os.stderr()).contains("[preflight] ERROR: this machine runs debian-12, but the script was rendered for ubuntu-22.04",
                    "FAILED in step [preflight]");
            assertNothingInstalled(device, containerdConfig);
        }
    }

    /** SIGKILL part way (no trap runs, whatever was half done stays so), then a power cut: each next run converges. */
    @Test
    void aKilledRunOrAPowerCutIsCompletedByTheNextRun() throws IOException {
        try (Device device = Device.create("edge-killed")) {
            Map<String, String> knobs = ScriptTestBed.sharedKernelKnobs(device);
            Files.writeString(device.hostPath("/root/provision.sh"), ProvisioningScripts.provision(bed.input(device, Map.of(), List.of())));
            for (String after : List.of("0.7", "1.8")) {
                CommandResult killed = device.exec(List.of("timeout", "-s", "KILL", after, "bash", "/root/provision.sh"), knobs,
                        ScriptTestBed.SCRIPT_TIMEOUT);
                assertThat(killed.exitCode()).as("killed after %s s:\n%s", after, killed.stderr()).isIn(0, 137);
                List<String> lines = killed.stderr().lines().toList();
                System.out.printf("provisioning: killed after %s s at: %s%n", after, lines.isEmpty() ? "(start)" : lines.get(lines.size() - 1));
            }
            CommandResult completed = device.exec(List.of("bash", "/root/provision.sh"), knobs, ScriptTestBed.SCRIPT_TIMEOUT);
            assertThat(completed.exitCode()).as("run after the killed ones:\n%s", completed.stderr()).isZero();
            bed.awaitReady(device.name(), READY_TIMEOUT);
            String kubelet = read(device, "/run/edgeplane/kubelet.pid");

            device.kill();
            device.boot();
            CommandResult afterBoot = device.exec(List.of("bash", "/root/provision.sh"), knobs, ScriptTestBed.SCRIPT_TIMEOUT);
            assertThat(afterBoot.exitCode()).as("run after a power cut:\n%s", afterBoot.stderr()).isZero();
            assertThat(afterBoot.stderr()).contains("[containerd] started containerd", "[start] started kubelet",
                    "[agent] started edgeplane-device")
                    .doesNotContain("wrote ");
            assertThat(read(device, "/run/edgeplane/kubelet.pid")).isNotEqualTo(kubelet);
            bed.awaitReady(device.name(), READY_TIMEOUT);

            CommandResult deprovision = ScriptTestBed.run(device, "deprovision.sh", ProvisioningScripts.deprovision(device.name()), knobs);
            assertThat(deprovision.exitCode()).as("deprovision:\n%s", deprovision.stderr()).isZero();
            bed.client().nodes().withName(device.name()).delete();
        }
    }

    @Test
    void renderedScriptsAreShellcheckClean() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck is not installed");
        for (String script : List.of(ProvisioningScripts.provision(SampleInputs.full()), ProvisioningScripts.deprovision("edge-1"))) {
            Process shellcheck = new ProcessBuilder("/usr/bin/shellcheck", "-S", "style", "-").redirectErrorStream(true).start();
            try (var in = shellcheck.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String findings = new String(shellcheck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shellcheck.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(shellcheck.exitValue()).as(findings).isZero();
        }
    }

    /**
     * No tunnel server listens here (the seed side is not this module's): the agent's health server
     * says it runs, its readiness that it is not connected. The node name differs from the device's
     * host name, as a MachineDeployment's name does from a real device's, so that the script must
     * make it resolve.
     */
    @Test
    void aDeviceRunsTheTunnelAgentAndItsOwnPodRangeAndLeavesNoTraceOfThem() throws IOException {
        Assumptions.assumeTrue(bed.mirror().serves(ArtifactMirror.TUNNEL),
                "the test bed's binaries hold no konnectivity-agent (fetch-binaries.sh builds it since issue 14)");
        try (Device device = Device.create("edge-tunnel")) {
            Map<String, String> knobs = ScriptTestBed.sharedKernelKnobs(device);
            String hostsBefore = read(device, "/etc/hosts");
            // A resolver that knows no node names and says so at once, as a site's DNS would; the host's,
            // unreachable from the sandbox, would make every lookup of the node name time out.
            Files.writeString(device.hostPath("/etc/resolv.conf"), "nameserver 127.0.0.1\n");
            String nodeName = "edge-tunnel-node";
            TunnelInput tunnel = new TunnelInput(bed.mirror().url(ArtifactMirror.TUNNEL), bed.mirror().sha256(ArtifactMirror.TUNNEL),
                    TestNetwork.current().hostAddress(), unusedPort());
            SampleInputs.ProvisioningInputBuilder input = new SampleInputs.ProvisioningInputBuilder(bed.input(device, Map.of(), List.of()))
                    .nodeName(nodeName).tunnel(tunnel);

            CommandResult first = ScriptTestBed.run(device, "provision.sh", ProvisioningScripts.provision(input.podCidr("10.244.7.0/24").build()),
                    knobs);
            System.out.println(first.stderr());
            assertThat(first.exitCode()).as("first run:\n%s", first.stderr()).isZero();
            assertThat(first.stderr()).contains("[download] tunnel agent downloaded, SHA-256 verified",
                    "[containerd] pods get addresses from 10.244.7.0/24 (EP_POD_CIDR)",
                    // Before the kubelet starts, so that its own lookup of the name does not wait for DNS.
                    "[kubelet] added '127.0.1.1 " + nodeName + " # Managed by Edgeplane provisioning' to /etc/hosts",
                    "[tunnel] node name " + nodeName + " resolves to this device", "[tunnel] started edgeplane-tunnel",
                    "[tunnel] the tunnel agent dials " + tunnel.serverHost() + ":" + tunnel.serverPort());
            assertThat(read(device, "/etc/edgeplane/services/edgeplane-tunnel")).contains("setpriv --pdeathsig KILL /usr/local/bin/konnectivity-agent \\\n"
                    + "  --proxy-server-host=" + tunnel.serverHost() + " --proxy-server-port=" + tunnel.serverPort() + " \\\n");
            assertThat(device.exec("getent", "ahostsv4", nodeName).orThrow().stdout()).startsWith("127.0.1.1 ");
            assertThat(device.exec("stat", "-c", "%a", "/var/lib/edgeplane/tunnel").orThrow().stdout().strip()).isEqualTo("700");
            Node node = bed.awaitReady(nodeName, READY_TIMEOUT);
            assertThat(node.getStatus().getAddresses()).as("the node's addresses")
                    .anyMatch(a -> a.getType().equals("InternalIP") && a.getAddress().equals(device.address()))
                    .anyMatch(a -> a.getType().equals("Hostname") && a.getAddress().equals(nodeName));

            // The device agent writes the token; here the test does, and the real agent starts on its command line.
            awaitLog(device, "/var/log/edgeplane/edgeplane-tunnel.log", "waiting for the tunnel token /var/lib/edgeplane/tunnel/token");
            Files.writeString(device.hostPath("/var/lib/edgeplane/tunnel/token"), "not-a-real-token");
            assertThat(awaitHttp(device, "http://127.0.0.1:8093/healthz", "ok")).as("healthz").isEqualTo("ok");
            assertThat(device.exec("curl", "-s", "http://127.0.0.1:8093/readyz").stdout()).contains("no servers connected");

            // konnectivity-agent only drains on a first SIGTERM: a stop must not wait for the starter's kill timeout.
            long stopping = System.nanoTime();
            device.exec(List.of("/usr/local/sbin/edgeplane-service", "stop", "edgeplane-tunnel"), Map.of(), Duration.ofSeconds(60)).orThrow();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("stopping the tunnel agent").isLessThan(Duration.ofSeconds(10));
            assertThat(device.exec("pgrep", "-f", "^/usr/local/bin/konnectivity-agent").exitCode()).as("a tunnel agent runs").isEqualTo(1);
            device.exec(List.of("/usr/local/sbin/edgeplane-service", "start", "edgeplane-tunnel"), Map.of(), Duration.ofSeconds(60)).orThrow();
            assertThat(awaitHttp(device, "http://127.0.0.1:8093/healthz", "ok")).as("healthz after a start").isEqualTo("ok");

            bed.client().pods().inNamespace("default").resource(Pods.helloHttp("hello-tunnel", nodeName,
                    TestImages.helloHttp(bed.registry()), 8080, false)).create();
            assertThat(Pods.awaitRunning(bed.client(), "default", "hello-tunnel", Duration.ofSeconds(90)).getStatus().getPodIP())
                    .startsWith("10.244.7.");

            // Another range: the pods move to it.
            CommandResult moved = ScriptTestBed.run(device, "provision.sh", ProvisioningScripts.provision(input.podCidr("10.244.8.0/24").build()),
                    knobs);
            System.out.println(moved.stderr());
            assertThat(moved.exitCode()).as("run with another pod range:\n%s", moved.stderr()).isZero();
            assertThat(moved.stderr()).contains("WARNING: the pod range is now 10.244.8.0/24, but the pod bridge cni0 has 10.244.7.1/24",
                    "[containerd] removed the pod bridge cni0", "[start] started kubelet",
                    // The tunnel agent announces the pods' addresses, so a new range restarts it.
                    "[tunnel] restarted edgeplane-tunnel: its configuration changed");
            assertThat(awaitPodIp("hello-tunnel", "10.244.8.")).startsWith("10.244.8.");
            CommandResult again = ScriptTestBed.run(device, "provision.sh", ProvisioningScripts.provision(input.build()), knobs);
            assertThat(again.stderr()).as("a run with the same input").contains("nothing changed, nothing restarted");

            CommandResult deprovision = ScriptTestBed.run(device, "deprovision.sh", ProvisioningScripts.deprovision(nodeName), knobs);
            System.out.println(deprovision.stderr());
            assertThat(deprovision.exitCode()).as("deprovision:\n%s", deprovision.stderr()).isZero();
            assertThat(deprovision.stderr()).contains("[tunnel] stopped edgeplane-tunnel");
            assertThat(device.exec("pgrep", "-f", "^/usr/local/bin/konnectivity-agent").exitCode()).as("a tunnel agent runs").isEqualTo(1);
            for (String path : List.of("/usr/local/bin/konnectivity-agent", "/var/lib/edgeplane/tunnel",
                    "/etc/edgeplane/services/edgeplane-tunnel", "/var/lib/edgeplane/services/edgeplane-tunnel")) {
                assertThat(device.exec("test", "-e", path).exitCode()).as("%s exists", path).isEqualTo(1);
            }
            assertThat(read(device, "/etc/hosts")).as("/etc/hosts as it was").isEqualTo(hostsBefore);
            bed.client().pods().inNamespace("default").withName("hello-tunnel").withGracePeriod(0).delete();
            bed.client().nodes().withName(nodeName).delete();
        }
    }

    /**
     * kube-proxy and CoreDNS as static pods from images the device builds from the mirror's binaries. No RBAC
     * grants the node what they read (the seed's part, not this module's): both run regardless, CoreDNS
     * answers its health check on the DNS address's interface, and a second run imports nothing.
     */
    @Test
    void aDeviceRunsClusterServicesAsStaticPodsAndLeavesNoTraceOfThem() {
        Assumptions.assumeTrue(bed.mirror().serves(ArtifactMirror.KUBE_PROXY) && bed.mirror().serves(ArtifactMirror.COREDNS),
                "the test bed's binaries hold no kube-proxy or coredns (fetch-binaries.sh builds coredns since issue 14)");
        try (Device device = Device.create("edge-services")) {
            Map<String, String> knobs = ScriptTestBed.sharedKernelKnobs(device);
            String coredns = ComponentVersions.pinned().coredns();
            ClusterServicesInput services = new ClusterServicesInput(bed.mirror().url(ArtifactMirror.KUBE_PROXY),
                    bed.mirror().sha256(ArtifactMirror.KUBE_PROXY), bed.mirror().url(ArtifactMirror.COREDNS),
                    bed.mirror().sha256(ArtifactMirror.COREDNS), coredns, "10.88.0.0/16");
            String script = ProvisioningScripts.provision(new SampleInputs.ProvisioningInputBuilder(bed.input(device, Map.of(), List.of()))
                    .services(services).build());
            String node = device.name();

            CommandResult first = ScriptTestBed.run(device, "provision.sh", script, knobs);
            System.out.println(first.stderr());
            assertThat(first.exitCode()).as("first run:\n%s", first.stderr()).isZero();
            String proxyImage = "edgeplane.local/kube-proxy:" + bed.mirror().version();
            String dnsImage = "edgeplane.local/coredns:" + coredns;
            assertThat(first.stderr()).contains("[download] kube-proxy downloaded, SHA-256 verified",
                    "[download] coredns downloaded, SHA-256 verified", "[services] imported image " + proxyImage,
                    "[services] imported image " + dnsImage, "[services] static pod kube-proxy-" + node,
                    "[services] static pod coredns-" + node);
            assertThat(read(device, "/var/lib/kubelet/config.yaml")).contains("clusterDNS:\n- 169.254.20.10\nclusterDomain: cluster.local\n");
            bed.awaitReady(node, READY_TIMEOUT);
            Pods.awaitRunning(bed.client(), "kube-system", "kube-proxy-" + node, Duration.ofSeconds(90));
            Pods.awaitRunning(bed.client(), "kube-system", "coredns-" + node, Duration.ofSeconds(90));
            assertThat(awaitHttp(device, "http://127.0.0.1:8095/health", "OK")).as("CoreDNS's health").isEqualTo("OK");
            assertThat(device.exec("ip", "-o", "-4", "addr", "show", "dev", "edgeplane-dns").orThrow().stdout()).contains("169.254.20.10/32");

            CommandResult again = ScriptTestBed.run(device, "provision.sh", script, knobs);
            assertThat(again.exitCode()).as("second run:\n%s", again.stderr()).isZero();
            assertThat(again.stderr()).contains("[services] image " + proxyImage + " is present", "nothing changed, nothing restarted");

            CommandResult deprovision = ScriptTestBed.run(device, "deprovision.sh", ProvisioningScripts.deprovision(node), knobs);
            System.out.println(deprovision.stderr());
            assertThat(deprovision.exitCode()).as("deprovision:\n%s", deprovision.stderr()).isZero();
            assertThat(deprovision.stderr()).contains("[services] removed kube-proxy's iptables rules", "[services] removed image " + dnsImage);
            for (String path : List.of("/etc/kubernetes/manifests/edgeplane-kube-proxy.yaml", "/etc/kubernetes/manifests/edgeplane-coredns.yaml",
                    "/etc/edgeplane/coredns", "/var/lib/edgeplane/cluster-services")) {
                assertThat(device.exec("test", "-e", path).exitCode()).as("%s exists", path).isEqualTo(1);
            }
            assertThat(device.exec("ip", "link", "show", "edgeplane-dns").exitCode()).as("the DNS interface exists").isNotZero();
            assertThat(device.exec("ctr", "-n", "k8s.io", "images", "ls", "-q").orThrow().stdout()).doesNotContain("edgeplane.local/");
            bed.client().nodes().withName(node).delete();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(TestNetwork.current().hostAddress()))) {
            return socket.getLocalPort();
        }
    }

    private static void awaitLog(Device device, String path, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!read(device, path).contains(text)) {
            assertThat(System.nanoTime()).as("%s says %s; it holds:%n%s", path, text, read(device, path)).isLessThan(deadline);
            ScriptTestBed.sleep(200);
        }
    }

    private static String awaitHttp(Device device, String url, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = device.exec("curl", "-s", "--max-time", "2", url).stdout().strip();
            if (body.equals(expected)) {
                break;
            }
            ScriptTestBed.sleep(200);
        }
        return body;
    }

    private static String awaitPodIp(String pod, String prefix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String ip = "";
        while (System.nanoTime() < deadline) {
            Pod current = bed.client().pods().inNamespace("default").withName(pod).get();
            ip = current == null || current.getStatus() == null || current.getStatus().getPodIP() == null ? "" : current.getStatus().getPodIP();
            if (ip.startsWith(prefix)) {
                break;
            }
            ScriptTestBed.sleep(500);
        }
        return ip;
    }

    private static void assertNothingInstalled(Device device, String containerdConfig) {
        for (String path : List.of("/usr/local/bin/kubelet", "/usr/local/bin/edgeplane-device", "/usr/local/sbin/edgeplane-service",
                "/etc/kubernetes", "/etc/edgeplane",
                "/var/lib/edgeplane", "/var/lib/kubelet", "/etc/containerd/certs.d", "/etc/cni/net.d/10-edgeplane.conflist",
                "/etc/sysctl.d/99-edgeplane.conf", "/etc/modules-load.d/edgeplane.conf", "/run/edgeplane")) {
            assertThat(device.exec("test", "-e", path).exitCode()).as("%s exists", path).isEqualTo(1);
        }
        assertThat(read(device, "/etc/containerd/config.toml")).isEqualTo(containerdConfig);
        assertThat(device.exec("pgrep", "-x", "containerd").exitCode()).as("containerd runs").isEqualTo(1);
        assertThat(ScriptTestBed.cgroupDir(device)).doesNotExist();
    }

    private static String read(Device device, String path) {
        try {
            Path file = device.hostPath(path);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, FileTime> modificationTimes(Device device) {
        Map<String, FileTime> times = new LinkedHashMap<>();
        Stream.concat(WRITTEN.stream(), Stream.of("/etc/containerd/certs.d/" + bed.registry().hostPort() + "/hosts.toml"))
                .forEach(path -> {
                    try {
                        times.put(path, Files.getLastModifiedTime(device.hostPath(path)));
                    } catch (IOException e) {
                        throw new UncheckedIOException("provisioning did not write " + path, e);
                    }
                });
        return times;
    }
}
