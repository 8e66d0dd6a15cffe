package io.edgeplane.seedmanager.cluster.encryption;

import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationMachine.Action;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationMachine.Transition;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationPhase.AddingKey;
import static io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationPhase.Done;
import static io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationPhase.RemovingOldKey;
import static io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationPhase.Requested;
import static io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationPhase.RewritingSecrets;
import static io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationPhase.SwitchingWriter;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per edge of the rotation, including the edges a pass killed between its two writes takes. */
class EncryptionKeyRotationMachineTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant STARTED = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-07T10:05:00Z");
    private static final Optional<String> LOADED = Optional.empty();
    private static final Optional<String> NOT_LOADED = Optional.of("kube-apiserver has not loaded it yet");

    private final EncryptionKeys one = EncryptionKeys.generate(RANDOM);
    private final EncryptionKeys reading = one.withNewKey(RANDOM);        // [key-1, key-2]
    private final EncryptionKeys writing = reading.newestFirst();         // [key-2, key-1]
    private final EncryptionKeys only = writing.onlyCurrent();            // [key-2]

    private static EncryptionKeyRotation in(EncryptionKeyRotationPhase phase) {
        return new EncryptionKeyRotation(phase, "key-1", "key-2", null, 0, null, STARTED, null);
    }

    private static List<String> names(EncryptionKeys keys) {
        return keys.keys().stream().map(EncryptionKeys.Key::name).toList();
    }

    private static Transition next(EncryptionKeyRotation rotation, EncryptionKeys keys, Optional<String> pending) {
        return EncryptionKeyRotationMachine.next(rotation, keys, pending, RANDOM, NOW);
    }

    @Test
    void requestedAddsANewReadingKeyBehindTheWritingOne() {
        Transition t = next(EncryptionKeyRotation.requested(STARTED), one, NOT_LOADED);
        assertThat(names(t.keys())).containsExactly("key-1", "key-2");
        assertThat(t.keys().current()).isEqualTo(one.current());
        assertThat(t.rotation().phase()).isEqualTo(AddingKey);
        assertThat(t.rotation().fromKey()).isEqualTo("key-1");
        assertThat(t.rotation().toKey()).isEqualTo("key-2");
        assertThat(t.rotation().startedAt()).isEqualTo(STARTED);
    }

    @Test
    void requestedAfterAKilledPassReusesTheKeyItAdded() {
        Transition t = next(EncryptionKeyRotation.requested(STARTED), reading, LOADED);
        assertThat(t.keys()).isSameAs(reading);
        assertThat(t.rotation().phase()).isEqualTo(AddingKey);
        assertThat(t.rotation().toKey()).isEqualTo("key-2");
    }

    @Test
    void aSecondRotationNamesTheNextKey() {
        Transition t = next(EncryptionKeyRotation.requested(STARTED), only, LOADED);
        assertThat(names(t.keys())).containsExactly("key-2", "key-3");
        assertThat(t.rotation().fromKey()).isEqualTo("key-2");
        assertThat(t.rotation().toKey()).isEqualTo("key-3");
    }

    @Test
    void addingKeyWaitsWhileSomeApiserverHasNotLoadedTheReadingKey() {
        Transition t = next(in(AddingKey), reading, NOT_LOADED);
        assertThat(t.keys()).isSameAs(reading);
        assertThat(t.rotation().phase()).isEqualTo(AddingKey);
        assertThat(t.rotation().message()).isEqualTo(NOT_LOADED.get());
        assertThat(t.action()).isEqualTo(Action.NONE);
    }

    @Test
    void addingKeyMakesTheNewKeyTheWriterOnceEveryApiserverReadsWithIt() {
        Transition t = next(in(AddingKey).withMessage("old"), reading, LOADED);
        assertThat(names(t.keys())).containsExactly("key-2", "key-1");
        assertThat(t.rotation().phase()).isEqualTo(SwitchingWriter);
        assertThat(t.rotation().message()).isNull();
    }

    @Test
    void addingKeyWhoseSwitchWasStoredByAKilledPassMovesOnWithoutTouchingTheKeys() {
        Transition t = next(in(AddingKey), writing, NOT_LOADED);
        assertThat(t.keys()).isSameAs(writing);
        assertThat(t.rotation().phase()).isEqualTo(SwitchingWriter);
    }

    @Test
    void addingKeyWithoutItsKeyStartsOver() {
        Transition t = next(in(AddingKey), one, LOADED);
        assertThat(t.keys()).isSameAs(one);
        assertThat(t.rotation().phase()).isEqualTo(Requested);
    }

    @Test
    void switchingWriterWaitsWhileSomeApiserverStillWritesWithTheOldKey() {
        Transition t = next(in(SwitchingWriter), writing, NOT_LOADED);
        assertThat(t.keys()).isSameAs(writing);
        assertThat(t.rotation().phase()).isEqualTo(SwitchingWriter);
        assertThat(t.rotation().message()).isEqualTo(NOT_LOADED.get());
    }

    @Test
    void switchingWriterStartsTheRewriteFromTheFirstPageOnceEveryApiserverWritesWithTheNewKey() {
        Transition t = next(in(SwitchingWriter), writing, LOADED);
        assertThat(t.keys()).isSameAs(writing);
        assertThat(t.rotation().phase()).isEqualTo(RewritingSecrets);
        assertThat(t.rotation().secretsContinue()).isNull();
    }

    @Test
    void switchingWriterWhoseKeysDoNotWriteWithTheNewKeyGoesBackToAddingIt() {
        Transition t = next(in(SwitchingWriter), reading, LOADED);
        assertThat(t.keys()).isSameAs(reading);
        assertThat(t.rotation().phase()).isEqualTo(AddingKey);
    }

    @Test
    void rewritingSecretsAsksForTheRewriteAndChangesNothingItself() {
        EncryptionKeyRotation resumed = in(RewritingSecrets).rewrote(100, "page-2");
        Transition t = next(resumed, writing, NOT_LOADED);
        assertThat(t.action()).isEqualTo(Action.REWRITE_SECRETS);
        assertThat(t.keys()).isSameAs(writing);
        assertThat(t.rotation()).isEqualTo(resumed);
    }

    @Test
    void aFinishedRewriteDropsTheOldKey() {
        Transition t = EncryptionKeyRotationMachine.afterRewrite(in(RewritingSecrets).rewrote(7, null), writing);
        assertThat(names(t.keys())).containsExactly("key-2");
        assertThat(t.keys().current()).isEqualTo(writing.current());
        assertThat(t.rotation().phase()).isEqualTo(RemovingOldKey);
        assertThat(t.rotation().secretsRewritten()).isEqualTo(7);
    }

    @Test
    void removingOldKeyDropsItAgainWhenAKilledPassStoredOnlyThePhase() {
        Transition t = next(in(RemovingOldKey), writing, LOADED);
        assertThat(names(t.keys())).containsExactly("key-2");
        assertThat(t.rotation().phase()).isEqualTo(RemovingOldKey);
    }

    @Test
    void removingOldKeyWaitsWhileSomeApiserverStillHasIt() {
        Transition t = next(in(RemovingOldKey), only, NOT_LOADED);
        assertThat(t.keys()).isSameAs(only);
        assertThat(t.rotation().phase()).isEqualTo(RemovingOldKey);
        assertThat(t.rotation().message()).isEqualTo(NOT_LOADED.get());
    }

    @Test
    void removingOldKeyIsDoneOnceEveryApiserverHasOnlyTheNewKey() {
        Transition t = next(in(RemovingOldKey), only, LOADED);
        assertThat(t.keys()).isSameAs(only);
        assertThat(t.rotation().phase()).isEqualTo(Done);
        assertThat(t.rotation().finishedAt()).isEqualTo(NOW);
        assertThat(t.rotation().phase().underWay()).isFalse();
    }

    @Test
    void doneStaysDone() {
        EncryptionKeyRotation done = in(RemovingOldKey).done(NOW);
        Transition t = next(done, only, NOT_LOADED);
        assertThat(t.rotation()).isEqualTo(done);
        assertThat(t.keys()).isSameAs(only);
    }
}
