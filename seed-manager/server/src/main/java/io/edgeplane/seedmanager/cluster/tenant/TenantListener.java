package io.edgeplane.seedmanager.cluster.tenant;

/**
 * Told of every change of one {@link TenantKind} in every watched cluster, one change at a time
 * per cluster and kind, on the informer's thread: quick work only (decide, wake a reconciler).
 * A restarted informer (a renewed client) tells every object again as added; a resync tells each
 * as updated with {@code before} the same as {@code after}.
 *
 * @param <T> the object
 */
public interface TenantListener<T> {

    default void added(String clusterId, T object) {
    }

    default void updated(String clusterId, T before, T after) {
    }

    default void deleted(String clusterId, T object) {
    }
}
