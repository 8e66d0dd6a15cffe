package io.edgeplane.seedmanager.cluster.controlplane.pki;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptionKeysTest {
    private final ObjectMapper json = ObjectMapper.getDefault();
    private final MasterKey key = masterKey(1);
    private final SecureRandom random = new SecureRandom();

    @Test
    void aNewClusterHasOneRandomKey() {
        EncryptionKeys alpha = pkiAt(T0, "alpha").encryptionKeys();
        EncryptionKeys beta = pkiAt(T0, "beta").encryptionKeys();

        assertThat(alpha.keys()).extracting(EncryptionKeys.Key::name).containsExactly("key-1");
        assertThat(alpha.current().secret()).hasSize(32);
        assertThat(alpha).isNotEqualTo(beta);
        assertThat(alpha.toString()).doesNotContain(alpha.current().secretBase64());
    }

    @Test
    void aRotationAddsAReadingKeyThenWritesWithItThenDropsTheOld() {
        EncryptionKeys first = EncryptionKeys.generate(random);

        EncryptionKeys added = first.withNewKey(random);
        assertThat(added.keys()).extracting(EncryptionKeys.Key::name).containsExactly("key-1", "key-2");
        assertThat(added.current()).isEqualTo(first.current());

        EncryptionKeys promoted = added.newestFirst();
        assertThat(promoted.keys()).extracting(EncryptionKeys.Key::name).containsExactly("key-2", "key-1");

        EncryptionKeys done = promoted.onlyCurrent();
        assertThat(done.keys()).extracting(EncryptionKeys.Key::name).containsExactly("key-2");
        assertThat(done.withNewKey(random).keys()).extracting(EncryptionKeys.Key::name).containsExactly("key-2", "key-3");
    }

    @Test
    void keysAreStoredSealedAndComeBackEqual() throws Exception {
        ClusterPki pki = pkiAt(T0, "alpha");
        ClusterPki rotated = pki.withEncryptionKeys(pki.encryptionKeys().withNewKey(random));
        String stored = json.writeValueAsString(rotated.toStored(key));

        for (EncryptionKeys.Key k : rotated.encryptionKeys().keys()) {
            assertThat(stored).doesNotContain(k.secretBase64());
        }
        ClusterPki restored = ClusterPki.fromStored(json.readValue(stored, StoredPki.class), key, "alpha");
        assertThat(restored.encryptionKeys()).isEqualTo(rotated.encryptionKeys());
    }

    @Test
    void aPkiStoredBeforeEncryptionAtRestGetsItsFirstKeyOnce() throws Exception {
        StoredPki stored = pkiAt(T0, "alpha").toStored(key);
        String old = json.writeValueAsString(new StoredPki(stored.formatVersion(), stored.entries()));
        assertThat(old).doesNotContain("encryptionKeys");

        ClusterPki restored = ClusterPki.fromStored(json.readValue(old, StoredPki.class), key, "alpha");
        assertThatThrownBy(restored::encryptionKeys).isInstanceOf(IllegalStateException.class).hasMessageContaining("alpha");

        ClusterPki upgraded = restored.withEncryptionKeysIfMissing();
        assertThat(upgraded.encryptionKeys().keys()).hasSize(1);
        assertThat(upgraded.withEncryptionKeysIfMissing()).isSameAs(upgraded);
    }

    @Test
    void aKeySwappedInFromAnotherClusterDoesNotOpen() {
        StoredPki alpha = pkiAt(T0, "alpha").toStored(key);
        StoredPki beta = pkiAt(T0, "beta").toStored(key);

        StoredPki tampered = new StoredPki(alpha.formatVersion(), alpha.entries(), beta.encryptionKeys());

        assertThatThrownBy(() -> ClusterPki.fromStored(tampered, key, "alpha"))
                .isInstanceOf(SealedDataException.class).hasMessageContaining("encryption-key=key-1");
    }

    @Test
    void badKeysAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new EncryptionKeys.Key("key-1", new byte[16])).hasMessageContaining("key-1").hasMessageContaining("32");
        assertThatThrownBy(() -> new EncryptionKeys.Key("primary", new byte[32])).hasMessageContaining("key-<n>");
        EncryptionKeys.Key one = new EncryptionKeys.Key("key-1", new byte[32]);
        assertThatThrownBy(() -> EncryptionKeys.of(List.of(one, one))).hasMessageContaining("repeat");
        assertThatThrownBy(() -> EncryptionKeys.of(List.of())).hasMessageContaining("at least one");
        assertThat(Base64.getDecoder().decode(one.secretBase64())).hasSize(32);
    }
}
