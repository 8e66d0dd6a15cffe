package io.edgeplane.testbed.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace with a veth pair whose inner end is the namespace's eth0 and whose outer end is
 * plugged into a bridge: the test network's bridge on the host (a routed device, or a site's router),
 * or the LAN bridge in a site router's namespace (a device behind that site's NAT). Taking the outer
 * end down is the namespace losing its uplink while everything in it keeps running.
 */
final class DeviceLink {
    private final String namespace;
    /** Namespace of the outer end and its bridge; {@code null} for the host's. */
    private final String outerNamespace;
    private final String outerInterface;
    private final String bridge;
    private final String address;
    private final String gateway;

    /** A link whose outer end is on the host, in {@code bridge}. */
    DeviceLink(String namespace, String hostInterface, String bridge, String address, String gateway) {
        this(namespace, null, hostInterface, bridge, address, gateway);
    }

    /** A link whose outer end is in {@code outerNamespace} ({@code null}: the host), in {@code bridge}. */
    DeviceLink(String namespace, String outerNamespace, String outerInterface, String bridge, String address, String gateway) {
        this.namespace = namespace;
        this.outerNamespace = outerNamespace;
        this.outerInterface = outerInterface;
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

    /** The outer end of the veth: on the host, or in the outer namespace when there is one. */
    String outerInterface() {
        return outerInterface;
    }

    /** Whether the host has a route to the address: the outer end is in the test network's bridge. */
    boolean isRoutedFromHost() {
        return outerNamespace == null;
    }

    void create() {
        String ip = HostTool.IP.path();
        HostCommand.check(ip, "netns", "add", namespace);
        // The peer is created right in the namespace, so its name eth0 never meets the outer side's.
        outer("link", "add", outerInterface, "type", "veth",
                "peer", "name", "eth0", "address", TestNetwork.macOf(address), "netns", namespace);
        outer("link", "set", outerInterface, "master", bridge);
        outer("link", "set", outerInterface, "up");
        HostCommand.check(ip, "-n", namespace, "link", "set", "lo", "up");
        HostCommand.check(ip, "-n", namespace, "addr", "add", address + "/" + Subnet.PREFIX_LENGTH, "dev", "eth0");
        HostCommand.check(ip, "-n", namespace, "link", "set", "eth0", "up");
        // Where this route leads is the gateway's business: the host does not forward, so from the
        // test network it reaches the host and the other devices only; a site's router decides for its LAN.
        HostCommand.check(ip, "-n", namespace, "route", "add", "default", "via", gateway);
    }

    void cutOff() {
        outer("link", "set", outerInterface, "down");
    }

    void reconnect() {
        outer("link", "set", outerInterface, "up");
    }

    boolean isConnected() {
        CommandResult link = HostCommand.run(outerCommand("-o", "link", "show", "dev", outerInterface), HostCommand.DEFAULT_TIMEOUT);
        return link.succeeded() && link.stdout().matches("(?s)[^<]*<[^>]*\\bUP\\b.*");
    }

    /** Removes the veth pair and the namespace; both (and the outer namespace) may already be gone. */
    void delete() {
        String ip = HostTool.IP.path();
        if (HostCommand.run(outerCommand("link", "show", "dev", outerInterface), HostCommand.DEFAULT_TIMEOUT).succeeded()) {
            outer("link", "delete", outerInterface);
        }
        if (HostCommand.check(ip, "netns", "list").stdout().lines().anyMatch(l -> l.split(" ")[0].equals(namespace))) {
            HostCommand.check(ip, "netns", "delete", namespace);
        }
    }

    private void outer(String... args) {
        HostCommand.run(outerCommand(args), HostCommand.DEFAULT_TIMEOUT).orThrow();
    }

    private List<String> outerCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(HostTool.IP.path()));
        if (outerNamespace != null) {
            command.addAll(List.of("-n", outerNamespace));
        }
        command.addAll(List.of(args));
        return command;
    }
}
