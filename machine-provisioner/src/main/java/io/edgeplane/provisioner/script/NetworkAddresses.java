package io.edgeplane.provisioner.script;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a device dials and the address ranges it is given: IP addresses, DNS names, IPv4 networks.
 * Each check returns the problem, if any, phrased for an error message (quoting the value: none is
 * a secret). Nothing here looks a name up.
 */
public final class NetworkAddresses {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV4_NETWORK = Pattern.compile("(" + OCTET + "(\\." + OCTET + "){3})/([0-9]{1,2})");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private NetworkAddresses() {
    }

    /** A host to dial: an IPv4 address, an IPv6 address (without brackets) or a DNS name. */
    public static Optional<String> hostProblem(String host) {
        if (isIpAddressOrDnsName(host)) {
            return Optional.empty();
        }
        return Optional.of("must be an IP address or a DNS name, not " + ShownValues.quoted(host));
    }

    /** An IPv4 network with a prefix length from {@code minPrefix} to {@code maxPrefix} and no host bits set. */
    public static Optional<String> ipv4NetworkProblem(String cidr, int minPrefix, int maxPrefix) {
        String rule = "must be an IPv4 network with a prefix length from " + minPrefix + " to " + maxPrefix
                + ", such as 10.244.3.0/24, not " + ShownValues.quoted(cidr);
        Matcher matcher = cidr == null ? null : IPV4_NETWORK.matcher(cidr);
        if (matcher == null || !matcher.matches()) {
            return Optional.of(rule);
        }
        int prefix = Integer.parseInt(matcher.group(matcher.groupCount()));
        if (prefix < minPrefix || prefix > maxPrefix) {
            return Optional.of(rule);
        }
        long address = 0;
        for (String octet : matcher.group(1).split("\\.")) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        long hostBits = (1L << (32 - prefix)) - 1;
        if ((address & hostBits) != 0) {
            // The bridge network's host-local IPAM refuses a range with host bits set.
            return Optional.of("must be a network address (no host bits set), such as " + dotted(address & ~hostBits) + "/" + prefix
                    + ", not " + ShownValues.quoted(cidr));
        }
        return Optional.empty();
    }

    private static boolean isIpAddressOrDnsName(String host) {
        if (host == null || host.isEmpty() || host.length() > MAX_NAME) {
            return false;
        }
        if (host.contains(":")) {
            return isIpv6Literal(host);
        }
        if (host.matches("[0-9.]+")) {
            return IPV4.matcher(host).matches();
        }
        return DNS_NAME.matcher(host).matches() && Arrays.stream(host.split("\\.")).allMatch(label -> label.length() <= MAX_LABEL);
    }

    /** Parsed as a literal only: InetAddress never looks up a string with a colon. */
    private static boolean isIpv6Literal(String host) {
        if (!IPV6_CHARACTERS.matcher(host).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(host).getAddress().length == 16;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String dotted(long address) {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }
}
