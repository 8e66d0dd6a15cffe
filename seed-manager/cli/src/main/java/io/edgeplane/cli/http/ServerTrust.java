package io.edgeplane.cli.http;

import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which server certificates the CLI accepts: the system's CAs, a CA file of the context, or the one certificate
 * whose fingerprint the context pins. The chain is always verified up to what is trusted and the host name is
 * always checked (the JDK's HTTP client does that); there is no way to switch verification off.
 */
public final class ServerTrust {

    private final TrustManager trustManager;
    private final AtomicReference<X509Certificate[]> presented = new AtomicReference<>();

    private ServerTrust(X509ExtendedTrustManager delegate) {
        this.trustManager = new Recording(delegate, presented);
    }

    public static ServerTrust system() {
        return new ServerTrust(trustManagerFor(null));
    }

    public static ServerTrust certificateAuthority(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CliFailure(ExitCode.USAGE, "no PEM certificate in " + pemFile);
            }
            return new ServerTrust(trustManagerFor(keyStore(certificates)));
        } catch (IOException | CertificateException e) {
            throw new CliFailure(ExitCode.USAGE, "cannot read the certificate authority " + pemFile + ": " + e.getMessage(), e);
        }
    }

    public static ServerTrust pinned(Fingerprint pin) {
        return new ServerTrust(new Pinned(pin));
    }

    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** The chain the server showed in the last handshake, so a refusal can say which certificate to pin or trust. */
    public List<X509Certificate> lastPresentedChain() {
        X509Certificate[] chain = presented.get();
        return chain == null ? List.of() : Arrays.asList(chain);
    }

    private static KeyStore keyStore(Collection<? extends Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    private static X509ExtendedTrustManager trustManagerFor(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509ExtendedTrustManager.class::isInstance)
                    .map(X509ExtendedTrustManager.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no X.509 trust manager in this JVM"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }

    /** Trusts the chain only up to the certificate with the pinned fingerprint, verified as a trust anchor would be. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final Fingerprint pin;

        Pinned(Fingerprint pin) {
            this.pin = pin;
        }

        private X509ExtendedTrustManager anchoredAt(X509Certificate[] chain) throws CertificateException {
            Optional<X509Certificate> pinned = Arrays.stream(chain).filter(c -> Fingerprint.of(c).equals(pin)).findFirst();
            if (pinned.isEmpty()) {
                throw new CertificateException("no certificate in the server's chain has the pinned fingerprint " + pin);
            }
            return trustManagerFor(keyStore(List.of(pinned.get())));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            anchoredAt(chain).checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            anchoredAt(chain).checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            anchoredAt(chain).checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the CLI does not accept client connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the CLI does not accept client connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the CLI does not accept client connections");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static final class Recording extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final AtomicReference<X509Certificate[]> presented;

        Recording(X509ExtendedTrustManager delegate, AtomicReference<X509Certificate[]> presented) {
            this.delegate = delegate;
            this.presented = presented;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            presented.set(chain.clone());
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            presented.set(chain.clone());
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            presented.set(chain.clone());
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
