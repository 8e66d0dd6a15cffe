package io.edgeplane.cli.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.edgeplane.cli.CliRun;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login against an HTTPS server whose CA no system trusts: refused until the context trusts that CA (file or pinned
 * fingerprint), and still refused when the name does not match: there is no way to switch verification off.
 */
class ServerTrustTest {

    @TempDir
    Path home;

    private HttpsServer server;
    private X509Certificate ca;
    private X509Certificate leaf;
    private Path caFile;

    @BeforeEach
    void startServer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair leafKeys = generator.generateKeyPair();
        ca = certificate("CN=test seed CA", caKeys, "CN=test seed CA", caKeys, true, null);
        leaf = certificate("CN=seed", leafKeys, "CN=test seed CA", caKeys, false, "localhost");
        caFile = home.resolve("ca.pem");
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(ca);
        }
        Files.writeString(caFile, pem.toString());

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("seed", leafKeys.getPrivate(), new char[0], new X509Certificate[]{leaf, ca});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/api/v1/projects", exchange -> {
            byte[] body = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, KeyPair issuerKeys, boolean isCa, String dnsName)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private String url(String host) {
        return "https://" + host + ":" + server.getAddress().getPort();
    }

    private CliRun login(String host, String... trust) {
        String[] args = new String[3 + trust.length];
        args[0] = "login";
        args[1] = url(host);
        args[2] = "--token-stdin";
        System.arraycopy(trust, 0, args, 3, trust.length);
        return CliRun.withStdin(Map.of("HOME", home.toString()), "a-token\n", args);
    }

    @Test
    void anUntrustedServerIsRefusedAndShowsWhatToVerify() {
        CliRun run = login("localhost");

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).contains("TLS with " + url("localhost") + " failed")
                .contains(Fingerprint.of(ca).toString()).contains(Fingerprint.of(leaf).toString());
        assertThat(Files.exists(home.resolve(".config/edgeplane/config.yaml"))).isFalse();
    }

    @Test
    void theContextsCaFileIsTrusted() throws Exception {
        CliRun run = login("localhost", "--certificate-authority", caFile.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(home.resolve(".config/edgeplane/config.yaml"))).contains("certificate-authority: " + caFile);
        assertThat(CliRun.run(Map.of("HOME", home.toString()), "projects", "list").exitCode()).isZero();
    }

    @Test
    void aPinnedFingerprintOfTheCaOrTheServerIsTrusted() {
        assertThat(login("localhost", "--certificate-fingerprint", Fingerprint.of(ca).toString()).exitCode()).isZero();
        assertThat(login("localhost", "--certificate-fingerprint", Fingerprint.of(leaf).hex().toUpperCase()).exitCode()).isZero();
        CliRun wrong = login("localhost", "--certificate-fingerprint", "sha256:" + "ab".repeat(32));
        assertThat(wrong.exitCode()).isEqualTo(5);
        assertThat(wrong.err()).contains("TLS with");
    }

    @Test
    void theHostNameIsCheckedEvenWithATrustedCa() {
        CliRun run = login("127.0.0.1", "--certificate-authority", caFile.toString());

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).contains("TLS with " + url("127.0.0.1") + " failed");
    }

    @Test
    void aCertificateOnlyAppliesToHttps() {
        CliRun run = CliRun.withStdin(Map.of("HOME", home.toString()), "t\n", "login", "http://localhost:1", "--token-stdin",
                "--certificate-authority", caFile.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("only applies to an https:// server");
    }
}
