package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A certificate with its private key. */
record CertifiedKey(X509Certificate certificate, PrivateKey privateKey) {
    CertifiedKey {
        if (!KeyPairs.belongTogether(privateKey, certificate.getPublicKey())) {
            throw new IllegalArgumentException("private key does not match certificate " + certificate.getSubjectX500Principal());
        }
    }

    Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    String certificatePem() {
        return PemEncoding.certificate(certificate);
    }

    String privateKeyPem() {
        return PemEncoding.privateKey(privateKey);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "CertifiedKey[" + certificate.getSubjectX500Principal() + ", serial " + certificate.getSerialNumber().toString(16)
                + ", notAfter " + notAfter() + "]";
    }
}
