package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A client certificate with its key, e.g. for an admin kubeconfig. The serial identifies it for
 * revocation; the key is handed out once and never stored.
 */
public record IssuedCredential(String certificatePem, String privateKeyPem, BigInteger serial, Instant notAfter) {

    /** The serial as openssl and kubectl print it (lower-case hex). */
    public String serialHex() {
        return serial.toString(16);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "IssuedCredential[serial=" + serialHex() + ", notAfter=" + notAfter + "]";
    }
}
