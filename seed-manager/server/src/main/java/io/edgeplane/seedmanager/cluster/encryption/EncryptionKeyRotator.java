package io.edgeplane.seedmanager.cluster.encryption;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.ClusterTargets;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationMachine.Action;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationMachine.Transition;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cluster reconciler's step encryption-key-rotation, run once the control plane is ready: one
 * transition of {@link EncryptionKeyRotationMachine} per pass (the runtime writes the configuration
 * of the stored keys in the next pass), or up to {@link #PAGES_PER_PASS} pages of Secrets rewritten.
 * New keys are stored before the rotation that names them; see the machine for why that is safe.
 */
@Singleton
public class EncryptionKeyRotator {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptionKeyRotator.class);
    /** Bounds a pass well inside the reconcile lease; the rest resumes at the stored continue token. */
    static final int PAGES_PER_PASS = 10;
    /** How soon a cluster whose rotation is under way is looked at again (apiservers reload about once a minute). */
    public static final Duration POLL = Duration.ofSeconds(5);

    private final ClusterRepository clusters;
    private final ClusterTargets targets;
    private final ControlPlaneRuntime runtime;
    private final EncryptionKeyRotationCodec codec;
    private final SecureRandom random = new SecureRandom();

    public EncryptionKeyRotator(ClusterRepository clusters, ClusterTargets targets, ControlPlaneRuntime runtime,
                                EncryptionKeyRotationCodec codec) {
        this.clusters = clusters;
        this.targets = targets;
        this.runtime = runtime;
        this.codec = codec;
    }

    /**
     * What a pass left behind.
     *
     * @param underWay whether a rotation is (still) under way, so the cluster is looked at again soon
     * @param keys     the cluster's keys as now stored (the runtime writes them at the next pass)
     */
    public record Outcome(boolean underWay, EncryptionKeys keys) {
    }

    /**
     * Advances the cluster's rotation, if one is under way, by one step. A failure is recorded as the
     * rotation's message (the control plane itself is fine) and retried at the next pass.
     */
    public Outcome advance(Cluster cluster, ControlPlaneTarget target, Supplier<KubernetesClient> tenant) {
        EncryptionKeys keys = target.pki().encryptionKeys();
        Optional<String> stored = clusters.encryptionKeyRotation(cluster.id());
        if (stored.isEmpty()) {
            return new Outcome(false, keys);
        }
        EncryptionKeyRotation rotation = codec.read(stored.get());
        if (!rotation.phase().underWay()) {
            return new Outcome(false, keys);
        }
        Stored row = new Stored(cluster.id(), stored.get(), rotation);
        EncryptionKeys storedKeys = keys;
        EncryptionKeyRotation next;
        try {
            Optional<String> pending = waits(rotation.phase()) ? runtime.encryptionConfigPending(target) : Optional.empty();
            Transition step = EncryptionKeyRotationMachine.next(rotation, keys, pending, random, now());
            if (step.action() == Action.REWRITE_SECRETS) {
                step = rewrite(row, step.rotation(), keys, tenant.get());
            }
            if (!step.keys().equals(keys)) {
                // Keys are only replaced by the pass that holds the rotation as stored: a pass that outlived its
                // lease must not overwrite keys another replica has moved on with.
                if (!row.current()) {
                    throw new IllegalStateException("the rotation changed meanwhile (another replica took the cluster over?)");
                }
                targets.storeEncryptionKeys(cluster, target.pki().withEncryptionKeys(step.keys()));
                storedKeys = step.keys();
            }
            next = step.rotation();
        } catch (RuntimeException e) {
            LOG.warn("{} step=encryption-key-rotation phase={} failed, retrying", cluster.ref(), rotation.phase(), e);
            next = row.rotation.withMessage(e.getMessage() != null ? e.getMessage() : e.toString());
        }
        if (!next.equals(row.rotation)) {
            if (!row.save(next)) {
                // Another replica took the cluster over after this pass outlived its lease; its result stands.
                LOG.info("{} step=encryption-key-rotation the rotation changed meanwhile; left as it is", cluster.ref());
                return new Outcome(true, storedKeys);
            }
            if (next.phase() != rotation.phase()) {
                LOG.info("{} step=encryption-key-rotation phase={} toKey={}", cluster.ref(), next.phase(), next.toKey());
            }
        }
        return new Outcome(next.phase().underWay(), storedKeys);
    }

    private static boolean waits(EncryptionKeyRotationPhase phase) {
        return phase == EncryptionKeyRotationPhase.AddingKey || phase == EncryptionKeyRotationPhase.SwitchingWriter
                || phase == EncryptionKeyRotationPhase.RemovingOldKey;
    }

    /** Pages of Secrets, storing the continue token after each so a killed pass resumes there. */
    private Transition rewrite(Stored row, EncryptionKeyRotation rotation, EncryptionKeys keys, KubernetesClient tenant) {
        EncryptionKeyRotation progress = rotation;
        for (int page = 0; page < PAGES_PER_PASS; page++) {
            SecretRewriter.Page done = SecretRewriter.rewrite(tenant, progress.secretsContinue());
            EncryptionKeyRotation after = progress.rewrote(done.rewritten(), done.next());
            if (done.next() == null && !done.restarted()) {
                return EncryptionKeyRotationMachine.afterRewrite(after, keys);
            }
            if (!row.save(after)) {
                throw new IllegalStateException("the rotation changed meanwhile (another replica took the cluster over?)");
            }
            progress = after;
        }
        return new Transition(keys, progress, Action.NONE);
    }

    /** The rotation row as this pass last wrote it: each write replaces exactly that. */
    private final class Stored {
        private final String clusterId;
        private String json;
        private EncryptionKeyRotation rotation;

        Stored(String clusterId, String json, EncryptionKeyRotation rotation) {
            this.clusterId = clusterId;
            this.json = json;
            this.rotation = rotation;
        }

        boolean current() {
            return clusters.encryptionKeyRotation(clusterId).map(json::equals).orElse(false);
        }

        /** False when the stored row is no longer the one this pass read or wrote. */
        boolean save(EncryptionKeyRotation rotation) {
            String next = codec.write(rotation);
            if (next.equals(json)) {
                return true;
            }
            if (clusters.advanceEncryptionKeyRotation(clusterId, json, next) != 1) {
                return false;
            }
            json = next;
            this.rotation = rotation;
            return true;
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
