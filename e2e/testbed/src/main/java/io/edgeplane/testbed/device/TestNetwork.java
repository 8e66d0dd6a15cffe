package io.edgeplane.testbed.device;

import io.edgeplane.testbed.TestBedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run's device network: a Linux bridge on the host holding the subnet's .1 (the seed's address
 * for devices), with every routed device's and every {@link Site} router's veth plugged in. IPv4
 * forwarding stays as it is (off on a test machine): devices reach the host and each other on the
 * bridge, and nothing beyond the host.
 */
public final class TestNetwork {
    /** Overrides the subnet, e.g. {@code 10.99.0.0/24}; must be a free /24. */
    public static final String SUBNET_ENV = "EDGEPLANE_TESTBED_SUBNET";
    static final Subnet DEFAULT_SUBNET = Subnet.parse("10.222.0.0/24");
    private static final Logger LOG = LoggerFactory.getLogger(TestNetwork.class);
    private static final int FIRST_DEVICE_HOST = 10;
    private static TestNetwork current;

    private final String bridge;
    private final Subnet subnet;
    private final Map<String, Integer> hostNumbers = new HashMap<>();
    private final Set<String> attached = new HashSet<>();
    private int nextHost = FIRST_DEVICE_HOST;

    private TestNetwork(String bridge, Subnet subnet) {
        this.bridge = bridge;
        this.subnet = subnet;
    }

    /** The run's network, created on first use and removed when the run ends (after its devices). */
    public static synchronized TestNetwork current() {
        if (current == null) {
            HostTool.requireAll();
            TestBedRun run = TestBedRun.current();
            TestNetwork network = new TestNetwork(run.interfaceName("br"), chooseSubnet());
            NetnsDirectory.beforeFirstNamespace();
            run.onClose("test network " + network.bridge, network::close);
            network.create();
            current = network;
        }
        return current;
    }

    public String hostAddress() {
        return subnet.hostAddress();
    }

    public Subnet subnet() {
        return subnet;
    }

    /** The bridge's interface name, e.g. {@code epbr12345}. */
    public String bridge() {
        return bridge;
    }

    /**
     * Routes {@code cidr} (e.g. the pod subnet of a device's node) via the device, so that the host
     * reaches addresses behind it. The route goes with the bridge. Refused when the host already routes
     * {@code cidr}: the routing table is the host's, shared by every test-bed run on it.
     */
    public void routePodSubnet(String cidr, Device device) {
        requireRoutable(device);
        CommandResult added = addRoute(cidr, device);
        if (!added.succeeded()) {
            throw new IllegalStateException("cannot route " + cidr + " via device " + device.name() + " (another test-bed run on this host"
                    + " may route it): " + added.stderr().strip());
        }
        LOG.info("test network bridge={} routes {} via device={}", bridge, cidr, device.name());
    }

    /**
     * Routes the first /24 from {@code first} on (10.245.0.0/24, then 10.245.1.0/24, ...) that nothing on
     * the host uses via the device, and returns it. Test-bed runs in other JVMs (failsafe's forks) pick
     * theirs from the same host routing table: {@code ip route add} refuses a taken prefix, so no two
     * runs share one, and neither takes the other's away.
     */
    public String routeFreePodSubnet(String first, Device device) {
        requireRoutable(device);
        Subnet candidate = Subnet.parse(first);
        for (int i = 0; i < 256; i++, candidate = candidate.next()) {
            if (usedBy(candidate).isEmpty() && addRoute(candidate.cidr(), device).succeeded()) {
                LOG.info("test network bridge={} routes {} via device={}", bridge, candidate.cidr(), device.name());
                return candidate.cidr();
            }
        }
        throw new IllegalStateException("no free /24 from " + first + " on for the pods of device " + device.name());
    }

    private void requireRoutable(Device device) {
        device.site().ifPresent(site -> {
            throw new IllegalArgumentException("device " + device.name() + " sits behind the NAT of " + site
                    + ": nothing outside the site routes to it");
        });
    }

    private CommandResult addRoute(String cidr, Device device) {
        return HostCommand.run(List.of(HostTool.IP.path(), "route", "add", cidr, "via", device.address(), "dev", bridge),
                HostCommand.DEFAULT_TIMEOUT);
    }

    /** Removes a route made by {@link #routePodSubnet}; nothing if it is gone. */
    public void unroutePodSubnet(String cidr) {
        HostCommand.run(List.of(HostTool.IP.path(), "route", "delete", cidr, "dev", bridge), HostCommand.DEFAULT_TIMEOUT);
    }

    /**
     * Plugs a device (or a site's router) in; a name keeps its host number for the whole run, so a
     * recreated device keeps its address.
     */
    synchronized int attach(String device) {
        claim(device);
        Integer host = hostNumbers.get(device);
        if (host == null) {
            if (nextHost > 254) {
                attached.remove(device);
                throw new IllegalStateException("test network " + subnet.cidr() + " has no address left for " + device);
            }
            host = nextHost++;
            hostNumbers.put(device, host);
        }
        return host;
    }

    /**
     * Takes a name for the run without an address on the test network (a device behind a site's NAT):
     * device and site names are unique in a run, as they name namespaces and directories.
     */
    synchronized void claim(String device) {
        if (!attached.add(device)) {
            throw new IllegalStateException("a device or site named " + device + " already exists in this test-bed run");
        }
    }

    synchronized void detach(String device) {
        attached.remove(device);
    }

    private void create() {
        long started = System.nanoTime();
        String ip = HostTool.IP.path();
        // No STP and no forward delay: a port forwards as soon as it is up, also after reconnect().
        // A fixed MAC: a bridge without one takes its lowest port's, so closing a device would change
        // the host's MAC behind the other devices' ARP caches and cut them off for half a minute.
        HostCommand.check(ip, "link", "add", bridge, "address", macOf(hostAddress()), "type", "bridge",
                "stp_state", "0", "forward_delay", "0");
        HostCommand.check(ip, "addr", "add", hostAddress() + "/" + Subnet.PREFIX_LENGTH, "dev", bridge);
        HostCommand.check(ip, "link", "set", bridge, "up");
        LOG.info("test network bridge={} subnet={} host={} ready in {} ms", bridge, subnet.cidr(), hostAddress(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private synchronized void close() {
        String ip = HostTool.IP.path();
        if (HostCommand.run(List.of(ip, "link", "show", "dev", bridge), HostCommand.DEFAULT_TIMEOUT).succeeded()) {
            HostCommand.check(ip, "link", "delete", bridge);
        }
        // Closed after every device of the run (the network was registered first): no namespace of ours is left.
        NetnsDirectory.releaseIfUnused();
        synchronized (TestNetwork.class) {
            if (current == this) {
                current = null;
            }
        }
    }

    /**
     * The MAC address that goes with an address of the test network: 02:00 (locally administered)
     * and the four octets. Fixed per address, so that a device recreated under its name keeps its
     * MAC and no ARP cache on the bridge goes stale.
     */
    static String macOf(String address) {
        int value = Subnet.parseAddress(address);
        return String.format("02:00:%02x:%02x:%02x:%02x", value >>> 24, value >>> 16 & 0xff, value >>> 8 & 0xff, value & 0xff);
    }

    /** The configured subnet, which must be free; otherwise the first free /24 from 10.222.0.0/24 on. */
    private static Subnet chooseSubnet() {
        Optional<String> configured = Optional.ofNullable(System.getenv(SUBNET_ENV)).filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            Subnet subnet = Subnet.parse(configured.get());
            usedBy(subnet).ifPresent(user -> {
                throw new IllegalStateException(SUBNET_ENV + "=" + subnet.cidr() + " is already in use on this host ("
                        + user + "); choose a free /24");
            });
            return subnet;
        }
        Subnet candidate = DEFAULT_SUBNET;
        for (int i = 0; i < 256; i++, candidate = candidate.next()) {
            if (usedBy(candidate).isEmpty()) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free /24 in 10.222.0.0/16 for the test network; set " + SUBNET_ENV);
    }

    /** The host address or route that overlaps the subnet, if any (another run's bridge, a VPN, ...). */
    private static Optional<String> usedBy(Subnet subnet) {
        String ip = HostTool.IP.path();
        List<String> lines = new java.util.ArrayList<>();
        lines.addAll(HostCommand.check(ip, "-o", "-4", "addr", "show").stdout().lines().toList());
        lines.addAll(HostCommand.check(ip, "-4", "route", "show", "table", "all").stdout().lines().toList());
        for (String line : lines) {
            for (String token : line.split("\\s+")) {
                if (token.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?")) {
                    String[] parts = token.split("/");
                    int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
                    if (prefix > 0 && subnet.overlaps(Subnet.parseAddress(parts[0]), prefix)) {
                        return Optional.of(line.strip());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
