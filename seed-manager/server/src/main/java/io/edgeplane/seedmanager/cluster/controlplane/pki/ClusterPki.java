package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one cluster's control plane needs for TLS, service-account tokens and Secrets at
 * rest: three CAs, the service-account key pair and the leaf certificates, named as in kubeadm's
 * pki directory ({@link PkiLayout}), and the apiserver's encryption keys. Immutable; renewal
 * returns a new instance.
 */
public final class ClusterPki {
    private final String clusterName;
    private final Map<String, CertificateAuthority> authorities;
    private final Map<String, CertifiedKey> leaves;
    private final KeyPair serviceAccount;
    private final EncryptionKeys encryptionKeys;
    private final Issuance issuance;

    /** @param encryptionKeys null only for a PKI stored before encryption at rest */
    ClusterPki(String clusterName, Map<String, CertificateAuthority> authorities, Map<String, CertifiedKey> leaves,
               KeyPair serviceAccount, EncryptionKeys encryptionKeys, Issuance issuance) {
        this.clusterName = clusterName;
        this.encryptionKeys = encryptionKeys;
        this.authorities = Collections.unmodifiableMap(new LinkedHashMap<>(authorities));
        this.leaves = Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
        this.serviceAccount = serviceAccount;
        this.issuance = issuance;
        List<String> missing = new ArrayList<>();
        PkiLayout.AUTHORITIES.stream().filter(name -> !authorities.containsKey(name)).forEach(missing::add);
        PkiLayout.LEAVES.stream().filter(name -> !leaves.containsKey(name)).forEach(missing::add);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("PKI of cluster " + clusterName + " lacks entries " + missing);
        }
    }

    public String clusterName() {
        return clusterName;
    }

    /** The certificate of a CA or leaf entry, e.g. {@code ca} or {@code etcd/server}. */
    public X509Certificate certificate(String entry) {
        CertificateAuthority authority = authorities.get(entry);
        return authority != null ? authority.certificate() : credential(entry).certificate();
    }

    public String certificatePem(String entry) {
        return PemEncoding.certificate(certificate(entry));
    }

    /** PKCS#8 PEM of a CA's or leaf's private key. */
    public String privateKeyPem(String entry) {
        return PemEncoding.privateKey(credential(entry).privateKey());
    }

    /** The apiserver's keys for Secrets in etcd. */
    public EncryptionKeys encryptionKeys() {
        if (encryptionKeys == null) {
            throw new IllegalStateException("the PKI of cluster " + clusterName
                    + " was stored before encryption at rest; the cluster reconciler adds its keys");
        }
        return encryptionKeys;
    }

    /** This PKI, with a first encryption key if it was stored before encryption at rest. */
    public ClusterPki withEncryptionKeysIfMissing() {
        return encryptionKeys != null ? this
                : new ClusterPki(clusterName, authorities, leaves, serviceAccount, EncryptionKeys.generate(issuance.random()), issuance);
    }

    /** The same certificates and keys with other encryption keys, e.g. the next step of a rotation. */
    public ClusterPki withEncryptionKeys(EncryptionKeys keys) {
        return new ClusterPki(clusterName, authorities, leaves, serviceAccount, Objects.requireNonNull(keys, "keys"), issuance);
    }

    public String serviceAccountPublicKeyPem() {
        return PemEncoding.publicKey(serviceAccount.getPublic());
    }

    public String serviceAccountPrivateKeyPem() {
        return PemEncoding.privateKey(serviceAccount.getPrivate());
    }

    /**
     * The pki directory's contents: path relative to it ({@code ca.crt}, {@code etcd/server.key},
     * {@code sa.pub}, ...) to PEM text. Runtimes that mount Secrets use this instead of files.
     */
    public SortedMap<String, String> files() {
        SortedMap<String, String> files = new TreeMap<>();
        authorities.forEach((entry, authority) -> putPair(files, entry, authority.credential()));
        leaves.forEach((entry, credential) -> putPair(files, entry, credential));
        files.put(PkiLayout.keyFile(PkiLayout.SERVICE_ACCOUNT), serviceAccountPrivateKeyPem());
        files.put(PkiLayout.publicKeyFile(PkiLayout.SERVICE_ACCOUNT), serviceAccountPublicKeyPem());
        return files;
    }

    /**
     * Writes {@link #files()} below {@code pkiDir}: keys 0600, certificates 0644, each atomically
     * and only if its content differs, so repeating a reconcile step changes nothing on disk.
     *
     * @return the relative paths that were (re)written; empty when everything was up to date
     */
    public List<String> writeTo(Path pkiDir) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> file : files().entrySet()) {
            Path target = pkiDir.resolve(file.getKey());
            boolean secret = file.getKey().endsWith(".key");
            try {
                if (AtomicFiles.writeIfChanged(target, file.getValue().getBytes(StandardCharsets.US_ASCII),
                        secret ? AtomicFiles.PRIVATE : AtomicFiles.PUBLIC)) {
                    written.add(file.getKey());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + " of cluster " + clusterName, e);
            }
        }
        return written;
    }

    /** The stored form: certificates in clear, every private key and encryption key sealed with {@code key}. */
    public StoredPki toStored(MasterKey key) {
        Map<String, StoredPki.Entry> entries = new TreeMap<>();
        authorities.forEach((entry, authority) -> entries.put(entry, stored(key, entry, authority.credential())));
        leaves.forEach((entry, credential) -> entries.put(entry, stored(key, entry, credential)));
        entries.put(PkiLayout.SERVICE_ACCOUNT, new StoredPki.Entry(null, serviceAccountPublicKeyPem(),
                seal(key, PkiLayout.SERVICE_ACCOUNT, serviceAccount.getPrivate())));
        List<StoredPki.SealedKey> sealedKeys = encryptionKeys == null ? null : encryptionKeys.keys().stream()
                .map(k -> new StoredPki.SealedKey(k.name(), Base64.getEncoder().encodeToString(
                        key.seal(k.secret(), StoredPki.encryptionKeyAssociatedData(clusterName, k.name())))))
                .toList();
        return new StoredPki(StoredPki.FORMAT_VERSION, entries, sealedKeys);
    }

    /**
     * Restores a PKI stored by {@link #toStored}. Fails with {@link SealedDataException} when
     * {@code key} is not the key it was sealed with or the row belongs to another cluster, and
     * with {@link IllegalArgumentException} when entries are missing or do not fit together.
     */
    public static ClusterPki fromStored(StoredPki stored, MasterKey key, String clusterName) {
        return fromStored(stored, key, clusterName, Clock.systemUTC());
    }

    /** As {@link #fromStored(StoredPki, MasterKey, String)}, issuing later certificates by {@code clock}. */
    public static ClusterPki fromStored(StoredPki stored, MasterKey key, String clusterName, Clock clock) {
        Objects.requireNonNull(stored, "stored");
        if (stored.formatVersion() != StoredPki.FORMAT_VERSION) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + " has format "
                    + stored.formatVersion() + "; this version reads format " + StoredPki.FORMAT_VERSION);
        }
        Map<String, CertificateAuthority> authorities = new LinkedHashMap<>();
        for (String entry : PkiLayout.AUTHORITIES) {
            authorities.put(entry, new CertificateAuthority(restore(stored, key, clusterName, entry)));
        }
        Map<String, CertifiedKey> leaves = new LinkedHashMap<>();
        for (String entry : PkiLayout.LEAVES) {
            leaves.put(entry, restore(stored, key, clusterName, entry));
        }
        StoredPki.Entry sa = entry(stored, clusterName, PkiLayout.SERVICE_ACCOUNT);
        PublicKey saPublic;
        try {
            saPublic = PemEncoding.parsePublicKey(Objects.requireNonNullElse(sa.publicKey(), ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + ": entry sa has no valid public key", e);
        }
        PrivateKey saPrivate = open(key, clusterName, PkiLayout.SERVICE_ACCOUNT, sa);
        if (!KeyPairs.belongTogether(saPrivate, saPublic)) {
            throw new IllegalArgumentException("stored service-account keys of cluster " + clusterName + " do not form a pair");
        }
        ClusterPki pki = new ClusterPki(clusterName, authorities, leaves, new KeyPair(saPublic, saPrivate),
                openEncryptionKeys(stored, key, clusterName), new Issuance(clock, new SecureRandom()));
        pki.requireLeavesSignedByTheirCa();
        return pki;
    }

    /**
     * A client certificate signed by the cluster CA, e.g. for an admin kubeconfig: Kubernetes reads
     * {@code commonName} as the user and {@code organizations} as groups. Capped at the CA's expiry.
     */
    public IssuedCredential issueClient(String commonName, List<String> organizations, Duration lifetime) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("commonName must not be blank");
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
        }
        LeafProfile profile = LeafProfile.client("client " + commonName, PkiLayout.CA, commonName,
                Objects.requireNonNull(organizations, "organizations"));
        CertifiedKey credential = authorities.get(PkiLayout.CA).issue(profile, lifetime, issuance);
        return new IssuedCredential(credential.certificatePem(), credential.privateKeyPem(),
                credential.certificate().getSerialNumber(), credential.notAfter());
    }

    /**
     * A serving certificate signed by the cluster CA for a component beside the control plane that
     * devices reach (they trust only that CA), e.g. the tunnel server. Capped at the CA's expiry.
     */
    public IssuedCredential issueServer(String commonName, List<String> sans, Duration lifetime) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("commonName must not be blank");
        }
        if (sans == null || sans.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one name");
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
        }
        LeafProfile profile = new LeafProfile("server " + commonName, PkiLayout.CA, commonName, List.of(), true, false, sans);
        CertifiedKey credential = authorities.get(PkiLayout.CA).issue(profile, lifetime, issuance);
        return new IssuedCredential(credential.certificatePem(), credential.privateKeyPem(),
                credential.certificate().getSerialNumber(), credential.notAfter());
    }

    /** notAfter of every certificate (CAs and leaves) by entry name, sorted by name. */
    public Map<String, Instant> expiries() {
        Map<String, Instant> expiries = new TreeMap<>();
        authorities.forEach((entry, authority) -> expiries.put(entry, authority.credential().notAfter()));
        leaves.forEach((entry, credential) -> expiries.put(entry, credential.notAfter()));
        return Collections.unmodifiableMap(expiries);
    }

    public Instant earliestLeafExpiry() {
        return leaves.values().stream().map(CertifiedKey::notAfter).min(Instant::compareTo).orElseThrow();
    }

    /** The leaves whose notAfter is before {@code threshold}, in {@link PkiLayout#LEAVES} order. */
    public List<String> leavesDueBefore(Instant threshold) {
        return leaves.entrySet().stream()
                .filter(leaf -> leaf.getValue().notAfter().isBefore(threshold))
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Re-issues, with fresh keys and by the same CAs, every leaf that expires before
     * {@code threshold}, taking SANs and lifetime from {@code request}; other leaves and the CAs
     * stay as they are, so clients that trust the CAs need no change. Returns this instance when
     * nothing is due. A leaf cannot outlive its CA: near the CA's own expiry, rotate the CA instead.
     */
    public ClusterPki renewLeavesDueBefore(Instant threshold, ClusterPkiRequest request) {
        if (!clusterName.equals(request.clusterName())) {
            throw new IllegalArgumentException("request is for cluster " + request.clusterName() + ", not " + clusterName);
        }
        List<String> due = leavesDueBefore(threshold);
        if (due.isEmpty()) {
            return this;
        }
        Map<String, LeafProfile> profiles = LeafCertificates.profiles(request);
        Map<String, CertifiedKey> renewed = new LinkedHashMap<>(leaves);
        for (String entry : due) {
            LeafProfile profile = profiles.get(entry);
            renewed.put(entry, authorities.get(profile.issuer()).issue(profile, request.leafLifetime(), issuance));
        }
        return new ClusterPki(clusterName, authorities, renewed, serviceAccount, encryptionKeys, issuance);
    }

    @Override
    public String toString() {
        return "ClusterPki[" + clusterName + ", earliest leaf expiry " + earliestLeafExpiry() + "]";
    }

    private CertifiedKey credential(String entry) {
        CertificateAuthority authority = authorities.get(entry);
        if (authority != null) {
            return authority.credential();
        }
        CertifiedKey leaf = leaves.get(entry);
        if (leaf == null) {
            throw new IllegalArgumentException("no certificate entry '" + entry + "' in the PKI of cluster " + clusterName
                    + "; entries are " + PkiLayout.AUTHORITIES + " and " + PkiLayout.LEAVES);
        }
        return leaf;
    }

    /** A stored leaf issued by another CA (e.g. a half-restored backup) must not load silently. */
    private void requireLeavesSignedByTheirCa() {
        leaves.forEach((entry, leaf) -> {
            String issuer = LeafCertificates.issuerOf(entry);
            try {
                leaf.certificate().verify(authorities.get(issuer).publicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("stored certificate " + entry + " of cluster " + clusterName
                        + " is not signed by " + issuer, e);
            }
        });
    }

    private static void putPair(Map<String, String> files, String entry, CertifiedKey credential) {
        files.put(PkiLayout.certificateFile(entry), credential.certificatePem());
        files.put(PkiLayout.keyFile(entry), credential.privateKeyPem());
    }

    private StoredPki.Entry stored(MasterKey key, String entry, CertifiedKey credential) {
        return new StoredPki.Entry(credential.certificatePem(), null, seal(key, entry, credential.privateKey()));
    }

    private String seal(MasterKey key, String entry, PrivateKey privateKey) {
        byte[] sealed = key.seal(privateKey.getEncoded(), StoredPki.associatedData(clusterName, entry));
        return Base64.getEncoder().encodeToString(sealed);
    }

    private static CertifiedKey restore(StoredPki stored, MasterKey key, String clusterName, String entry) {
        StoredPki.Entry row = entry(stored, clusterName, entry);
        if (row.certificate() == null) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + ": entry " + entry + " has no certificate");
        }
        PrivateKey privateKey = open(key, clusterName, entry, row);
        X509Certificate certificate;
        try {
            certificate = PemEncoding.parseCertificate(row.certificate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + ": entry " + entry
                    + " has no valid certificate", e);
        }
        try {
            return new CertifiedKey(certificate, privateKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + ": entry " + entry
                    + " has a key that does not match its certificate", e);
        }
    }

    private static StoredPki.Entry entry(StoredPki stored, String clusterName, String entry) {
        StoredPki.Entry row = stored.entries().get(entry);
        if (row == null || row.sealedPrivateKey() == null) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + " lacks entry " + entry);
        }
        return row;
    }

    private static EncryptionKeys openEncryptionKeys(StoredPki stored, MasterKey key, String clusterName) {
        if (stored.encryptionKeys() == null) {
            return null;
        }
        List<EncryptionKeys.Key> keys = new ArrayList<>();
        for (StoredPki.SealedKey sealed : stored.encryptionKeys()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(Objects.requireNonNullElse(sealed.sealedSecret(), ""));
            } catch (IllegalArgumentException e) {
                throw new SealedDataException("stored PKI of cluster " + clusterName + ": sealed encryption key "
                        + sealed.name() + " is not base64", e);
            }
            keys.add(new EncryptionKeys.Key(sealed.name(),
                    key.open(raw, StoredPki.encryptionKeyAssociatedData(clusterName, sealed.name()))));
        }
        try {
            return EncryptionKeys.of(keys);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored PKI of cluster " + clusterName + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey open(MasterKey key, String clusterName, String entry, StoredPki.Entry row) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(row.sealedPrivateKey());
        } catch (IllegalArgumentException e) {
            throw new SealedDataException("stored PKI of cluster " + clusterName + ": sealed key of " + entry + " is not base64", e);
        }
        return KeyPairs.privateKey(key.open(sealed, StoredPki.associatedData(clusterName, entry)));
    }
}
