package io.edgeplane.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.edgeplane.testbed.device.HostCommand;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The official release downloads as the product fetches them (dl.k8s.io's {@code <version>/bin/linux/<arch>/<component>}
 * with a {@code .sha256} beside each, and etcd's GitHub release: a tarball and its {@code SHA256SUMS}),
 * served over HTTPS on loopback from the binaries the test bed built, with a CA of its own. The
 * product's download and checksum path then really runs, without internet. Downloads of binaries can
 * be held back, so that a test sees the preparation in progress.
 */
public final class ReleaseMirror implements AutoCloseable {
    private static final List<String> KUBERNETES = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler",
            "kubelet", "kubectl", "kube-proxy");

    private final HttpsServer server;
    private final Path dir;
    private final Path caFile;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile CountDownLatch held = new CountDownLatch(0);

    private ReleaseMirror(HttpsServer server, Path dir, Path caFile) {
        this.server = server;
        this.dir = dir;
        this.caFile = caFile;
    }

    /** Serves {@code binaries} (one platform, e.g. linux-amd64 of the pinned version) as its release. */
    public static ReleaseMirror start(KubernetesBinaries binaries) {
        try {
            Path dir = TestBedRun.current().newDir("release-mirror");
            String arch = binaries.dir().getFileName().toString().replace("linux-", "");
            ComponentVersions versions = binaries.versions();
            Path k8s = dir.resolve("k8s").resolve(versions.kubernetes()).resolve("bin/linux").resolve(arch);
            Files.createDirectories(k8s);
            for (String component : KUBERNETES) {
                Files.createSymbolicLink(k8s.resolve(component), binaries.binary(component));
                Files.writeString(k8s.resolve(component + ".sha256"), FileDigests.sha256(binaries.binary(component)) + "\n");
            }
            String etcdName = "etcd-" + versions.etcd() + "-linux-" + arch;
            Path etcd = dir.resolve("etcd").resolve(versions.etcd());
            Files.createDirectories(etcd.resolve(etcdName));
            Files.copy(binaries.binary("etcd"), etcd.resolve(etcdName).resolve("etcd"));
            HostCommand.check("tar", "-czf", etcd.resolve(etcdName + ".tar.gz").toString(), "-C", etcd.toString(), etcdName);
            Files.writeString(etcd.resolve("SHA256SUMS"), FileDigests.sha256(etcd.resolve(etcdName + ".tar.gz")) + "  " + etcdName + ".tar.gz\n");

            TestPki.Credential ca = TestPki.authority("edgeplane-testbed-release-mirror-ca");
            TestPki.Credential serving = TestPki.leaf(ca, "127.0.0.1", List.of(), List.of("127.0.0.1", "localhost"), true, false,
                    TestPki.newRsaKeyPair());
            Path caFile = dir.resolve("ca.crt");
            Files.writeString(caFile, ca.certificatePem());
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(sslContext(serving, ca)));
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "release-mirror");
                t.setDaemon(true);
                return t;
            }));
            ReleaseMirror mirror = new ReleaseMirror(server, dir, caFile);
            server.createContext("/", mirror::serve);
            server.start();
            TestBedRun.current().onClose("release mirror", mirror::close);
            return mirror;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code EDGEPLANE_BINARIES_RELEASE_URL} (fetch-binaries.sh's {@code EDGEPLANE_K8S_RELEASE_URL}) points at. */
    public String kubernetesUrl() {
        return base() + "/k8s";
    }

    /** What {@code EDGEPLANE_BINARIES_ETCD_RELEASE_URL} points at. */
    public String etcdUrl() {
        return base() + "/etcd";
    }

    /** The CA that signed the mirror's certificate (PEM file). */
    public Path caFile() {
        return caFile;
    }

    /** Binaries (not checksums) wait until {@link #release()}. */
    public void hold() {
        held = new CountDownLatch(1);
    }

    public void release() {
        held.countDown();
    }

    /** How often each path was asked for. */
    public Map<String, Integer> requests() {
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach((path, count) -> counts.put(path, count.get()));
        return counts;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Path file = dir.resolve(path.substring(1)).normalize();
        try (exchange) {
            if (!file.startsWith(dir) || !Files.isRegularFile(file) || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!path.endsWith(".sha256") && !path.endsWith("SHA256SUMS")) {
                awaitRelease();
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    private void awaitRelease() {
        try {
            held.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSLContext sslContext(TestPki.Credential serving, TestPki.Credential ca) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "mirror".toCharArray();
            keys.setKeyEntry("serving", serving.keys().getPrivate(), password,
                    new Certificate[] {serving.certificate(), ca.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the release mirror's TLS", e);
        }
    }
}
