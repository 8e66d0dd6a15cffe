package io.edgeplane.testbed.device;

import io.edgeplane.testbed.TestBedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site behind a NAT, as edge devices sit in the field: a router (a network namespace of its own)
 * with its uplink {@code eth0} on the test network and a LAN bridge holding the site's private /24,
 * masquerading what leaves the LAN. Devices created in the site ({@link Device#create(String, Site)})
 * are on that LAN: nothing outside the site can open a connection to them (the router forwards
 * nothing inbound but answers to connections its devices opened), and they can open connections to
 * the seed's address on the test network ({@link TestNetwork#hostAddress()}, any port) and to each
 * other only; anything else they try is refused at once by the router. Two sites may use the same
 * private subnet, so devices of different sites may have the same address.
 *
 * <p>Every rule lives in the router's namespace (iptables, as kube-proxy in the test bed); the host's
 * own firewall is never touched. Closing the site closes its devices, then removes the router's
 * namespace, whose rules go with it, and its uplink veth.
 */
public final class Site implements AutoCloseable {
    /** The router's LAN bridge; devices' veths are its ports, named {@code d<host number>}. */
    static final String LAN = "lan";
    private static final int FIRST_DEVICE_HOST = 10;
    private static final Logger LOG = LoggerFactory.getLogger(Site.class);
    /**
     * The router's rules: LAN to the seed address (and within the LAN) allowed, answers allowed,
     * every other attempt from the LAN rejected (a TCP connect is refused at once; ICMP errors would
     * be rate-limited), everything unsolicited from the uplink dropped as a home router does. {@code lan} is {@link #LAN}; {@code eth0} the uplink. Arguments: private
     * subnet, the accept rules of the seed's addresses ({@link #SEED_RULE} each).
     */
    private static final String SEED_RULE = "-A FORWARD -i lan -o eth0 -s %1$s -d %2$s/32 -j ACCEPT\n";
    private static final String RULES = """
            *filter
            :INPUT DROP [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -i lo -j ACCEPT
            -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
            -A INPUT -i lan -p tcp -j REJECT --reject-with tcp-reset
            -A INPUT -i lan -j REJECT --reject-with icmp-admin-prohibited
            -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
            -A FORWARD -i lan -o lan -j ACCEPT
            %2$s-A FORWARD -i lan -p tcp -j REJECT --reject-with tcp-reset
            -A FORWARD -i lan -j REJECT --reject-with icmp-admin-prohibited
            COMMIT
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -o eth0 -s %1$s -j MASQUERADE
            COMMIT
            """;

    private final String name;
    private final Subnet subnet;
    private final List<String> seedAddresses;
    private final DeviceLink uplink;
    private final String address;
    private final Path dir;
    private final TestNetwork network;
    private final Map<String, Integer> hostNumbers = new HashMap<>();
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private int nextHost = FIRST_DEVICE_HOST;
    private boolean closed;

    private Site(String name, Subnet subnet, String address, DeviceLink uplink, Path dir, TestNetwork network, List<String> alsoReachable) {
        this.name = name;
        this.subnet = subnet;
        List<String> seed = new ArrayList<>(List.of(network.hostAddress()));
        alsoReachable.stream().filter(a -> !seed.contains(a)).forEach(seed::add);
        this.seedAddresses = List.copyOf(seed);
        this.address = address;
        this.uplink = uplink;
        this.dir = dir;
        this.network = network;
    }

    /**
     * Creates the site's router with {@code subnet} as its LAN (the router takes .1, devices take
     * addresses from .10 on). It is closed when the run ends if the caller does not close it first.
     */
    public static Site create(String name, Subnet subnet) {
        return create(name, subnet, List.of());
    }

    /**
     * As {@link #create(String, Subnet)}, with more seed addresses the devices may open connections
     * to, e.g. the node of a seed cluster whose NodePorts expose control planes and tunnels.
     */
    public static Site create(String name, Subnet subnet, List<String> alsoReachable) {
        Device.requireName("site", name);
        for (String reachable : alsoReachable) {
            Subnet.parseAddress(reachable);   // an IPv4 address, or IllegalArgumentException naming it
        }
        HostTool.IPTABLES_RESTORE.path();
        TestNetwork network = TestNetwork.current();
        if (network.subnet().overlaps(subnet.network(), Subnet.PREFIX_LENGTH)) {
            throw new IllegalArgumentException("site " + name + ": subnet " + subnet.cidr()
                    + " is the test network's; a site's LAN must be another /24");
        }
        TestBedRun run = TestBedRun.current();
        long started = System.nanoTime();
        int host = network.attach(name);
        Site site;
        try {
            String address = network.subnet().address(host);
            DeviceLink uplink = new DeviceLink(run.namespaceName(name), run.interfaceName("ve", host), network.bridge(),
                    address, network.hostAddress());
            site = new Site(name, subnet, address, uplink, run.dir().resolve("sites").resolve(name), network, alsoReachable);
        } catch (RuntimeException e) {
            network.detach(name);
            throw e;
        }
        run.onClose("site " + name, site::close);
        try {
            site.build();
        } catch (RuntimeException e) {
            try {
                site.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.info("site={} lan={} address={} ready in {} ms", name, subnet.cidr(), site.address,
                (System.nanoTime() - started) / 1_000_000);
        return site;
    }

    public String name() {
        return name;
    }

    /** The site's private LAN, e.g. {@code 192.168.50.0/24}. */
    public Subnet subnet() {
        return subnet;
    }

    /** The router's address on the LAN (.1), its devices' default gateway. */
    public String gateway() {
        return subnet.hostAddress();
    }

    /** The router's address on the test network: what the seed sees as the source of the site's devices' connections. */
    public String address() {
        return address;
    }

    /** The router's network namespace, for {@code ip netns exec} when debugging. */
    public String namespace() {
        return uplink.namespace();
    }

    /** The router's uplink end on the host, in the test network's bridge. */
    String hostInterface() {
        return uplink.outerInterface();
    }

    /** Closes the site's devices, then removes the router (namespace, rules, uplink). */
    @Override
    public void close() {
        List<Device> newestFirst;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            newestFirst = new ArrayList<>(devices.values());
        }
        Collections.reverse(newestFirst);
        RuntimeException failure = null;
        for (Device device : newestFirst) {
            try {
                device.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            uplink.delete();
        } finally {
            network.detach(name);
            Directories.delete(dir);
            LOG.info("site={} closed", name);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "site " + name + " (" + subnet.cidr() + " behind " + address + ")";
    }

    /** Takes a device name (unique in the run) and gives it a host number on the LAN; a name keeps its number. */
    synchronized int attach(String device) {
        if (closed) {
            throw new IllegalStateException("site " + name + " is closed");
        }
        Integer host = hostNumbers.get(device);
        if (host == null && nextHost > 254) {
            throw new IllegalStateException("site " + name + " (" + subnet.cidr() + ") has no address left for " + device);
        }
        network.claim(device);
        if (host == null) {
            host = nextHost++;
            hostNumbers.put(device, host);
        }
        return host;
    }

    synchronized void adopt(Device device) {
        devices.put(device.name(), device);
    }

    synchronized void detach(String device) {
        devices.remove(device);
        network.detach(device);
    }

    /** A device's link: its veth's outer end is a port of the router's LAN bridge. */
    DeviceLink lanLink(String namespace, int host, String address) {
        return new DeviceLink(namespace, uplink.namespace(), "d" + host, LAN, address, gateway());
    }

    private void build() {
        uplink.create();
        String ip = HostTool.IP.path();
        String router = uplink.namespace();
        HostCommand.check(ip, "-n", router, "link", "add", LAN, "address", TestNetwork.macOf(gateway()), "type", "bridge",
                "stp_state", "0", "forward_delay", "0");
        HostCommand.check(ip, "-n", router, "addr", "add", gateway() + "/" + Subnet.PREFIX_LENGTH, "dev", LAN);
        HostCommand.check(ip, "-n", router, "link", "set", LAN, "up");
        Path rules = dir.resolve("iptables.rules");
        try {
            Files.createDirectories(dir);
            Files.writeString(rules, RULES.formatted(subnet.cidr(),
                    String.join("", seedAddresses.stream().map(a -> SEED_RULE.formatted(subnet.cidr(), a)).toList())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HostCommand.check(ip, "netns", "exec", router, HostTool.IPTABLES_RESTORE.path(), rules.toString());
        // Forwarding on in the router's namespace only (net.* settings are per namespace), once the rules stand.
        HostCommand.check(ip, "netns", "exec", router, HostTool.BASH.path(), "-c", "echo 1 >/proc/sys/net/ipv4/ip_forward");
    }
}
