package io.edgeplane.seedmanager.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 range in CIDR notation, held as its network address (unsigned, in a long) and prefix
 * length. Only canonical ranges exist: host bits set is refused when parsed, so that the range an
 * operator reads back is the one they wrote.
 */
public record Ipv4Cidr(long network, int prefix) {
    // Leading zeros are refused: some tools read 010 as octal, so the range would not be the one meant.
    private static final Pattern SYNTAX = Pattern.compile(
            "^(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})/(0|[1-9][0-9]?)$");
    private static final long ALL = 0xFFFF_FFFFL;

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is not between 0 and 32");
        }
        if (network < 0 || network > ALL || (network & ~mask(prefix) & ALL) != 0) {
            throw new IllegalArgumentException("network address " + network + " does not start a /" + prefix);
        }
    }

    /**
     * The range {@code text} names, e.g. {@code 10.244.0.0/14}.
     *
     * @throws IllegalArgumentException saying in words why it is not one (meant for an operator)
     */
    public static Ipv4Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be an IPv4 range in CIDR notation such as 10.244.0.0/14");
        }
        if (text.contains(":")) {
            throw new IllegalArgumentException("must be an IPv4 range (IPv6 is not supported), such as 10.244.0.0/14");
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be an IPv4 range in CIDR notation such as 10.244.0.0/14");
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("must be an IPv4 range in CIDR notation such as 10.244.0.0/14 ("
                        + octet + " is not an address byte)");
            }
            address = (address << 8) | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) {
            throw new IllegalArgumentException("prefix length /" + prefix + " is longer than an IPv4 address (/32)");
        }
        long network = address & mask(prefix);
        if (network != address) {
            throw new IllegalArgumentException("has bits set after its /" + prefix + " prefix; the range starting there is "
                    + new Ipv4Cidr(network, prefix));
        }
        return new Ipv4Cidr(network, prefix);
    }

    /** Whether the two ranges share at least one address. */
    public boolean overlaps(Ipv4Cidr other) {
        long common = mask(Math.min(prefix, other.prefix));
        return (network & common) == (other.network & common);
    }

    /** How many ranges of {@code subPrefix} this one holds (0 when that is wider than this range). */
    public long subnetCount(int subPrefix) {
        return subPrefix < prefix || subPrefix > 32 ? 0 : 1L << (subPrefix - prefix);
    }

    /** The {@code index}th range of {@code subPrefix} in this one, counted from its start. */
    public Ipv4Cidr subnet(int subPrefix, long index) {
        if (index < 0 || index >= subnetCount(subPrefix)) {
            throw new IllegalArgumentException(this + " has no /" + subPrefix + " number " + index);
        }
        return new Ipv4Cidr(network + (index << (32 - subPrefix)), subPrefix);
    }

    /** Where this range sits among the ranges of its size in {@code parent}; -1 when it is not one of them. */
    public long indexIn(Ipv4Cidr parent) {
        if (prefix < parent.prefix || !overlaps(parent)) {
            return -1;
        }
        return (network - parent.network) >>> (32 - prefix);
    }

    @Override
    public String toString() {
        return (network >>> 24) + "." + ((network >>> 16) & 0xFF) + "." + ((network >>> 8) & 0xFF) + "." + (network & 0xFF)
                + "/" + prefix;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (ALL << (32 - prefix)) & ALL;
    }
}
