package io.edgeplane.seedmanager.cluster.controlplane.pki;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster's PKI as stored in PostgreSQL (JSON). Certificates and public keys are plain PEM;
 * every private key, CA keys included, is sealed with the master key, bound to its cluster and
 * entry name.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; a later layout can still read older rows
 * @param entries       by entry name ({@link PkiLayout}), sorted so equal PKIs serialise equally
 * @param encryptionKeys the apiserver's keys for Secrets in etcd, in configuration order, sealed;
 *                       null in rows stored before encryption at rest (the reconciler adds them)
 */
@Serdeable
public record StoredPki(int formatVersion, Map<String, Entry> entries, @Nullable List<SealedKey> encryptionKeys) {
    public static final int FORMAT_VERSION = 1;

    public StoredPki {
        entries = entries == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(entries));
        encryptionKeys = encryptionKeys == null ? null : List.copyOf(encryptionKeys);
    }

    public StoredPki(int formatVersion, Map<String, Entry> entries) {
        this(formatVersion, entries, null);
    }

    /**
     * One entry.
     *
     * @param certificate      certificate PEM; null for the service-account key pair
     * @param publicKey        public key PEM; only for the service-account key pair
     * @param sealedPrivateKey base64 of the PKCS#8 private key sealed by {@link MasterKey#seal}
     */
    @Serdeable
    public record Entry(@Nullable String certificate, @Nullable String publicKey, String sealedPrivateKey) {
    }

    /**
     * One encryption key.
     *
     * @param name         as in the EncryptionConfiguration ({@code key-<n>})
     * @param sealedSecret base64 of the raw key sealed by {@link MasterKey#seal}
     */
    @Serdeable
    public record SealedKey(String name, String sealedSecret) {
    }

    /** Associated data of a sealed encryption key: bound to its cluster and name like the private keys. */
    static String encryptionKeyAssociatedData(String clusterName, String keyName) {
        return "edgeplane/pki/v" + FORMAT_VERSION + "/cluster=" + clusterName + "/encryption-key=" + keyName;
    }

    /** Associated data of an entry's sealed key: a key copied to another cluster or entry fails to open. */
    static String associatedData(String clusterName, String entry) {
        return "edgeplane/pki/v" + FORMAT_VERSION + "/cluster=" + clusterName + "/entry=" + entry;
    }
}
