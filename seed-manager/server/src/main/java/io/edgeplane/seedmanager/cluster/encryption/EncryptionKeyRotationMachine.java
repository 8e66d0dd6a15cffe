package io.edgeplane.seedmanager.cluster.encryption;

import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.micronaut.core.annotation.Nullable;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The rotation's transitions, one per edge, as pure functions of the stored rotation, the cluster's
 * stored keys and what the apiservers loaded. Keys are stored before the rotation that names them,
 * so a pass killed between the two writes finds keys one step ahead and each transition accepts that.
 */
public final class EncryptionKeyRotationMachine {
    /** What to do besides storing: rewrite the cluster's Secrets (then call {@link #afterRewrite}). */
    public enum Action { NONE, REWRITE_SECRETS }

    /**
     * @param keys     the keys to store (the same object when unchanged)
     * @param rotation the rotation to store
     */
    public record Transition(EncryptionKeys keys, EncryptionKeyRotation rotation, Action action) {
        static Transition stay(EncryptionKeys keys, EncryptionKeyRotation rotation) {
            return new Transition(keys, rotation, Action.NONE);
        }
    }

    private EncryptionKeyRotationMachine() {
    }

    /**
     * The next step.
     *
     * @param pending why some apiserver has not loaded the configuration of {@code keys} yet; empty when all have
     */
    public static Transition next(EncryptionKeyRotation rotation, EncryptionKeys keys, Optional<String> pending,
                                  SecureRandom random, Instant now) {
        return switch (rotation.phase()) {
            case Requested -> addKey(rotation, keys, random);
            case AddingKey -> switchWriter(rotation, keys, pending);
            case SwitchingWriter -> startRewrite(rotation, keys, pending);
            case RewritingSecrets -> new Transition(keys, rotation, Action.REWRITE_SECRETS);
            case RemovingOldKey -> finish(rotation, keys, pending, now);
            case Done -> Transition.stay(keys, rotation);
        };
    }

    /** Every Secret was rewritten with the current key: drop the others. */
    public static Transition afterRewrite(EncryptionKeyRotation rotation, EncryptionKeys keys) {
        return new Transition(keys.onlyCurrent(), rotation.in(EncryptionKeyRotationPhase.RemovingOldKey), Action.NONE);
    }

    /** Requested -> AddingKey: a new reading key, unless a killed pass already added it. */
    private static Transition addKey(EncryptionKeyRotation rotation, EncryptionKeys keys, SecureRandom random) {
        EncryptionKeyRotation started = rotation.fromKey() != null ? rotation
                : new EncryptionKeyRotation(rotation.phase(), keys.current().name(), null, null, 0, null, rotation.startedAt(), null);
        EncryptionKeys added = keys.keys().size() == 1 ? keys.withNewKey(random) : keys;
        return new Transition(added, started.withToKey(newest(added)).in(EncryptionKeyRotationPhase.AddingKey), Action.NONE);
    }

    /** AddingKey -> SwitchingWriter once every apiserver reads with the new key. */
    private static Transition switchWriter(EncryptionKeyRotation rotation, EncryptionKeys keys, Optional<String> pending) {
        if (!has(keys, rotation.toKey())) {
            return new Transition(keys, rotation.in(EncryptionKeyRotationPhase.Requested), Action.NONE);
        }
        if (keys.current().name().equals(rotation.toKey())) {
            // A killed pass stored the switched keys but not the phase; they were loaded as reading keys before.
            return Transition.stay(keys, rotation.in(EncryptionKeyRotationPhase.SwitchingWriter));
        }
        if (pending.isPresent()) {
            return Transition.stay(keys, rotation.withMessage(pending.get()));
        }
        return new Transition(keys.newestFirst(), rotation.in(EncryptionKeyRotationPhase.SwitchingWriter), Action.NONE);
    }

    /** SwitchingWriter -> RewritingSecrets once every apiserver writes with the new key. */
    private static Transition startRewrite(EncryptionKeyRotation rotation, EncryptionKeys keys, Optional<String> pending) {
        if (!keys.current().name().equals(rotation.toKey())) {
            return Transition.stay(keys, rotation.in(EncryptionKeyRotationPhase.AddingKey));
        }
        if (pending.isPresent()) {
            return Transition.stay(keys, rotation.withMessage(pending.get()));
        }
        return Transition.stay(keys, rotation.rewrote(0, null).in(EncryptionKeyRotationPhase.RewritingSecrets));
    }

    /** RemovingOldKey -> Done once every apiserver has only the new key. */
    private static Transition finish(EncryptionKeyRotation rotation, EncryptionKeys keys, Optional<String> pending, Instant now) {
        if (keys.keys().size() > 1) {
            return new Transition(keys.onlyCurrent(), rotation, Action.NONE);
        }
        if (pending.isPresent()) {
            return Transition.stay(keys, rotation.withMessage(pending.get()));
        }
        return Transition.stay(keys, rotation.done(now));
    }

    private static boolean has(EncryptionKeys keys, @Nullable String name) {
        return name != null && keys.keys().stream().anyMatch(k -> k.name().equals(name));
    }

    private static String newest(EncryptionKeys keys) {
        return keys.keys().stream().map(EncryptionKeys.Key::name)
                .max(Comparator.comparingInt(name -> Integer.parseInt(name.substring(name.indexOf('-') + 1)))).orElseThrow();
    }
}
