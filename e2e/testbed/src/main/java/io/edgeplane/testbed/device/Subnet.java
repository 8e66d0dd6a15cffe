package io.edgeplane.testbed.device;

/**
 * An IPv4 /24: the test network's, where the host takes .1, or a site's LAN, where its router does;
 * devices take addresses from .10 on.
 */
public record Subnet(int network) {
    public static final int PREFIX_LENGTH = 24;

    public Subnet {
        if ((network & 0xff) != 0) {
            throw new IllegalArgumentException("not the start of a /24: " + format(network));
        }
    }

    /** Parses {@code a.b.c.0/24}; other prefix lengths are refused. */
    public static Subnet parse(String cidr) {
        String[] parts = cidr.strip().split("/");
        if (parts.length != 2 || !parts[1].equals(Integer.toString(PREFIX_LENGTH))) {
            throw new IllegalArgumentException("a test-bed subnet must be an IPv4 /24 such as 10.222.0.0/24 or 192.168.50.0/24, not " + cidr);
        }
        return new Subnet(parseAddress(parts[0]));
    }

    static int parseAddress(String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String octet : octets) {
            int n = Integer.parseInt(octet);
            if (n < 0 || n > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = value << 8 | n;
        }
        return value;
    }

    static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    public String address(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("no host " + host + " in a /24");
        }
        return format(network | host);
    }

    public String hostAddress() {
        return address(1);
    }

    public String cidr() {
        return format(network) + "/" + PREFIX_LENGTH;
    }

    /** Whether this subnet and {@code address/prefixLength} share any address. */
    boolean overlaps(int address, int prefixLength) {
        int common = Math.min(prefixLength, PREFIX_LENGTH);
        int mask = common == 0 ? 0 : -1 << (32 - common);
        return (network & mask) == (address & mask);
    }

    /** The following /24, for picking a free one. */
    Subnet next() {
        return new Subnet(network + 256);
    }
}
