package io.edgeplane.seedmanager.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps informers running on every tenant cluster that is wanted: a refresh starts them on a
 * cluster newly wanted, starts them all afresh on the cluster's current client once that was
 * renewed, starts again one that stopped watching or could not be started yet, and stops them on a
 * cluster no longer wanted. The clients are the caller's and stay open. What is watched and whom
 * it wakes is the caller's: each named {@link Informer} starts one informer, and
 * {@link #informer} hands out the one kept for a cluster, for reads from its store.
 */
public final class ClusterInformers implements AutoCloseable {
    private static final long FIRST_REFRESH_SECONDS = 2;

    /** Starts one informer on a cluster; its handler knows the cluster by id. */
    @FunctionalInterface
    public interface Informer {
        /** The informer, started (its initial list done); empty while the cluster cannot have it yet (its kind is not defined there). */
        Optional<SharedIndexInformer<?>> inform(String clusterId, KubernetesClient client);
    }

    private final String label;
    private final Duration refresh;
    private final Supplier<? extends Collection<String>> wanted;
    private final Function<String, Optional<KubernetesClient>> connect;
    private final Function<String, String> describe;
    private final Map<String, Informer> informers;
    private final Logger log;
    private final Map<String, Watching> watching = new ConcurrentHashMap<>();
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop;

    /**
     * @param name      names the thread ({@code node-watches}); with spaces for dashes it begins the log lines
     * @param refresh   how often the wanted clusters are looked at
     * @param wanted    the ids of the clusters to watch now
     * @param connect   the current admin client of a cluster (kept open by the caller), or empty while there is none to be had
     * @param describe  names a cluster by id as log lines do ({@code cluster=p1/c1})
     * @param informers what to watch on each cluster by name, started in this order
     * @param log       the caller's logger, which reports a failing refresh
     */
    public ClusterInformers(String name, Duration refresh, Supplier<? extends Collection<String>> wanted,
                            Function<String, Optional<KubernetesClient>> connect, Function<String, String> describe,
                            Map<String, Informer> informers, Logger log) {
        this.label = name.replace('-', ' ');
        this.refresh = refresh;
        this.wanted = wanted;
        this.connect = connect;
        this.describe = describe;
        this.informers = new LinkedHashMap<>(informers);
        this.log = log;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The informers kept for one cluster by name, all on one client; replaced whole, never changed in place. */
    private record Watching(KubernetesClient client, Map<String, SharedIndexInformer<?>> informers) {
        /** Those still watching, when on {@code current}; none on another client. */
        Map<String, SharedIndexInformer<?>> healthyOn(KubernetesClient current) {
            Map<String, SharedIndexInformer<?>> healthy = new LinkedHashMap<>();
            if (client == current) {
                informers.forEach((name, informer) -> {
                    if (informer.isWatching()) {
                        healthy.put(name, informer);
                    }
                });
            }
            return healthy;
        }

        void stop() {
            informers.values().forEach(SharedIndexInformer::close);
        }
    }

    /**
     * The informer named {@code name} kept for the cluster, if one was started; whether it still
     * watches (and so whether its store is current) is for the caller to ask.
     */
    public Optional<SharedIndexInformer<?>> informer(String clusterId, String name) {
        Watching current = watching.get(clusterId);
        return current == null ? Optional.empty() : Optional.ofNullable(current.informers().get(name));
    }

    /** Refreshes shortly, then every {@code refresh}. Call once the whole service is up. */
    public void start() {
        loop.scheduleWithFixedDelay(this::refresh, FIRST_REFRESH_SECONDS, refresh.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        watching.values().forEach(Watching::stop);
        watching.clear();
    }

    private void refresh() {
        try {
            Set<String> wantedNow = Set.copyOf(wanted.get());
            for (String clusterId : wantedNow) {
                try {
                    ensure(clusterId);
                    failing.remove(clusterId);
                } catch (RuntimeException e) {
                    logFailure(clusterId, e);
                }
            }
            watching.keySet().stream().filter(id -> !wantedNow.contains(id)).toList().forEach(this::stop);
            failing.keySet().retainAll(wantedNow);
        } catch (RuntimeException e) {
            log.warn("{}: refresh failed", label, e);
        }
    }

    /** With its stack trace the first time; a cluster failing the same way again at every refresh only at debug. */
    private void logFailure(String clusterId, RuntimeException e) {
        String signature = e.getClass().getName() + ": " + e.getMessage();
        String ref = describe(clusterId);
        if (signature.equals(failing.put(clusterId, signature))) {
            log.debug("{} {}: cannot watch, again", label, ref, e);
        } else {
            log.warn("{} {}: cannot watch", label, ref, e);
        }
    }

    private String describe(String clusterId) {
        try {
            return describe.apply(clusterId);
        } catch (RuntimeException e) {
            return "cluster-id=" + clusterId;
        }
    }

    private void ensure(String clusterId) {
        Optional<KubernetesClient> connected = connect.apply(clusterId);
        if (connected.isEmpty()) {
            return;
        }
        KubernetesClient client = connected.get();
        Watching current = watching.get(clusterId);
        Map<String, SharedIndexInformer<?>> kept = current == null ? Map.of() : current.healthyOn(client);
        if (kept.size() == informers.size()) {
            return;
        }
        // Healthy informers on the same client stay (a restart lists everything again); the others start afresh.
        // One kind that cannot start keeps none of the others from watching; it is tried again at the next refresh.
        Map<String, SharedIndexInformer<?>> next = new LinkedHashMap<>();
        RuntimeException failure = null;
        boolean started = false;
        for (Map.Entry<String, Informer> informer : informers.entrySet()) {
            SharedIndexInformer<?> keep = kept.get(informer.getKey());
            if (keep != null) {
                next.put(informer.getKey(), keep);
                continue;
            }
            try {
                Optional<SharedIndexInformer<?>> fresh = informer.getValue().inform(clusterId, client);
                if (fresh.isPresent()) {
                    next.put(informer.getKey(), fresh.get());
                    started = true;
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        watching.put(clusterId, new Watching(client, next));
        if (current != null) {
            current.informers().forEach((name, informer) -> {
                if (next.get(name) != informer) {
                    informer.close();
                }
            });
        }
        if (started) {
            log.debug("{} {}: watching {}", label, describe(clusterId), next.keySet());
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void stop(String clusterId) {
        Watching stopped = watching.remove(clusterId);
        if (stopped != null) {
            stopped.stop();
        }
    }
}
