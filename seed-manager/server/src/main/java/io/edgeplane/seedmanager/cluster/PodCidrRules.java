package io.edgeplane.seedmanager.cluster;

import java.util.List;
import java.util.Optional;

/**
 * What a cluster's pod range ({@code podCidr}) may be. Each device gets its own /24 of it, so that
 * sites behind NAT which reuse the same private ranges never give two pods the same address; the
 * range is fixed when the cluster is created, because devices already carry their part of it.
 */
public final class PodCidrRules {
    /** The range of a cluster created without one, and of every cluster created before ranges existed. */
    public static final String DEFAULT = "10.244.0.0/14";
    /** The size of each device's part: 254 pods per device. */
    public static final int DEVICE_PREFIX = 24;
    static final int WIDEST_PREFIX = 8;
    // A /22 holds four devices; anything smaller is a cluster that cannot grow.
    static final int NARROWEST_PREFIX = 22;

    /** Addresses pods cannot have: they mean this host, loopback, link-local or multicast everywhere. */
    private static final List<Reserved> RESERVED = List.of(
            new Reserved(Ipv4Cidr.parse("0.0.0.0/8"), "\"this network\""),
            new Reserved(Ipv4Cidr.parse("127.0.0.0/8"), "loopback"),
            new Reserved(Ipv4Cidr.parse("169.254.0.0/16"), "link-local"),
            new Reserved(Ipv4Cidr.parse("224.0.0.0/3"), "multicast and reserved"));

    private record Reserved(Ipv4Cidr range, String meaning) {
    }

    private PodCidrRules() {
    }

    /** Why {@code value} cannot be the pod range of a cluster whose Services use {@code serviceCidr}; empty when it can. */
    public static Optional<String> problem(String value, String serviceCidr) {
        Ipv4Cidr range;
        try {
            range = Ipv4Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (range.prefix() < WIDEST_PREFIX || range.prefix() > NARROWEST_PREFIX) {
            return Optional.of("must have a prefix between /" + WIDEST_PREFIX + " and /" + NARROWEST_PREFIX + " (each device gets a /"
                    + DEVICE_PREFIX + ", and a /" + NARROWEST_PREFIX + " holds " + devicesIn(NARROWEST_PREFIX) + " devices); got /"
                    + range.prefix());
        }
        for (Reserved reserved : RESERVED) {
            if (range.overlaps(reserved.range())) {
                return Optional.of("overlaps " + reserved.range() + " (" + reserved.meaning() + "), which pods cannot use");
            }
        }
        Ipv4Cidr services = Ipv4Cidr.parse(serviceCidr);
        if (range.overlaps(services)) {
            return Optional.of("overlaps the cluster's service range " + services + "; choose a range outside it");
        }
        return Optional.empty();
    }

    /** How many devices a range of this prefix holds. */
    private static long devicesIn(int prefix) {
        return 1L << (DEVICE_PREFIX - prefix);
    }
}
