package io.edgeplane.seedmanager.datacenter;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Syntax rules for the names and addresses a Seed contains. Pure string checks: nothing is resolved. */
final class NetworkNames {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private NetworkNames() {
    }

    /** DNS-1123 label, as Kubernetes requires for names that end up in namespaces and host names. */
    static boolean isDnsLabel(String name) {
        return name.length() <= 63 && DNS_LABEL.matcher(name).matches();
    }

    /** RFC 1123 host name: dot-separated labels of letters, digits and '-', at most 253 characters. */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.length() > 63 || !HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpAddress(String address) {
        return IPV4.matcher(address).matches() || isIpv6(address);
    }

    static boolean isHostOrIp(String address) {
        return isIpAddress(address) || isHostName(address);
    }

    /** {@code host}, {@code host:port}, {@code [ipv6]} or {@code [ipv6]:port}. */
    static boolean isHostPort(String value) {
        String host = value;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !isIpv6(value.substring(1, close))) {
                return false;
            }
            String rest = value.substring(close + 1);
            if (rest.isEmpty()) {
                return true;
            }
            return rest.startsWith(":") && isPort(rest.substring(1));
        }
        int colon = value.indexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        return (IPV4.matcher(host).matches() || isHostName(host)) && (port == null || isPort(port));
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65535;
    }

    private static boolean isIpv6(String address) {
        // Only literal syntax reaches InetAddress, so this never triggers a DNS lookup.
        if (address.indexOf(':') < 0 || !IPV6_CHARS.matcher(address).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
