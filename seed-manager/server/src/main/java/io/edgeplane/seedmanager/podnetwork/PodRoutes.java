package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import io.edgeplane.seedmanager.cluster.PodCidrRules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cluster's routing table: which device holds which pod /24. Every device's range is a /24
 * ({@link PodCidrRules#DEVICE_PREFIX}), so a route is found by the destination's first three bytes,
 * one hash lookup per packet, and lookups need no lock while sessions come and go.
 *
 * @param <T> what a route leads to (a session)
 */
final class PodRoutes<T> {
    private final Map<Integer, T> byNetwork = new ConcurrentHashMap<>();

    /** The /24 {@code range} leads to {@code target} from now on; returns what it led to before, or null. */
    T put(Ipv4Cidr range, T target) {
        return byNetwork.put(key(range), target);
    }

    /** Removes the route of {@code range} if it still leads to {@code target} (a newer one stays). */
    boolean remove(Ipv4Cidr range, T target) {
        return byNetwork.remove(key(range), target);
    }

    /** Where a packet for {@code address} goes; null when no device holds its /24. */
    T lookup(int address) {
        return byNetwork.get(address >>> 8);
    }

    boolean isEmpty() {
        return byNetwork.isEmpty();
    }

    /** Whether {@code address} lies in the /24 {@code range}. */
    static boolean contains(Ipv4Cidr range, int address) {
        return (Integer.toUnsignedLong(address) >>> 8) == (range.network() >>> 8);
    }

    private static int key(Ipv4Cidr range) {
        if (range.prefix() != PodCidrRules.DEVICE_PREFIX) {
            throw new IllegalArgumentException("a device's pod range is a /" + PodCidrRules.DEVICE_PREFIX + ", not " + range);
        }
        return (int) (range.network() >>> 8);
    }
}
