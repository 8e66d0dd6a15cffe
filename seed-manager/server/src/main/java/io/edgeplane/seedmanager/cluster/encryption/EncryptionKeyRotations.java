package io.edgeplane.seedmanager.cluster.encryption;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.ClusterService;
import io.edgeplane.seedmanager.cluster.ClusterView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Records that a cluster's Secrets encryption key is to be rotated; the {@link EncryptionKeyRotator} does it. */
@Singleton
public class EncryptionKeyRotations {
    private final ClusterService clusterService;
    private final ClusterRepository clusters;
    private final EncryptionKeyRotationCodec codec;

    public EncryptionKeyRotations(ClusterService clusterService, ClusterRepository clusters, EncryptionKeyRotationCodec codec) {
        this.clusterService = clusterService;
        this.clusters = clusters;
        this.codec = codec;
    }

    /** Starts a rotation; a conflict when one is under way or the cluster cannot take one. */
    @Transactional
    public ClusterView start(Caller caller, String project, String name) {
        caller.requireWritable(project);
        Cluster cluster = clusterService.find(caller, project, name);
        Optional<EncryptionKeyRotation> current = clusters.encryptionKeyRotation(cluster.id()).map(codec::read);
        refusal(cluster, current.orElse(null)).ifPresent(reason -> {
            throw new ConflictException(reason);
        });
        // Conditional, so two requests at once cannot both start one.
        if (clusters.startEncryptionKeyRotation(cluster.id(), codec.write(EncryptionKeyRotation.requested(now())), now()) != 1) {
            throw new ConflictException("cluster " + project + "/" + name + " already rotates its encryption key");
        }
        return clusterService.view(clusters.findById(cluster.id()).orElseThrow());
    }

    /** Why a rotation cannot start now; empty when it can. */
    static Optional<String> refusal(Cluster cluster, @Nullable EncryptionKeyRotation current) {
        String ref = cluster.project() + "/" + cluster.name();
        if (cluster.deleteRequested()) {
            return Optional.of("cluster " + ref + " is being deleted");
        }
        if (cluster.pki() == null) {
            return Optional.of("cluster " + ref + " has no encryption key yet; rotate once it is Running");
        }
        if (current != null && current.phase().underWay()) {
            return Optional.of("cluster " + ref + " already rotates its encryption key (phase " + current.phase()
                    + ", started " + current.startedAt() + "); wait for phase Done");
        }
        return Optional.empty();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
