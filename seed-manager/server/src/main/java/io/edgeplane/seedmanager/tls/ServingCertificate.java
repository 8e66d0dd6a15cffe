package io.edgeplane.seedmanager.tls;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.ssl.CertificateProvider;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The certificate of the HTTPS listener ({@code key-name: edgeplane} in application.yml): the operator's PEM files
 * when configured, otherwise one issued by the seed CA for the seed's external address. A new certificate (files
 * replaced, renewal due, externalAddress changed) is handed to the listener without a restart; connections
 * already open keep the old one.
 */
@Singleton
@Named(ServingCertificate.NAME)
public class ServingCertificate implements CertificateProvider {
    public static final String NAME = "edgeplane";
    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificate.class);

    private final TlsSettings settings;
    private final HttpsSettings https;
    private final SeedRegistry seed;
    private final Clock clock;
    private final SeedCa ca;
    private final String mirrorHost;
    private final Sinks.Many<KeyStore> keyStores = Sinks.many().replay().latest();
    private volatile ServingMaterial current;
    private String filesDigest;
    private ScheduledExecutorService checker;

    /**
     * @param mirrorUrl where devices reach this listener when not at the seed's externalAddress; its host is named in
     *                  the seed CA's serving certificate too
     */
    public ServingCertificate(TlsSettings settings, HttpsSettings https, SeedRegistry seed, EdgeplaneConfig config,
                              @Value("${edgeplane.machines.mirror-url:}") @Nullable String mirrorUrl) {
        this.settings = settings;
        this.mirrorHost = hostOf(mirrorUrl);
        this.https = https;
        this.seed = seed;
        this.clock = Clock.systemUTC();
        if (settings.configuredCertificate()) {
            this.ca = null;
            this.filesDigest = digest();
            this.current = ConfiguredCertificate.load(settings);
            LOG.info("https certificate={} ca sha256 fingerprint={} (from EDGEPLANE_TLS_CERT_FILE)", settings.certFile(), current.caFingerprint());
        } else {
            this.ca = SeedCa.loadOrCreate(config.ensureDataDir().resolve("tls"), clock.instant());
            List<String> names = names();
            this.current = ca.stored().filter(stored -> !SeedCa.renewalDue(stored, names, clock.instant()))
                    .orElseGet(() -> ca.issue(names, clock.instant()));
            LOG.info("https seed CA={} sha256 fingerprint={} serving names={} until {}", ca.caFile(), current.caFingerprint(), names,
                    current.notAfter());
        }
        keyStores.tryEmitNext(current.keyStore());
    }

    @Override
    public Publisher<KeyStore> getKeyStore() {
        return keyStores.asFlux();
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** The CA certificate(s) that verify the listener, PEM: what devices and clients pin. */
    public String caPem() {
        return current.caPem();
    }

    /** The CA's SHA-256 fingerprint, colon-separated uppercase hex (as openssl prints it). */
    public String caFingerprint() {
        return current.caFingerprint();
    }

    /** The seed CA's certificate file, or null when the operator supplies the certificate. */
    public Path seedCaFile() {
        return ca == null ? null : ca.caFile();
    }

    @EventListener
    synchronized void onStartup(StartupEvent event) {
        if (checker != null) {
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "https-certificate");
            thread.setDaemon(true);
            return thread;
        });
        long millis = settings.checkInterval().toMillis();
        checker.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    synchronized void close() {
        if (checker != null) {
            checker.shutdownNow();
            checker = null;
        }
    }

    /** Reloads changed files, or renews the seed CA's certificate when due; what the checker runs, callable by tests. */
    synchronized boolean check() {
        ServingMaterial next;
        if (ca == null) {
            String digest = digest();
            if (digest.equals(filesDigest)) {
                return false;
            }
            next = ConfiguredCertificate.load(settings);
            filesDigest = digest;
            LOG.info("https certificate={} reloaded: until {}, ca sha256 fingerprint={}", settings.certFile(), next.notAfter(), next.caFingerprint());
        } else {
            List<String> names = names();
            if (!SeedCa.renewalDue(current, names, clock.instant())) {
                return false;
            }
            next = ca.issue(names, clock.instant());
            LOG.info("https serving certificate renewed: names={} until {}", names, next.notAfter());
        }
        current = next;
        keyStores.tryEmitNext(next.keyStore());
        return true;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (InvalidConfigurationException e) {
            // A half-replaced Secret is normal for a moment; keep serving the certificate in use until the files agree.
            LOG.warn("https certificate not reloaded, still serving the previous one: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("https certificate check failed, still serving the previous one", e);
        }
    }

    private String digest() {
        try {
            return ConfiguredCertificate.digest(settings);
        } catch (IOException e) {
            throw new InvalidConfigurationException("EDGEPLANE_TLS_CERT_FILE/EDGEPLANE_TLS_KEY_FILE cannot be read: " + e.getMessage());
        }
    }

    private static String hostOf(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            String host = URI.create(url.strip()).getHost();
            return host == null ? null : host.replaceAll("^\\[|\\]$", "");
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("EDGEPLANE_MACHINES_MIRROR_URL must be a URL such as https://seed.example.com:8443, got '"
                    + url + "'");
        }
    }

    /** The names devices and clients reach the listener by; the first is the seed's external address. */
    private List<String> names() {
        Set<String> names = new LinkedHashSet<>();
        names.add(seed.current().externalAddress());
        if (mirrorHost != null) {
            names.add(mirrorHost);
        }
        if (!https.bind().equals("0.0.0.0") && !https.bind().equals("::")) {
            names.add(https.bind());
        }
        names.addAll(settings.subjectAltNames());
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            // No resolvable host name: the certificate names the addresses only.
        }
        names.add("localhost");
        names.add("127.0.0.1");
        return new ArrayList<>(names);
    }
}
