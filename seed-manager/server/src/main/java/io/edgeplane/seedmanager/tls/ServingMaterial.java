package io.edgeplane.seedmanager.tls;

import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the HTTPS listener serves and what clients pin: the serving certificate chain with its key, and the CA
 * certificates that verify it.
 *
 * @param chain the serving certificate first, then any intermediates
 * @param key   the serving certificate's private key
 * @param cas   the certificates devices and clients trust for this listener
 */
record ServingMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> cas) {
    static final String ALIAS = "edgeplane";

    ServingMaterial {
        chain = List.copyOf(chain);
        cas = List.copyOf(cas);
        if (chain.isEmpty() || cas.isEmpty()) {
            throw new IllegalArgumentException("a serving chain and at least one CA certificate are needed");
        }
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The CA certificates as PEM, as the CA download and devices' scripts carry them. */
    String caPem() {
        return cas.stream().map(PemEncoding::certificate).collect(Collectors.joining());
    }

    /** The first CA's SHA-256 fingerprint as {@code openssl x509 -noout -fingerprint -sha256} prints it. */
    String caFingerprint() {
        return fingerprint(cas.get(0));
    }

    /** A PKCS#12 key store with the one entry the listener serves; an empty password, as it never leaves memory. */
    KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, new char[0], chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the HTTPS key store", e);
        }
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return "ServingMaterial[" + leaf().getSubjectX500Principal() + ", notAfter " + notAfter() + ", ca "
                + cas.get(0).getSubjectX500Principal().getName().toLowerCase(Locale.ROOT) + "]";
    }
}
