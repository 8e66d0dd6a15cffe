package io.edgeplane.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;

/** A tenant cluster as its admin sees it, through a kubeconfig the seed manager handed out. */
final class TenantClient {
    private TenantClient() {
    }

    static KubernetesClient of(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        config.setClientKeyAlgo("EC");   // the seed manager issues EC keys; Fabric8 assumes RSA
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** HTTP status of {@code GET /api} with a bearer token, TLS verified against the kubeconfig's CA. */
    static int statusWithToken(String endpoint, Path kubeconfig, String token) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(config.getCaCertData()))));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        // HTTP/1.1: the apiserver may answer a burst of HTTP/2 requests with GOAWAY.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create(endpoint + "/api")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).statusCode();
    }
}
