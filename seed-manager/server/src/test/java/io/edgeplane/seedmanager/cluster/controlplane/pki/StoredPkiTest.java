package io.edgeplane.seedmanager.cluster.controlplane.pki;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredPkiTest {
    private final ObjectMapper json = ObjectMapper.getDefault();
    private final MasterKey key = masterKey(1);
    private final ClusterPki pki = pkiAt(T0, "alpha");

    @Test
    void roundTripsThroughJson() throws Exception {
        String stored = json.writeValueAsString(pki.toStored(key));

        ClusterPki restored = ClusterPki.fromStored(json.readValue(stored, StoredPki.class), key, "alpha");

        assertThat(restored.files()).isEqualTo(pki.files());
        assertThat(restored.expiries()).isEqualTo(pki.expiries());
        assertThat(restored.clusterName()).isEqualTo("alpha");
        assertThat(json.writeValueAsString(restored.toStored(key)))
                .as("same shape; only nonces differ").contains("\"formatVersion\":1", "\"etcd/ca\"", "\"sa\"");
    }

    @Test
    void theJsonHoldsNoPrivateKeyInClear() throws Exception {
        String stored = json.writeValueAsString(pki.toStored(key));

        assertThat(stored).doesNotContain("PRIVATE KEY").contains("BEGIN CERTIFICATE", "BEGIN PUBLIC KEY");
        for (String entry : pki.files().keySet()) {
            if (!entry.endsWith(".key")) {
                continue;
            }
            byte[] pkcs8 = PemEncoding.decode(PemEncoding.PRIVATE_KEY, pki.files().get(entry));
            ECPrivateKey privateKey = (ECPrivateKey) KeyPairs.privateKey(pkcs8);
            byte[] scalar = unsigned32(privateKey.getS());
            assertThat(stored).as(entry)
                    .doesNotContain(Base64.getEncoder().encodeToString(pkcs8))
                    .doesNotContain(Base64.getEncoder().encodeToString(pkcs8).substring(0, 64))
                    .doesNotContain(Base64.getEncoder().encodeToString(scalar))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(scalar))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(scalar));
        }
    }

    @Test
    void anotherMasterKeyCannotOpenIt() {
        StoredPki stored = pki.toStored(key);

        assertThatThrownBy(() -> ClusterPki.fromStored(stored, masterKey(2), "alpha"))
                .isInstanceOf(SealedDataException.class)
                .hasMessageContaining("master key")
                .hasMessageContaining("cluster=alpha");
    }

    @Test
    void aStoredPkiDoesNotOpenUnderAnotherClusterName() {
        StoredPki stored = pki.toStored(key);

        assertThatThrownBy(() -> ClusterPki.fromStored(stored, key, "beta")).isInstanceOf(SealedDataException.class);
    }

    @Test
    void aCaKeySwappedInFromAnotherClusterIsRefused() {
        StoredPki alpha = pki.toStored(key);
        StoredPki beta = pkiAt(T0, "beta").toStored(key);
        Map<String, StoredPki.Entry> tampered = new HashMap<>(beta.entries());
        tampered.put("ca", new StoredPki.Entry(tampered.get("ca").certificate(), null, alpha.entries().get("ca").sealedPrivateKey()));

        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, tampered), key, "beta"))
                .isInstanceOf(SealedDataException.class)
                .hasMessageContaining("entry=ca");
    }

    @Test
    void aKeyMovedToAnotherEntryIsRefused() {
        StoredPki stored = pki.toStored(key);
        Map<String, StoredPki.Entry> tampered = new HashMap<>(stored.entries());
        StoredPki.Entry apiserver = tampered.get("apiserver");
        tampered.put("apiserver", new StoredPki.Entry(apiserver.certificate(), null, stored.entries().get("ca").sealedPrivateKey()));

        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, tampered), key, "alpha"))
                .isInstanceOf(SealedDataException.class)
                .hasMessageContaining("entry=apiserver");
    }

    @Test
    void aLeafFromAnotherClusterIsRefusedEvenWithAMatchingKey() {
        // Certificates are stored in clear; a leaf of another CA, with its own (validly sealed) key, must not load.
        ClusterPki other = pkiAt(T0, "alpha");
        Map<String, StoredPki.Entry> mixed = new HashMap<>(pki.toStored(key).entries());
        mixed.put("apiserver", other.toStored(key).entries().get("apiserver"));

        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, mixed), key, "alpha"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiserver").hasMessageContaining("not signed by ca");
    }

    @Test
    void missingEntriesAndUnknownFormatsAreReported() {
        Map<String, StoredPki.Entry> partial = new HashMap<>(pki.toStored(key).entries());
        partial.remove("etcd/peer");

        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, partial), key, "alpha"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks entry etcd/peer");
        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(99, pki.toStored(key).entries()), key, "alpha"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 99");
    }

    @Test
    void theCertificateOfAnEntryCannotBeReplacedUnderItsKey() {
        StoredPki stored = pki.toStored(key);
        Map<String, StoredPki.Entry> tampered = new HashMap<>(stored.entries());
        StoredPki.Entry ca = tampered.get("ca");
        tampered.put("ca", new StoredPki.Entry(stored.entries().get("front-proxy-ca").certificate(), null, ca.sealedPrivateKey()));

        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, tampered), key, "alpha"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match its certificate");
    }

    @Test
    void malformedEntriesNameTheEntry() {
        Map<String, StoredPki.Entry> entries = new HashMap<>(pki.toStored(key).entries());
        entries.put("sa", new StoredPki.Entry(null, null, entries.get("sa").sealedPrivateKey()));
        entries.put("scheduler", new StoredPki.Entry("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", null,
                entries.get("scheduler").sealedPrivateKey()));

        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, entries), key, "alpha"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry scheduler has no valid certificate");
        entries.put("scheduler", pki.toStored(key).entries().get("scheduler"));
        assertThatThrownBy(() -> ClusterPki.fromStored(new StoredPki(1, entries), key, "alpha"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry sa has no valid public key");
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        assertThat(Arrays.equals(out, new byte[32])).isFalse();
        return out;
    }
}
