package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Subject alternative names: IP literals become iPAddress entries, everything else dNSName. */
final class SubjectAltNames {
    private SubjectAltNames() {
    }

    static boolean isIpAddress(String value) {
        // Pure parsing: InetAddress.getByName would resolve a host name over DNS.
        return IPAddress.isValid(value);
    }

    /** The names in order, each once; blank names are a caller bug, not something to skip. */
    @SafeVarargs
    static List<String> distinct(Collection<String>... lists) {
        Set<String> names = new LinkedHashSet<>();
        for (Collection<String> list : lists) {
            for (String name : list) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("subject alternative names must not be blank: " + list);
                }
                names.add(name.strip());
            }
        }
        return List.copyOf(names);
    }

    static GeneralNames toGeneralNames(List<String> names) {
        return new GeneralNames(names.stream()
                .map(name -> new GeneralName(isIpAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name))
                .toArray(GeneralName[]::new));
    }

    /** The first host address of a CIDR, e.g. 10.96.0.1 for 10.96.0.0/12: the kubernetes Service's IP. */
    static String firstHostAddress(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0 || !isIpAddress(cidr.substring(0, slash))) {
            throw new IllegalArgumentException("service CIDR must look like 10.96.0.0/12 or fd00::/108, got '" + cidr + "'");
        }
        try {
            byte[] base = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            int bits = base.length * 8;
            if (prefix < 0 || prefix > bits - 2) {
                throw new IllegalArgumentException("service CIDR " + cidr + " has no room for a service IP");
            }
            BigInteger network = new BigInteger(1, base).shiftRight(bits - prefix).shiftLeft(bits - prefix);
            byte[] first = network.add(BigInteger.ONE).toByteArray();
            byte[] address = new byte[base.length];
            int copy = Math.min(first.length, address.length);
            System.arraycopy(first, first.length - copy, address, address.length - copy, copy);
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (NumberFormatException | UnknownHostException e) {
            throw new IllegalArgumentException("service CIDR must look like 10.96.0.0/12 or fd00::/108, got '" + cidr + "'", e);
        }
    }
}
