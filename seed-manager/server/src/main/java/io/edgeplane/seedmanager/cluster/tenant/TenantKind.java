package io.edgeplane.seedmanager.cluster.tenant;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One kind of object the seed manager reads from every tenant cluster it watches: where its
 * informer lists and watches, the indexes its store keeps (so a reader finds a device's objects
 * without going through all of them), whether a cluster has the kind at all yet, and how often the
 * informer hands every object to its listeners again (zero: never).
 *
 * @param <T> the object
 */
public final class TenantKind<T extends HasMetadata> {
    private final String name;
    private final Function<KubernetesClient, Informable<T>> source;
    private final Map<String, Function<T, List<String>>> indexes;
    private final Predicate<KubernetesClient> defined;
    private final Duration resync;

    TenantKind(String name, Function<KubernetesClient, Informable<T>> source, Map<String, Function<T, List<String>>> indexes,
               Predicate<KubernetesClient> defined, Duration resync) {
        this.name = name;
        this.source = source;
        this.indexes = Map.copyOf(indexes);
        this.defined = defined;
        this.resync = resync;
    }

    /** Names the kind in log lines and among a cluster's informers ({@code nodes}). */
    public String name() {
        return name;
    }

    Informable<T> source(KubernetesClient client) {
        return source.apply(client);
    }

    Map<String, Function<T, List<String>>> indexes() {
        return indexes;
    }

    boolean definedIn(KubernetesClient client) {
        return defined.test(client);
    }

    Duration resync() {
        return resync;
    }

    @Override
    public String toString() {
        return name;
    }
}
