package io.edgeplane.seedmanager.cluster.tenant;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One kind of object the seed manager reads from every tenant cluster it watches: where its
 * informer lists and watches, the indexes its store keeps (so a reader finds a device's objects
 * without going through all of them), whether a cluster has the kind at all yet, how often the
 * informer hands every object to its listeners again (zero: never), and what of each object is
 * dropped before it is kept (what nobody reads, such as managed fields and a node's image list:
 * with thousands of devices per seed manager, that is most of the heap the cache would take).
 *
 * @param <T> the object
 */
public final class TenantKind<T extends HasMetadata> {
    private final String name;
    private final Function<KubernetesClient, Informable<T>> source;
    private final Map<String, Function<T, List<String>>> indexes;
    private final Predicate<KubernetesClient> defined;
    private final Duration resync;
    private final Consumer<T> slim;

    TenantKind(String name, Function<KubernetesClient, Informable<T>> source, Map<String, Function<T, List<String>>> indexes,
               Predicate<KubernetesClient> defined, Duration resync, Consumer<T> slim) {
        this.name = name;
        this.source = source;
        this.indexes = Map.copyOf(indexes);
        this.defined = defined;
        this.resync = resync;
        this.slim = slim;
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

    /** Drops from a freshly received object what nobody reads, before it is kept and handed to the listeners. */
    void slim(T object) {
        slim.accept(object);
    }

    @Override
    public String toString() {
        return name;
    }
}
