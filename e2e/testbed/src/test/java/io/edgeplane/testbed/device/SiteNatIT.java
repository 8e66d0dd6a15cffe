package io.edgeplane.testbed.device;

import io.edgeplane.testbed.HostState;
import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.TestBedRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Devices behind a site's NAT: two sites on the same private subnet, a device in each with the same
 * address, both reaching the seed's address and nothing else, reachable from nowhere.
 */
class SiteNatIT {
    private static final Subnet LAN = Subnet.parse("192.168.50.0/24");
    private static final String SAME_ADDRESS = "192.168.50.10";
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static Site siteA;
    private static Site siteB;
    private static Device a;
    private static Device b;
    private static Device routed;
    private static Listener seed;
    private static Listener anyHostAddress;

    @BeforeAll
    static void createTwoSitesOnTheSameSubnet() throws IOException {
        TestNetwork network = TestNetwork.current();
        long started = System.nanoTime();
        siteA = Site.create("site-a", LAN);
        long siteMade = System.nanoTime();
        a = Device.create("nat-a", siteA);
        long deviceMade = System.nanoTime();
        siteB = Site.create("site-b", LAN);
        b = Device.create("nat-b", siteB);
        routed = Device.create("routed-x");
        System.out.printf("testbed: site create %d ms, NAT'd device create until sshd listens %d ms%n",
                (siteMade - started) / 1_000_000, (deviceMade - siteMade) / 1_000_000);
        seed = new Listener(new InetSocketAddress(network.hostAddress(), 0));
        anyHostAddress = new Listener(new InetSocketAddress(0));
    }

    @AfterAll
    static void closeEverything() throws IOException {
        for (AutoCloseable closeable : new AutoCloseable[]{seed, anyHostAddress, routed, siteB, siteA}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot close " + closeable, e);
            }
        }
    }

    @Test
    void twoSitesShareASubnetSoTwoDevicesHaveTheSameAddress() throws IOException {
        assertThat(a.address()).isEqualTo(SAME_ADDRESS);
        assertThat(b.address()).isEqualTo(SAME_ADDRESS);
        assertThat(a.site()).contains(siteA);
        assertThat(routed.site()).isEmpty();
        assertThat(siteA.address()).isNotEqualTo(siteB.address());
        for (Device device : List.of(a, b)) {
            assertThat(device.exec("ip", "-4", "-o", "addr", "show", "dev", "eth0").orThrow().stdout()).contains(SAME_ADDRESS + "/24");
            assertThat(device.exec("ip", "route", "show", "default").orThrow().stdout()).contains("via " + LAN.hostAddress());
            assertThat(device.exec("hostname").orThrow().stdout().strip()).isEqualTo(device.name());
            // sshd listens; only the device itself can tell.
            assertThat(connect(device, SAME_ADDRESS, Device.SSH_PORT).orThrow().stdout()).startsWith("SSH-2.0-");
        }
        // exec and hostPath as on a routed device.
        a.exec("bash", "-c", "mkdir -p /var/lib/edgeplane && echo nat-a >/var/lib/edgeplane/marker").orThrow();
        assertThat(Files.readString(a.hostPath("/var/lib/edgeplane/marker"))).isEqualTo("nat-a\n");
        assertThat(b.exec("test", "-e", "/var/lib/edgeplane/marker").exitCode()).isEqualTo(1);
    }

    @Test
    void devicesOfOneSiteShareItsLan() {
        try (Device neighbour = Device.create("nat-a2", siteA)) {
            assertThat(neighbour.address()).isEqualTo("192.168.50.11");
            assertThat(connect(neighbour, a.address(), Device.SSH_PORT).orThrow().stdout()).startsWith("SSH-2.0-");
            assertThat(connect(neighbour, TestNetwork.current().hostAddress(), seed.port()).orThrow().stdout()).isEqualTo("hello\n");
        }
        assertThat(a.isConnected()).as("the site's other device after its neighbour closed").isTrue();
    }

    @Test
    void eachDeviceReachesTheSeedAddressAsItsSitesAddress() {
        String host = TestNetwork.current().hostAddress();
        seed.sources.clear();
        assertThat(connect(a, host, seed.port()).orThrow().stdout()).isEqualTo("hello\n");
        assertThat(connect(b, host, seed.port()).orThrow().stdout()).isEqualTo("hello\n");
        // Masqueraded: the seed sees each site's router, never the private address both devices share.
        assertThat(seed.sources).containsExactlyInAnyOrder(siteA.address(), siteB.address());
        // Any port of the seed's address, not just one.
        assertThat(connect(a, host, anyHostAddress.port()).orThrow().stdout()).isEqualTo("hello\n");
    }

    @Test
    void aDeviceReachesNothingButTheSeedAddress() {
        String host = TestNetwork.current().hostAddress();
        List<String> otherHostAddresses = HostCommand.check(HostTool.IP.path(), "-o", "-4", "addr", "show").stdout().lines()
                .map(line -> line.split("\\s+")[3].split("/")[0])
                .filter(address -> !address.startsWith("127.") && !address.equals(host))
                .toList();
        System.out.printf("testbed: other host addresses tried from a NAT'd device: %s%n", otherHostAddresses);
        // The listener on every host address answers at each of them from the host itself.
        for (String address : otherHostAddresses) {
            assertThat(hostConnects(address, anyHostAddress.port())).as("host to its own %s", address).isTrue();
            assertRejected(a, address, anyHostAddress.port());
        }
        assertThat(hostConnects(routed.address(), Device.SSH_PORT)).as("host to a routed device's sshd").isTrue();
        assertRejected(a, routed.address(), Device.SSH_PORT);
        assertRejected(a, siteB.address(), Device.SSH_PORT);
        assertRejected(b, siteA.address(), Device.SSH_PORT);
        assertRejected(a, LAN.hostAddress(), Device.SSH_PORT); // the router itself
        Matcher gateway = Pattern.compile("^default via (\\S+)", Pattern.MULTILINE)
                .matcher(HostCommand.check(HostTool.IP.path(), "-4", "route", "show", "default").stdout());
        if (gateway.find()) {
            assertRejected(a, gateway.group(1), Device.SSH_PORT); // the host's own gateway, off the host
        }
        assertThat(connect(routed, siteA.address(), Device.SSH_PORT).exitCode()).as("routed device to site A's router").isNotZero();
    }

    @Test
    void nothingOutsideTheSiteOpensAConnectionToItsDevice() {
        // The host has no route to a site's LAN (its default route leads off the host, where this
        // sandbox's network may accept any connection), so it is given one: via site A's router.
        // The router forwards nothing inbound, and answers nothing on its uplink.
        assertThat(hostConnects(siteA.address(), Device.SSH_PORT)).as("host to the site's router").isFalse();
        String bridge = TestNetwork.current().bridge();
        long droppedBefore = forwardDrops(siteA);
        HostCommand.check(HostTool.IP.path(), "route", "replace", LAN.cidr(), "via", siteA.address(), "dev", bridge);
        try {
            assertThat(hostConnects(SAME_ADDRESS, Device.SSH_PORT)).as("host routing %s via site A", LAN.cidr()).isFalse();
        } finally {
            HostCommand.check(HostTool.IP.path(), "route", "delete", LAN.cidr(), "dev", bridge);
        }
        assertThat(forwardDrops(siteA)).as("packets site A's router dropped on their way in").isGreaterThan(droppedBefore);
        assertThatThrownBy(() -> TestNetwork.current().routePodSubnet("10.244.9.0/24", a)).hasMessageContaining("NAT");
    }

    @Test
    void aCutOffDeviceLosesTheSeedUntilReconnected() throws Exception {
        String host = TestNetwork.current().hostAddress();
        ManagedProcess sleeper = a.start("sleeper", List.of("sleep", "600"), Map.of());
        try {
            a.cutOff();
            assertThat(a.isConnected()).isFalse();
            assertThat(connect(a, host, seed.port()).exitCode()).as("cut-off device to the seed").isNotZero();
            assertThat(connect(b, host, seed.port()).orThrow().stdout()).as("the other site's device").isEqualTo("hello\n");
            assertThat(a.exec("ip", "-o", "link", "show", "eth0").orThrow().stdout()).contains("NO-CARRIER");
            assertThat(sleeper.isAlive()).isTrue();

            long reconnected = System.nanoTime();
            a.reconnect();
            assertThat(a.isConnected()).isTrue();
            CommandResult back = connect(a, host, seed.port());
            while (!back.succeeded() && System.nanoTime() - reconnected < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(200);
                back = connect(a, host, seed.port());
            }
            assertThat(back.orThrow().stdout()).isEqualTo("hello\n");
            System.out.printf("testbed: NAT'd device reaches the seed %d ms after reconnect%n", (System.nanoTime() - reconnected) / 1_000_000);
        } finally {
            a.stop(sleeper);
        }
    }

    @Test
    void closeLeavesNothingOfTheSiteEvenAfterADeviceFailedToStart() throws IOException {
        HostState before = HostState.save();
        Site site = Site.create("site-c", LAN);
        String router = site.namespace();
        String uplink = site.hostInterface();
        assertThat(HostCommand.check(HostTool.IP.path(), "netns", "exec", router, "iptables-save").stdout()).contains("MASQUERADE");
        assertThat(before.differences("firewall")).as("the host's firewall while a site stands").isEmpty();

        // A device whose veth cannot be made (its router-side name taken) fails half way, leaving nothing.
        HostCommand.check(HostTool.IP.path(), "-n", router, "link", "add", "d10", "type", "bridge");
        assertThatThrownBy(() -> Device.create("nat-c-failed", site)).hasMessageContaining("d10");
        assertThat(netnsList()).doesNotContain(TestBedRun.current().namespaceName("nat-c-failed"));
        assertThat(TestBedRun.current().dir().resolve("devices").resolve("nat-c-failed")).doesNotExist();

        Device device = Device.create("nat-c", site);
        String namespace = device.namespace();
        Path dir = device.dir();
        device.start("sleeper", List.of("sleep", "600"), Map.of());
        List<Long> pids = device.processIds();
        assertThat(netnsList()).contains(router, namespace);
        assertThat(linkNames()).contains(uplink);

        site.close();

        assertThat(device.isRunning()).isFalse();
        assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d of the closed site's device", pid).isEmpty());
        assertThat(netnsList()).doesNotContain(router, namespace);
        assertThat(linkNames()).doesNotContain(uplink);
        assertThat(dir).doesNotExist();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .noneMatch(line -> line.contains(router) || line.contains(namespace) || line.contains(dir.toString()));
        // Other sections (netns, links, mounts) would see other test-bed runs on this host come and go.
        assertThat(before.differences("firewall")).as("the host's firewall after the site").isEmpty();
        try (Site again = Site.create("site-c", LAN)) {
            assertThat(again.address()).as("a recreated site keeps its address").isEqualTo(site.address());
        }
    }

    /** Connects from inside the device and prints the first line the other side sends; at most 3 s. */
    private static CommandResult connect(Device device, String host, int port) {
        return device.exec(List.of("timeout", "3", "bash", "-c", "exec 3<>\"/dev/tcp/$1/$2\" && head -n 1 <&3",
                "connect", host, Integer.toString(port)), Map.of(), Duration.ofSeconds(15));
    }

    /** Refused by the site's router at once: "Connection refused" (exit 1), not a timeout (exit 124). */
    private static void assertRejected(Device device, String host, int port) {
        CommandResult result = connect(device, host, port);
        assertThat(result.exitCode()).as("%s to %s:%d: %s", device.name(), host, port, result.stderr().strip()).isEqualTo(1);
        assertThat(result.stderr()).contains("Connection refused");
        assertThat(result.stdout()).isEmpty();
    }

    private static boolean hostConnects(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException refusedOrDropped) {
            return false;
        }
    }

    /** Packets the router's FORWARD policy dropped so far. */
    private static long forwardDrops(Site site) {
        String chain = HostCommand.check(HostTool.IP.path(), "netns", "exec", site.namespace(), "iptables", "-L", "FORWARD",
                "-n", "-v", "-x").stdout();
        Matcher policy = Pattern.compile("policy DROP (\\d+) packets").matcher(chain);
        assertThat(policy.find()).as(chain).isTrue();
        return Long.parseLong(policy.group(1));
    }

    private static List<String> netnsList() {
        return HostCommand.check(HostTool.IP.path(), "netns", "list").stdout().lines().map(l -> l.split(" ")[0]).toList();
    }

    private static List<String> linkNames() {
        return HostCommand.check(HostTool.IP.path(), "-o", "link", "show").stdout().lines()
                .map(l -> l.split(": ", 3)[1].split("@")[0]).toList();
    }

    /** A TCP listener that greets every connection with "hello" and records where it came from. */
    private static final class Listener implements AutoCloseable {
        final Set<String> sources = ConcurrentHashMap.newKeySet();
        private final ServerSocket server;

        Listener(InetSocketAddress address) throws IOException {
            server = new ServerSocket();
            server.bind(address);
            Thread accepter = new Thread(this::serve, "listener-" + address);
            accepter.setDaemon(true);
            accepter.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                    InetAddress source = socket.getInetAddress();
                    sources.add(source.getHostAddress());
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // closed, or a client that went away
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
