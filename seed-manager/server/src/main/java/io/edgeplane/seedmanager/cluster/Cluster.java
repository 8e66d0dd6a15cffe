package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A tenant cluster as stored: desired state (version, node-health timeouts, pod range, generation, deletion) and observed
 * state (phase, status JSON, observed generation), plus the reconcile lease. The pod range never changes: devices hold their
 * part of it.
 */
@MappedEntity("clusters")
public record Cluster(@Id String id,
                      String project,
                      String name,
                      String datacenter,
                      String version,
                      @Nullable Integer nodeGracePeriodSeconds,
                      @Nullable Integer nodeEvictionSeconds,
                      String podCidr,
                      long generation,
                      long observedGeneration,
                      ClusterPhase phase,
                      String status,
                      @Nullable String pki,
                      boolean deleteRequested,
                      @Nullable String leaseOwner,
                      @Nullable Instant leaseUntil,
                      Instant nextReconcileAt,
                      Instant createdAt,
                      Instant updatedAt) {

    /** The cluster as log lines name it: {@code cluster=project/name}. */
    public String ref() {
        return "cluster=" + project + "/" + name;
    }

    /** The cluster's node-health timeouts; unset ones are the Kubernetes defaults. */
    public NodeHealth nodeHealth() {
        return new NodeHealth(nodeGracePeriodSeconds, nodeEvictionSeconds);
    }
}
