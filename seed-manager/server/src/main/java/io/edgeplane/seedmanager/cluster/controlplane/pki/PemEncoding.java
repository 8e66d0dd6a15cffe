package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * PEM text for certificates and keys. Private keys are always PKCS#8 ("PRIVATE KEY"): Go
 * components accept it and Fabric8 rejects SEC1 ("EC PRIVATE KEY"). Output is byte-for-byte
 * deterministic ('\n', 64-column lines) so rewriting unchanged files can be skipped.
 */
public final class PemEncoding {
    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String PUBLIC_KEY = "PUBLIC KEY";

    private PemEncoding() {
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key is " + key.getFormat() + ", not PKCS#8");
        }
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    public static String publicKey(PublicKey key) {
        return encode(PUBLIC_KEY, key.getEncoded());
    }

    public static X509Certificate parseCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(decode(CERTIFICATE, pem)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a valid X.509 certificate", e);
        }
    }

    public static PrivateKey parsePrivateKey(String pem) {
        return KeyPairs.privateKey(decode(PRIVATE_KEY, pem));
    }

    public static PublicKey parsePublicKey(String pem) {
        return KeyPairs.publicKey(decode(PUBLIC_KEY, pem));
    }

    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The DER of the first block of {@code type}; anything else in the text is ignored. */
    static byte[] decode(String type, String pem) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int start = pem == null ? -1 : pem.indexOf(begin);
        int stop = start < 0 ? -1 : pem.indexOf(end, start);
        if (stop < 0) {
            throw new IllegalArgumentException("no " + type + " PEM block found");
        }
        String body = pem.substring(start + begin.length(), stop);
        try {
            return Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + type + " PEM block", e);
        }
    }
}
