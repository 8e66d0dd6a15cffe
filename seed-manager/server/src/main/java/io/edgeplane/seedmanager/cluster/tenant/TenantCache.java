package io.edgeplane.seedmanager.cluster.tenant;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.reconcile.ClusterInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One cached view of every tenant cluster that has devices or workloads: an informer per
 * {@link TenantKinds kind} and cluster, kept on the cluster's current client by
 * {@link ClusterInformers}. Reconcilers read through a {@link TenantView} (a store lookup, no
 * request); watches listen for the changes that matter to them ({@link #listen}). The informers
 * list in pages, so that a cluster of a thousand devices is not one huge response.
 */
@Singleton
public class TenantCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantCache.class);
    private static final Duration REFRESH = Duration.ofSeconds(10);
    /** Objects per page of an informer's initial list (and of its list again after a lost watch). */
    static final long PAGE = 250;

    private final ClusterInformers informers;
    private final Function<String, String> describe;
    private final Map<TenantKind<?>, List<TenantListener<?>>> listeners = new ConcurrentHashMap<>();

    @Inject
    public TenantCache(ClusterRepository clusters, ClusterConnections connections) {
        this(REFRESH, clusters::idsWithDevicesOrWorkloads,
                id -> clusters.findById(id).map(cluster -> connections.open(cluster).client()),
                id -> clusters.findById(id).map(Cluster::ref).orElse("cluster-id=" + id));
    }

    /**
     * @param refresh  how often the wanted clusters are looked at
     * @param wanted   the ids of the clusters to watch now
     * @param connect  the current client of a cluster (kept open by the caller), or empty while there is none
     * @param describe names a cluster by id as log lines do ({@code cluster=p1/c1})
     */
    public TenantCache(Duration refresh, Supplier<? extends Collection<String>> wanted, Function<String, Optional<KubernetesClient>> connect,
                       Function<String, String> describe) {
        this.describe = describe;
        Map<String, ClusterInformers.Informer> kinds = new LinkedHashMap<>();
        for (TenantKind<?> kind : TenantKinds.ALL) {
            listeners.put(kind, new CopyOnWriteArrayList<>());
            kinds.put(kind.name(), (clusterId, client) -> inform(kind, clusterId, client));
        }
        this.informers = new ClusterInformers("tenant-cache", refresh, wanted, connect, describe, kinds, LOG);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    /** Starts watching shortly, then keeps up with the wanted clusters. Call once the whole service is up. */
    public void start() {
        informers.start();
    }

    @PreDestroy
    @Override
    public void close() {
        informers.close();
    }

    /** Tells {@code listener} of every change of {@code kind} from now on, in every watched cluster. */
    public <T extends HasMetadata> void listen(TenantKind<T> kind, TenantListener<T> listener) {
        listeners.get(kind).add(listener);
    }

    /** Reads of one cluster: from the cache where it is current, else from the apiserver through {@code client}. */
    public TenantView view(String clusterId, KubernetesClient client) {
        return new TenantView(this, clusterId, client);
    }

    /** Whether reads of {@code kind} in the cluster come from the cache now (else from the apiserver). */
    public boolean cached(String clusterId, TenantKind<?> kind) {
        return current(clusterId, kind).isPresent();
    }

    /**
     * The store of {@code kind} in the cluster if it is current: listed in full and still watching.
     * Empty for a cluster not watched (yet), or while its watch is being made again: a reader then
     * asks the apiserver rather than take what may be stale for fresh.
     */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> Optional<SharedIndexInformer<T>> current(String clusterId, TenantKind<T> kind) {
        return informers.informer(clusterId, kind.name()).filter(i -> i.hasSynced() && i.isWatching()).map(i -> (SharedIndexInformer<T>) i);
    }

    private <T extends HasMetadata> Optional<SharedIndexInformer<?>> inform(TenantKind<T> kind, String clusterId, KubernetesClient client) {
        if (!kind.definedIn(client)) {
            return Optional.empty();
        }
        SharedIndexInformer<T> informer = kind.source(client).withLimit(PAGE).runnableInformer(kind.resync().toMillis());
        informer.itemStore(new SlimStore<>(kind));
        informer.addIndexers(kind.indexes());
        informer.addEventHandler(new Notify<>(kind, clusterId));
        try {
            informer.run();   // the initial list, in pages; a failure is the refresh's to report
        } catch (RuntimeException e) {
            informer.close();
            throw e;
        }
        return Optional.of(informer);
    }

    /** The informer's store, keyed as by default; each object is slimmed as it comes in, so the listeners see it so too. */
    private static final class SlimStore<T extends HasMetadata> extends BasicItemStore<T> {
        private final TenantKind<T> kind;

        SlimStore(TenantKind<T> kind) {
            super(Cache::metaNamespaceKeyFunc);
            this.kind = kind;
        }

        @Override
        public T put(String key, T object) {
            kind.slim(object);
            return super.put(key, object);
        }
    }

    /** Hands each change to every listener of its kind; one that fails is logged and does not keep the change from the others. */
    private final class Notify<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final TenantKind<T> kind;
        private final String clusterId;

        Notify(TenantKind<T> kind, String clusterId) {
            this.kind = kind;
            this.clusterId = clusterId;
        }

        @Override
        public void onAdd(T object) {
            each(object, listener -> listener.added(clusterId, object));
        }

        @Override
        public void onUpdate(T before, T after) {
            each(after, listener -> listener.updated(clusterId, before, after));
        }

        @Override
        public void onDelete(T object, boolean unknownFinalState) {
            each(object, listener -> listener.deleted(clusterId, object));
        }

        @SuppressWarnings("unchecked")
        private void each(T object, Consumer<TenantListener<T>> change) {
            for (TenantListener<?> listener : listeners.get(kind)) {
                try {
                    change.accept((TenantListener<T>) listener);
                } catch (RuntimeException e) {
                    LOG.warn("tenant cache {} {}={}: {} failed", describe.apply(clusterId), kind.name(), object.getMetadata().getName(),
                            listener.getClass().getSimpleName(), e);
                }
            }
        }
    }
}
