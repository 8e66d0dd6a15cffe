package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiFixtures.masterKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {
    private static final byte[] SECRET = "the etcd CA key".getBytes(StandardCharsets.UTF_8);

    private final MasterKey key = masterKey(1);

    @Test
    void sealedDataOpensWithTheSameKeyAndAssociatedData() {
        byte[] sealed = key.seal(SECRET, "cluster=a/entry=ca");

        assertThat(key.open(sealed, "cluster=a/entry=ca")).isEqualTo(SECRET);
        assertThat(masterKey(1).open(sealed, "cluster=a/entry=ca")).as("an equal key").isEqualTo(SECRET);
    }

    @Test
    void theFormatIsVersionNonceCiphertextAndTag() {
        byte[] first = key.seal(SECRET, "ad");
        byte[] second = key.seal(SECRET, "ad");

        assertThat(first).hasSize(1 + 12 + SECRET.length + 16);
        assertThat(first[0]).isEqualTo((byte) 1);
        assertThat(first).as("a fresh nonce each time").isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("etcd CA");
    }

    @Test
    void aWrongKeyFailsClearly() {
        byte[] sealed = key.seal(SECRET, "ad");

        assertThatThrownBy(() -> masterKey(2).open(sealed, "ad"))
                .isInstanceOf(SealedDataException.class)
                .hasMessageContaining("master key " + masterKey(2).fingerprint())
                .hasMessageContaining("not the one it was sealed with");
    }

    @Test
    void otherAssociatedDataFails() {
        byte[] sealed = key.seal(SECRET, "cluster=a/entry=ca");

        assertThatThrownBy(() -> key.open(sealed, "cluster=b/entry=ca")).isInstanceOf(SealedDataException.class);
        assertThatThrownBy(() -> key.open(sealed, "cluster=a/entry=etcd/ca")).isInstanceOf(SealedDataException.class);
    }

    @Test
    void everyTamperedByteIsDetected() {
        byte[] sealed = key.seal(SECRET, "ad");
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> key.open(tampered, "ad")).as("byte %d", i).isInstanceOf(SealedDataException.class);
        }
        assertThatThrownBy(() -> key.open(new byte[10], "ad")).isInstanceOf(SealedDataException.class).hasMessageContaining("truncated");
    }

    @Test
    void onlyThirtyTwoByteKeysAreAccepted() {
        assertThatThrownBy(() -> MasterKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decodes to 31 bytes");
        assertThatThrownBy(() -> MasterKey.fromBase64("this is not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("this is not base64!");
        assertThat(MasterKey.fromBase64(" " + Base64.getEncoder().encodeToString(new byte[32]) + "\n").fingerprint())
                .isEqualTo(MasterKey.of(new byte[32]).fingerprint());
    }

    @Test
    void theRawKeyIsCopiedAndNeverPrinted() {
        byte[] raw = new byte[32];
        raw[0] = 42;
        MasterKey copy = MasterKey.of(raw);
        byte[] sealed = copy.seal(SECRET, "ad");
        raw[0] = 0;

        assertThat(copy.open(sealed, "ad")).isEqualTo(SECRET);
        assertThat(copy.toString()).isEqualTo("MasterKey[" + copy.fingerprint() + "]").doesNotContain(copy.toBase64());
        assertThat(copy.fingerprint()).hasSize(16).isNotEqualTo(MasterKey.of(new byte[32]).fingerprint());
    }
}
