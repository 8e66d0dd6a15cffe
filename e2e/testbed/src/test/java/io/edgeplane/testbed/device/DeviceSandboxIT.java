package io.edgeplane.testbed.device;

import com.sun.net.httpserver.HttpServer;
import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.TestBedRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceSandboxIT {
    private static final Duration UNREACHABLE_WITHIN = Duration.ofSeconds(5);
    private static Device a;
    private static Device b;

    @BeforeAll
    static void createTwoDevices() {
        long started = System.nanoTime();
        a = Device.create("edge-a");
        long first = System.nanoTime();
        b = Device.create("edge-b");
        System.out.printf("testbed: device create until sshd accepts connections: %d ms (first, with the network), %d ms%n",
                (first - started) / 1_000_000, (System.nanoTime() - first) / 1_000_000);
    }

    @AfterAll
    static void closeDevices() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void eachDeviceHasItsOwnHostnameAddressAndProcesses() {
        assertThat(a.exec("hostname").orThrow().stdout().strip()).isEqualTo("edge-a");
        assertThat(b.exec("hostname").orThrow().stdout().strip()).isEqualTo("edge-b");
        assertThat(a.exec("cat", "/etc/hostname").orThrow().stdout().strip()).isEqualTo("edge-a");

        String subnet = TestNetwork.current().subnet().cidr();
        assertThat(a.address()).isNotEqualTo(b.address());
        assertThat(a.exec("ip", "-4", "-o", "addr", "show", "dev", "eth0").orThrow().stdout()).contains(a.address() + "/24");
        assertThat(b.exec("ip", "-4", "-o", "addr", "show", "dev", "eth0").orThrow().stdout()).contains(b.address() + "/24");
        assertThat(a.exec("ip", "route", "show", "default").orThrow().stdout())
                .as("default route of a device on %s", subnet).contains("via " + TestNetwork.current().hostAddress());

        // /sys shows the device's network interfaces, and the host's cgroup hierarchies for a kubelet.
        assertThat(a.exec("ls", "/sys/class/net").orThrow().stdout().lines().toList()).containsExactlyInAnyOrder("eth0", "lo");
        assertThat(a.exec("ls", "/sys/fs/cgroup").orThrow().stdout().lines().toList())
                .isEqualTo(HostCommand.check("ls", "/sys/fs/cgroup").stdout().lines().toList());

        // /proc is the device's PID namespace: PID 1 is the device's init, not the host's.
        assertThat(a.exec("cat", "/proc/1/cmdline").orThrow().stdout()).contains("device-init").contains("edge-a");
        assertThat(a.exec("cat", "/proc/1/cmdline").orThrow().stdout()).doesNotContain("edge-b");
    }

    @Test
    void filesWrittenInsideADeviceStayInThatDevice() throws IOException {
        List<String> paths = List.of("/etc/kubernetes/edgeplane-marker", "/var/lib/kubelet/edgeplane-marker",
                "/usr/local/bin/edgeplane-marker", "/opt/edgeplane/marker", "/root/edgeplane-marker",
                "/tmp/edgeplane-marker", "/home/edgeplane-marker", "/run/edgeplane-marker", "/var/log/edgeplane-marker");
        for (String path : paths) {
            assertThat(Path.of(path)).as("precondition: the host has no %s", path).doesNotExist();
            a.exec("bash", "-c", "mkdir -p \"$(dirname \"$1\")\" && echo edge-a > \"$1\"", "write", path).orThrow();

            assertThat(a.exec("cat", path).orThrow().stdout()).isEqualTo("edge-a\n");
            assertThat(Path.of(path)).as("%s written in the device, seen from the host", path).doesNotExist();
            assertThat(b.exec("test", "-e", path).exitCode()).as("%s written in device A, seen from B", path).isEqualTo(1);
            assertThat(Files.readString(a.hostPath(path))).isEqualTo("edge-a\n");
        }
        // The device's /etc started as a copy of the host's: users and CA certificates exist.
        assertThat(a.exec("id", "-un").orThrow().stdout().strip()).isEqualTo("root");
        assertThat(a.exec("test", "-d", "/etc/ssl/certs").exitCode()).isZero();
    }

    @Test
    void kernelSettingsAKubeletChangesAreTheDevicesOwn() throws IOException {
        for (String tunable : Device.GLOBAL_TUNABLES) {
            Path onHost = Path.of("/proc/sys", tunable);
            String hostValue = readSysctl(onHost);
            String other = hostValue.equals("1") ? "2" : "1";
            a.exec("bash", "-c", "echo " + other + " > /proc/sys/" + tunable).orThrow();
            assertThat(a.exec("cat", "/proc/sys/" + tunable).orThrow().stdout().strip()).as("%s read back in the device", tunable)
                    .isEqualTo(other);
            assertThat(readSysctl(onHost)).as("%s on the host", tunable).isEqualTo(hostValue);
            assertThat(b.exec("cat", "/proc/sys/" + tunable).orThrow().stdout().strip())
                    .as("%s in another device (the host has %s, device a %s)", tunable, hostValue, other).isEqualTo(hostValue);
        }
    }

    /** In one read: a sysctl file answers only a read at offset 0 (Files.readString would read one byte first). */
    private static String readSysctl(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            return reader.readLine().strip();
        }
    }

    @Test
    void aDeviceReachesTheHostAndTheHostReachesItsSshd() throws IOException {
        String hostAddress = TestNetwork.current().hostAddress();
        HttpServer server = HttpServer.create(new InetSocketAddress(hostAddress, 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "hello from the host".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            CommandResult response = a.exec(List.of("bash", "-c",
                    "exec 3<>\"/dev/tcp/$1/$2\" && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3",
                    "get", hostAddress, Integer.toString(server.getAddress().getPort())), Map.of(), Duration.ofSeconds(10));
            assertThat(response.orThrow().stdout()).contains("200").endsWith("hello from the host");
        } finally {
            server.stop(0);
        }

        assertThat(sshBanner(a)).startsWith("SSH-2.0-");
    }

    /** Two runs at once (failsafe's forks) once routed the same seed pod subnet, and the later one took the host's route. */
    @Test
    void aPodSubnetRoutedViaOneDeviceIsNeverTakenByAnother() {
        TestNetwork network = TestNetwork.current();
        String first = network.routeFreePodSubnet("10.245.200.0/24", a);
        try {
            String second = network.routeFreePodSubnet("10.245.200.0/24", b);
            try {
                assertThat(second).isNotEqualTo(first);
                assertThatThrownBy(() -> network.routePodSubnet(first, b)).hasMessageContaining("cannot route " + first);
                String routes = HostCommand.check(HostTool.IP.path(), "-4", "route", "show", "dev", network.bridge()).stdout();
                assertThat(routes).contains(first + " via " + a.address()).contains(second + " via " + b.address());
            } finally {
                network.unroutePodSubnet(second);
            }
        } finally {
            network.unroutePodSubnet(first);
        }
    }

    @Test
    void rootLogsInOverSshOnlyWithThePinnedHostKey() {
        CommandResult login = SshCli.run(a, a.hostPublicKey(), "hostname; id -u");
        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout().lines().toList()).containsExactly("edge-a", "0");

        CommandResult wrongKey = SshCli.run(a, b.hostPublicKey(), "hostname");
        assertThat(wrongKey.exitCode()).isEqualTo(255);
        assertThat(wrongKey.stderr()).contains("Host key verification failed");
        assertThat(wrongKey.stdout()).isEmpty();

        String printed = HostCommand.check(HostTool.SSH_KEYGEN.path(), "-lf",
                a.hostPath("/etc/ssh/ssh_host_ed25519_key.pub").toString()).stdout();
        assertThat(printed.split(" ")[1]).isEqualTo(a.hostKeyFingerprint()).startsWith("SHA256:");
        assertThat(a.hostPublicKey()).startsWith("ssh-ed25519 ");
        assertThat(a.hostKeyFingerprint()).isNotEqualTo(b.hostKeyFingerprint());
    }

    @Test
    void aCutOffDeviceIsUnreachableButKeepsRunningUntilReconnected() throws Exception {
        Device device = Device.create("edge-cut");
        try {
            ManagedProcess sleeper = device.start("sleeper", List.of("sleep", "600"), Map.of());
            device.cutOff();
            assertThat(device.isConnected()).isFalse();

            long started = System.nanoTime();
            assertThatThrownBy(() -> sshBanner(device)).isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(UNREACHABLE_WITHIN);
            CommandResult ssh = SshCli.run(device, device.hostPublicKey(), "hostname");
            assertThat(ssh.exitCode()).as("ssh to a cut-off device").isEqualTo(255);

            assertThat(sleeper.isAlive()).isTrue();
            assertThat(device.exec("ip", "-o", "link", "show", "eth0").orThrow().stdout()).contains("NO-CARRIER");
            assertThat(device.exec("hostname").orThrow().stdout().strip()).isEqualTo("edge-cut");
            assertThat(sshBanner(a)).as("other devices stay reachable").startsWith("SSH-2.0-");

            device.reconnect();
            assertThat(device.isConnected()).isTrue();
            assertThat(awaitSshBanner(device, Duration.ofSeconds(5))).startsWith("SSH-2.0-");
            CommandResult back = SshCli.run(device, device.hostPublicKey(), "hostname");
            assertThat(back.exitCode()).as(back.stderr()).isZero();
            assertThat(back.stdout().strip()).isEqualTo("edge-cut");
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            device.close();
        }
    }

    @Test
    void killLeavesNoProcessOfTheDeviceAliveAndTheDeviceBootsAgainOnItsDisk() throws Exception {
        Device device = Device.create("edge-kill");
        try {
            ManagedProcess sleeper = device.start("sleeper", List.of("sleep", "600"), Map.of());
            device.exec("bash", "-c", "mkdir -p /var/lib/edgeplane && echo kept > /var/lib/edgeplane/state "
                    + "&& echo lost > /run/edgeplane-state && (sleep 600 &)").orThrow();
            List<Long> before = device.processIds();
            assertThat(before).hasSizeGreaterThanOrEqualTo(4); // holder, PID 1, sshd, sleepers

            long started = System.nanoTime();
            device.kill();
            System.out.printf("testbed: device kill %d ms%n", (System.nanoTime() - started) / 1_000_000);

            assertThat(before).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                    .as("process %d of the killed device", pid).isEmpty());
            assertThat(device.processIds()).isEmpty();
            assertThat(sleeper.isAlive()).isFalse();
            assertThat(device.isRunning()).isFalse();
            assertThatThrownBy(() -> device.exec("hostname")).hasMessageContaining("not running");

            started = System.nanoTime();
            device.boot();
            System.out.printf("testbed: device boot after kill until sshd accepts connections %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            CommandResult ssh = SshCli.run(device, device.hostPublicKey(), "cat /var/lib/edgeplane/state; ls /run");
            assertThat(ssh.exitCode()).as(ssh.stderr()).isZero();
            assertThat(ssh.stdout()).startsWith("kept\n").doesNotContain("edgeplane-state");
        } finally {
            device.close();
        }
    }

    @Test
    void closeLeavesNoNamespaceVethMountOrProcessAndTheNameCanBeReused() throws Exception {
        Device device = Device.create("edge-close");
        String address = device.address();
        String namespace = device.namespace();
        String veth = device.hostInterface();
        Path dir = device.dir();
        device.start("sleeper", List.of("sleep", "600"), Map.of());
        List<Long> pids = device.processIds();
        assertThat(netnsList()).contains(namespace);
        assertThat(linkNames()).contains(veth);

        device.close();

        assertThat(netnsList()).doesNotContain(namespace);
        assertThat(linkNames()).doesNotContain(veth);
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .noneMatch(line -> line.contains(namespace) || line.contains(dir.toString()));
        assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d of the closed device", pid).isEmpty());
        assertThat(dir).doesNotExist();
        assertThatThrownBy(device::boot).hasMessageContaining("closed");

        try (Device again = Device.create("edge-close")) {
            assertThat(again.address()).isEqualTo(address);
            assertThat(again.exec("hostname").orThrow().stdout().strip()).isEqualTo("edge-close");
        }
    }

    @Test
    void theNextSweepRemovesWhatAKilledRunLeftBehind() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String deadId = Long.toString(finished.pid());
        Path deadRun = TestBedRun.current().dir().getParent().resolve("run-" + deadId);
        String namespace = "edgeplane-" + deadId + "-leftover";
        String bridge = "epbr" + deadId;
        String veth = "epve" + deadId + "x10";
        String lookAlikeLink = "epxx" + deadId;
        String lookAlikeNamespace = "other-" + deadId + "-leftover";
        Path mount = deadRun.resolve("mnt");
        String ip = HostTool.IP.path();
        Process inside = null;
        try {
            Files.createDirectories(deadRun.resolve("src"));
            Files.createDirectories(mount);
            Files.writeString(deadRun.resolve("owner"), deadId + " 1"); // started at epoch+1 ms: certainly dead
            HostCommand.check("mount", "-n", "--bind", deadRun.resolve("src").toString(), mount.toString());
            HostCommand.check(ip, "netns", "add", namespace);
            HostCommand.check(ip, "netns", "add", lookAlikeNamespace);
            HostCommand.check(ip, "link", "add", bridge, "type", "bridge");
            HostCommand.check(ip, "link", "add", lookAlikeLink, "type", "bridge");
            HostCommand.check(ip, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace);
            HostCommand.check(ip, "link", "set", veth, "master", bridge);
            inside = new ProcessBuilder(ip, "netns", "exec", namespace, "sleep", "600").start();

            TestBedRun.current().sweepLeftovers();

            assertThat(inside.waitFor(5, TimeUnit.SECONDS)).as("process in the leftover namespace killed").isTrue();
            assertThat(netnsList()).doesNotContain(namespace).contains(lookAlikeNamespace);
            assertThat(linkNames()).doesNotContain(bridge, veth).contains(lookAlikeLink);
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(line -> line.contains(deadRun.toString()));
            assertThat(deadRun).doesNotExist();
            assertThat(TestBedRun.current().dir()).as("the live run is left alone").exists();
            assertThat(netnsList()).contains(a.namespace());
        } finally {
            if (inside != null) {
                inside.destroyForcibly();
            }
            HostCommand.run(List.of("umount", "-n", mount.toString()), Duration.ofSeconds(5));
            for (String link : List.of(veth, bridge, lookAlikeLink)) {
                HostCommand.run(List.of(ip, "link", "delete", link), Duration.ofSeconds(5));
            }
            for (String ns : List.of(namespace, lookAlikeNamespace)) {
                HostCommand.run(List.of(ip, "netns", "delete", ns), Duration.ofSeconds(5));
            }
            Directories.delete(deadRun);
        }
    }

    private static String sshBanner(Device device) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(device.address(), Device.SSH_PORT), 2000);
            socket.setSoTimeout(2000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static String awaitSshBanner(Device device, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return sshBanner(device);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> netnsList() {
        return HostCommand.check(HostTool.IP.path(), "netns", "list").stdout().lines().map(l -> l.split(" ")[0]).toList();
    }

    private static List<String> linkNames() {
        return HostCommand.check(HostTool.IP.path(), "-o", "link", "show").stdout().lines()
                .map(l -> l.split(": ", 3)[1].split("@")[0]).toList();
    }
}
