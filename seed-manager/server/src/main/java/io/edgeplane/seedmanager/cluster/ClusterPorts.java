package io.edgeplane.seedmanager.cluster;

import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands each component of a process-runtime cluster its own port, once: the database row makes the
 * choice unique across clusters and seed-manager replicas, the bind check keeps clear of ports other
 * programs on this host use, and a re-run returns the ports already held.
 */
@Singleton
public class ClusterPorts {
    private final ClusterPortRepository ports;
    private final int first;
    private final int last;
    private final SecureRandom random = new SecureRandom();

    public ClusterPorts(ClusterPortRepository ports,
                        @Value("${edgeplane.process-runtime.ports.first:20000}") int first,
                        @Value("${edgeplane.process-runtime.ports.last:29999}") int last) {
        this.ports = ports;
        this.first = first;
        this.last = last;
    }

    /** The ports the cluster's components hold; reads only. */
    public Map<String, Integer> held(String clusterId) {
        Map<String, Integer> held = new LinkedHashMap<>();
        ports.findByClusterId(clusterId).forEach(p -> held.put(p.component(), p.port()));
        return held;
    }

    /** The ports held, after claiming one for each component that has none: the cluster reconciler's, under the cluster's lease. */
    @Transactional
    public Map<String, Integer> ensure(String clusterId, List<String> components) {
        Map<String, Integer> held = held(clusterId);
        for (String component : components) {
            if (!held.containsKey(component)) {
                held.put(component, claimFree(clusterId, component));
            }
        }
        return held;
    }

    private int claimFree(String clusterId, String component) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = first + random.nextInt(last - first + 1);
            if (bindable(candidate) && ports.claim(candidate, clusterId, component) == 1) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port in " + first + "-" + last + " for cluster " + clusterId);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
