package io.edgeplane.seedmanager.tls;

import io.edgeplane.seedmanager.cluster.controlplane.pki.KeyPairs;
import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate the operator supplies as PEM files (in the Helm chart, a mounted Secret). Read again when the
 * files change; {@link #digest} tells whether they did.
 */
final class ConfiguredCertificate {
    private ConfiguredCertificate() {
    }

    /** A hash of the files' bytes, to notice a replaced Secret without parsing it every time. */
    static String digest(TlsSettings settings) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files(settings)) {
                sha.update(Files.readAllBytes(file));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The chain, key and CA from the files.
     *
     * @throws InvalidConfigurationException naming the file and what is wrong with it
     */
    static ServingMaterial load(TlsSettings settings) {
        List<X509Certificate> chain = certificates(settings.certFile(), "EDGEPLANE_TLS_CERT_FILE");
        PrivateKey key = privateKey(settings.keyFile());
        if (!KeyPairs.belongTogether(key, chain.get(0).getPublicKey())) {
            throw new InvalidConfigurationException("EDGEPLANE_TLS_KEY_FILE " + settings.keyFile()
                    + " is not the key of the first certificate in EDGEPLANE_TLS_CERT_FILE " + settings.certFile());
        }
        List<X509Certificate> cas = settings.caFile() == null ? List.of(chain.get(chain.size() - 1))
                : certificates(settings.caFile(), "EDGEPLANE_TLS_CA_FILE");
        return new ServingMaterial(chain, key, cas);
    }

    private static List<Path> files(TlsSettings settings) {
        return settings.caFile() == null ? List.of(settings.certFile(), settings.keyFile())
                : List.of(settings.certFile(), settings.keyFile(), settings.caFile());
    }

    private static List<X509Certificate> certificates(Path file, String variable) {
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new InvalidConfigurationException(variable + " " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new InvalidConfigurationException(variable + " " + file + " cannot be read: " + e.getMessage());
        } catch (CertificateException e) {
            throw new InvalidConfigurationException(variable + " " + file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new InvalidConfigurationException("EDGEPLANE_TLS_KEY_FILE " + file
                    + " holds no unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        } catch (IOException e) {
            throw new InvalidConfigurationException("EDGEPLANE_TLS_KEY_FILE " + file + " cannot be read: " + e.getMessage());
        }
    }
}
