package io.edgeplane.imagebase;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The trust stores that {@code update-ca-certificates} and {@code ca-certificates-java} would
 * generate at install time: the PEM bundle curl reads and the JRE's {@code cacerts}, both from the
 * Mozilla certificates the ca-certificates package ships.
 */
final class CertificateStores {

    static final String MOZILLA = "usr/share/ca-certificates/mozilla";
    static final String BUNDLE = "etc/ssl/certs/ca-certificates.crt";
    static final String CACERTS = "etc/ssl/certs/java/cacerts";
    /** The JRE's well-known default; the store has no integrity MAC, so any password opens it. */
    private static final char[] PASSWORD = "changeit".toCharArray();

    private CertificateStores() {
    }

    static void write(RootFs tree) throws IOException, GeneralSecurityException {
        List<String> certs = tree.filesIn(MOZILLA).stream().filter(p -> p.endsWith(".crt")).toList();
        if (certs.isEmpty()) {
            throw new IOException("no certificates under /" + MOZILLA + ": is ca-certificates in the package list?");
        }
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (String path : certs) {
            byte[] pem = Files.readAllBytes(((RootFs.RegularFile) tree.get(path).orElseThrow()).content());
            bundle.write(pem);
            if (pem.length > 0 && pem[pem.length - 1] != '\n') {
                bundle.write('\n');
            }
            X509Certificate cert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(pem));
            String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".crt".length());
            // The alias ca-certificates-java gives: "debian:" and the file name.
            store.setCertificateEntry("debian:" + name.toLowerCase(java.util.Locale.ROOT) + ".pem", cert);
        }
        tree.addFile(BUNDLE, 0644, bundle.toByteArray());
        tree.addFile(CACERTS, 0644, pkcs12(store));
    }

    /**
     * The store's bytes without random salts (no certificate encryption, no MAC: it holds public
     * certificates only, as the JDK's own cacerts), so the same certificates give the same file.
     */
    static byte[] pkcs12(KeyStore store) throws IOException, GeneralSecurityException {
        String[] keys = {"keystore.pkcs12.certProtectionAlgorithm", "keystore.pkcs12.macAlgorithm"};
        String[] saved = new String[keys.length];
        synchronized (System.class) {
            try {
                for (int i = 0; i < keys.length; i++) {
                    saved[i] = System.setProperty(keys[i], "NONE");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                store.store(out, PASSWORD);
                return out.toByteArray();
            } finally {
                for (int i = 0; i < keys.length; i++) {
                    if (saved[i] == null) {
                        System.clearProperty(keys[i]);
                    } else {
                        System.setProperty(keys[i], saved[i]);
                    }
                }
            }
        }
    }

    static KeyStore load(InputStream in) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, PASSWORD);
        return store;
    }
}
