package io.edgeplane.seedmanager.tls;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.TestPki;
import io.edgeplane.testbed.device.TestNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded mode's two listeners, on a real address of this host other than loopback (the test network's, where
 * devices reach the seed): HTTPS there with a certificate from the generated seed CA, which verifies against the
 * CA file and the CA download and not against the JDK's CAs; plain HTTP refused there; plain HTTP on 127.0.0.1.
 */
class HttpsServingIT {
    private static final Pattern FINGERPRINT = Pattern.compile("sha256 fingerprint=([0-9A-F:]{95})");

    @TempDir
    Path dir;

    @Test
    void httpsOnTheExternalAddressWithTheSeedCaAndHttpOnlyOnLoopback() throws Exception {
        String host = TestNetwork.current().hostAddress();
        Path data = dir.resolve("data");
        Path seedFile = SeedManagerInstance.exampleSeed(data);
        Files.writeString(seedFile, Files.readString(seedFile).replace("externalAddress: 127.0.0.1", "externalAddress: " + host));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ServingCertificate.class);
        logger.addAppender(logged);
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of("edgeplane.https.bind", host))) {
            Path caFile = data.resolve("tls/ca.crt");
            X509Certificate ca = certificate(Files.readString(caFile));
            assertThat(Files.getPosixFilePermissions(data.resolve("tls/ca.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(data.resolve("tls/serving.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            String line = logged.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("seed CA")).findFirst()
                    .orElseThrow(() -> new AssertionError("no seed CA line logged: " + logged.list));
            Matcher fingerprint = FINGERPRINT.matcher(line);
            assertThat(fingerprint.find()).as(line).isTrue();
            assertThat(fingerprint.group(1)).as("the logged fingerprint is the CA file's").isEqualTo(ServingMaterial.fingerprint(ca));

            Reply download = seed.get(null, "/tls/ca.crt");
            assertThat(download.status()).as(download.toString()).isEqualTo(200);
            assertThat(download.contentType()).startsWith("application/x-pem-file");
            assertThat(download.body()).isEqualTo(Files.readString(caFile));

            String external = "https://" + host + ":" + seed.httpsPort();
            HttpResponse<String> health = send(pinned(ca), external + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            SSLSession session = health.sslSession().orElseThrow();
            X509Certificate served = (X509Certificate) session.getPeerCertificates()[0];
            assertThat(served.getSubjectAlternativeNames()).extracting(san -> san.get(1).toString()).contains(host, "127.0.0.1", "localhost");
            assertThat(send(pinned(ca), external + "/api/v1/projects").statusCode()).as("the API is there, behind its token").isEqualTo(401);

            assertThatThrownBy(() -> send(HttpClient.newHttpClient(), external + "/health")).as("the JDK's CAs do not vouch for it")
                    .isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> send(HttpClient.newHttpClient(), "http://" + host + ":" + seed.httpsPort() + "/health"))
                    .as("plain HTTP on the HTTPS port gets no HTTP answer").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> send(HttpClient.newHttpClient(), "http://" + host + ":" + seed.port() + "/health"))
                    .as("the plain HTTP listener is not on the external address").isInstanceOf(ConnectException.class);
            assertThat(send(HttpClient.newHttpClient(), seed.baseUrl() + "/health").statusCode()).as("plain HTTP on loopback").isEqualTo(200);
        } finally {
            logger.detachAppender(logged);
        }
        // A restart keeps the CA that devices and clients pinned.
        String before = Files.readString(data.resolve("tls/ca.crt"));
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of("edgeplane.https.bind", host))) {
            assertThat(seed.get(null, "/tls/ca.crt").body()).isEqualTo(before);
        }
    }

    @Test
    void aConfiguredCertificateIsServedAndAReplacedOneIsPickedUpWithoutRestart() throws Exception {
        String host = TestNetwork.current().hostAddress();
        TestPki.Credential ca = TestPki.authority("operator-ca");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        TestPki.Credential first = TestPki.leaf(ca, "seed-1", List.of(), List.of(host), true, false);
        Files.writeString(cert, first.certificatePem());
        Files.writeString(key, first.privateKeyPem());
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"), Map.of("edgeplane.https.bind", host,
                "edgeplane.tls.cert-file", cert.toString(), "edgeplane.tls.key-file", key.toString()))) {
            assertThat(Files.exists(dir.resolve("data/tls/ca.key"))).as("no seed CA is made").isFalse();
            assertThat(seed.get(null, "/tls/ca.crt").body()).as("the chain's last certificate is the CA to pin")
                    .isEqualTo(first.certificatePem());
            String external = "https://" + host + ":" + seed.httpsPort() + "/health";
            assertThat(servedSerial(pinned(ca.certificate()), external)).isEqualTo(first.certificate().getSerialNumber());

            TestPki.Credential second = TestPki.leaf(ca, "seed-2", List.of(), List.of(host), true, false);
            Files.writeString(key, second.privateKeyPem());
            Files.writeString(cert, second.certificatePem() + ca.certificatePem());
            assertThat(seed.context().getBean(ServingCertificate.class).check()).isTrue();
            // New connections get the new certificate (a fresh client: the old one may reuse its connection).
            assertThat(servedSerial(pinned(ca.certificate()), external)).isEqualTo(second.certificate().getSerialNumber());
            assertThat(seed.get(null, "/tls/ca.crt").body()).isEqualTo(ca.certificatePem());
        }
    }

    private static java.math.BigInteger servedSerial(HttpClient client, String url) throws Exception {
        HttpResponse<String> response = send(client, url);
        assertThat(response.statusCode()).isEqualTo(200);
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private static HttpResponse<String> send(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient pinned(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
