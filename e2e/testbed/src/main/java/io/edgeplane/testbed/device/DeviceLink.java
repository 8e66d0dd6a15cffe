package io.edgeplane.testbed.device;

import java.util.List;

/**
 * A device's network: its own network namespace, and a veth pair whose device end is the
 * namespace's eth0 and whose host end is plugged into the test network's bridge. Taking the host
 * end down is the device losing its uplink while everything on it keeps running.
 */
final class DeviceLink {
    private final String namespace;
    private final String hostInterface;
    private final String bridge;
    private final String address;
    private final String gateway;

    DeviceLink(String namespace, String hostInterface, String bridge, String address, String gateway) {
        this.namespace = namespace;
        this.hostInterface = hostInterface;
        this.bridge = bridge;
        this.address = address;
        this.gateway = gateway;
    }

    String namespace() {
        return namespace;
    }

    /** The namespace's handle on the host, as {@code ip netns add} creates it. */
    String namespacePath() {
        return "/run/netns/" + namespace;
    }

    String hostInterface() {
        return hostInterface;
    }

    void create() {
        String ip = HostTool.IP.path();
        HostCommand.check(ip, "netns", "add", namespace);
        HostCommand.check(ip, "link", "add", hostInterface, "type", "veth",
                "peer", "name", "eth0", "address", TestNetwork.macOf(address), "netns", namespace);
        HostCommand.check(ip, "link", "set", hostInterface, "master", bridge);
        HostCommand.check(ip, "link", "set", hostInterface, "up");
        HostCommand.check(ip, "-n", namespace, "link", "set", "lo", "up");
        HostCommand.check(ip, "-n", namespace, "addr", "add", address + "/" + Subnet.PREFIX_LENGTH, "dev", "eth0");
        HostCommand.check(ip, "-n", namespace, "link", "set", "eth0", "up");
        // The host does not forward, so this route leads to the host and the other devices only.
        HostCommand.check(ip, "-n", namespace, "route", "add", "default", "via", gateway);
    }

    void cutOff() {
        HostCommand.check(HostTool.IP.path(), "link", "set", hostInterface, "down");
    }

    void reconnect() {
        HostCommand.check(HostTool.IP.path(), "link", "set", hostInterface, "up");
    }

    boolean isConnected() {
        CommandResult link = HostCommand.run(List.of(HostTool.IP.path(), "-o", "link", "show", "dev", hostInterface),
                HostCommand.DEFAULT_TIMEOUT);
        return link.succeeded() && link.stdout().matches("(?s)[^<]*<[^>]*\\bUP\\b.*");
    }

    /** Removes the veth pair and the namespace; both may already be gone. */
    void delete() {
        String ip = HostTool.IP.path();
        if (HostCommand.run(List.of(ip, "link", "show", "dev", hostInterface), HostCommand.DEFAULT_TIMEOUT).succeeded()) {
            HostCommand.check(ip, "link", "delete", hostInterface);
        }
        if (HostCommand.check(ip, "netns", "list").stdout().lines().anyMatch(l -> l.split(" ")[0].equals(namespace))) {
            HostCommand.check(ip, "netns", "delete", namespace);
        }
    }
}
