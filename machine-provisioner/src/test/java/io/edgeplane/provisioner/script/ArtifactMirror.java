package io.edgeplane.provisioner.script;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.edgeplane.testbed.FileDigests;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestPki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The seed manager's artifact mirror as devices see it ({@code GET /artifacts/{version}/linux-{arch}/{file}}),
 * serving the kubelet (and the tunnel agent, kube-proxy and CoreDNS, where the test bed's binaries hold
 * them) from the test bed's binaries and the device agent over HTTPS with a CA of its own, which the rendered script
 * pins as the seed manager's would be; the rendered SHA-256 vouches for each file.
 */
final class ArtifactMirror implements AutoCloseable {
    static final String KUBELET = "kubelet";
    static final String AGENT = "edgeplane-device";
    static final String TUNNEL = "konnectivity-agent";
    static final String KUBE_PROXY = "kube-proxy";
    static final String COREDNS = "coredns";

    private final HttpsServer server;
    private final String caPem;
    private final String version;
    private final String platform;
    private final Map<String, Path> files;
    private final Map<String, String> sha256s;
    private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();

    private ArtifactMirror(HttpsServer server, String caPem, String version, String platform, Map<String, Path> files) {
        this.server = server;
        this.caPem = caPem;
        this.version = version;
        this.platform = platform;
        this.files = Map.copyOf(files);
        this.sha256s = this.files.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> FileDigests.sha256(e.getValue())));
        files.keySet().forEach(name -> downloads.put(name, new AtomicInteger()));
    }

    static ArtifactMirror start(String bindAddress, KubernetesBinaries binaries, Path agent, String arch) {
        try {
            TestPki.Credential ca = TestPki.authority("edgeplane-test-artifact-mirror-ca");
            TestPki.Credential serving = TestPki.leaf(ca, bindAddress, List.of(), List.of(bindAddress), true, false, TestPki.newKeyPair());
            HttpsServer server = HttpsServer.create(new InetSocketAddress(bindAddress, 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(sslContext(serving, ca)));
            Map<String, Path> files = new HashMap<>(Map.of(KUBELET, binaries.binary(KUBELET), AGENT, agent));
            for (String optional : List.of(TUNNEL, KUBE_PROXY, COREDNS)) {
                if (Files.isExecutable(binaries.binary(optional))) {
                    files.put(optional, binaries.binary(optional));
                }
            }
            ArtifactMirror mirror = new ArtifactMirror(server, ca.certificatePem(), binaries.versions().kubernetes(), "linux-" + arch, files);
            server.createContext("/artifacts/", mirror::serve);
            server.start();
            return mirror;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether it serves {@code file}: {@link #TUNNEL}, {@link #KUBE_PROXY} and {@link #COREDNS} only where the test bed's binaries hold them. */
    boolean serves(String file) {
        return files.containsKey(file);
    }

    /** Where a device downloads {@link #KUBELET}, {@link #AGENT} or {@link #TUNNEL}. */
    String url(String file) {
        InetSocketAddress address = server.getAddress();
        return "https://" + address.getHostString() + ":" + address.getPort() + path(file);
    }

    /** The CA that verifies the mirror, as the script pins it. */
    String caPem() {
        return caPem;
    }

    String sha256(String file) {
        return sha256s.get(file);
    }

    String version() {
        return version;
    }

    /** How many times {@code file} was downloaded. */
    int downloads(String file) {
        return downloads.get(file).get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String path(String file) {
        return "/artifacts/" + version + "/" + platform + "/" + file;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String file = files.keySet().stream().filter(f -> exchange.getRequestURI().getPath().equals(path(f)))
                    .findFirst().orElse(null);
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            downloads.get(file).incrementAndGet();
            exchange.getResponseHeaders().add("X-Checksum-Sha256", sha256s.get(file));
            exchange.sendResponseHeaders(200, Files.size(files.get(file)));
            try (InputStream in = Files.newInputStream(files.get(file)); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static SSLContext sslContext(TestPki.Credential serving, TestPki.Credential ca) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "mirror".toCharArray();
            keys.setKeyEntry("serving", serving.keys().getPrivate(), password, new Certificate[] {serving.certificate(), ca.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the artifact mirror's TLS", e);
        }
    }
}
