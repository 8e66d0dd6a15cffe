package io.edgeplane.seedmanager.machine;

/** A node of the cluster registered, went away, or turned Ready or NotReady (published by {@link NodeWatches}). */
public record NodeReadinessChanged(String clusterId) {
}
