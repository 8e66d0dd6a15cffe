package io.edgeplane.seedmanager.cluster;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

/**
 * Asks a tenant apiserver whether it is ready, over TLS verified against that cluster's own CA and
 * authenticated with a client certificate. Readiness is judged at the endpoint devices will use.
 */
public final class ApiServerProbe {
    private ApiServerProbe() {
    }

    /** Null when ready, else why not. */
    public static String notReadyReason(String endpoint, String caPem, String clientCertPem, String clientKeyPem) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(sslContext(caPem, clientCertPem, clientKeyPem))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(endpoint + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? null : "readyz answered " + response.statusCode();
        } catch (ConnectException e) {
            return "apiserver at " + endpoint + " refuses connections (not listening yet?)";
        } catch (IOException e) {
            return "apiserver at " + endpoint + " unreachable: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (GeneralSecurityException e) {
            return "bad credentials: " + e.getMessage();
        }
    }

    /**
     * The body of a GET of {@code path} (e.g. /metrics, which needs an admin client certificate).
     *
     * @throws IOException when unreachable or not answered with 200
     */
    public static String read(String endpoint, String path, String caPem, String clientCertPem, String clientKeyPem) throws IOException {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(sslContext(caPem, clientCertPem, clientKeyPem))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(endpoint + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(path + " of the apiserver at " + endpoint + " answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("bad credentials: " + e.getMessage(), e);
        }
    }

    static SSLContext sslContext(String caPem, String certPem, String keyPem) throws GeneralSecurityException {
        CertificateFactory certs = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
            trust.setCertificateEntry("ca", certs.generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            Certificate cert = certs.generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
            keys.setKeyEntry("client", privateKey(keyPem, cert.getPublicKey().getAlgorithm()), new char[0], new Certificate[] {cert});
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static PrivateKey privateKey(String pkcs8Pem, String algorithm) throws GeneralSecurityException {
        String base64 = pkcs8Pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
