package io.edgeplane.provisioner.script;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeplane.testbed.FileDigests;
import io.edgeplane.testbed.KubernetesBinaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The seed manager's artifact mirror as devices see it ({@code GET /artifacts/{version}/linux-{arch}/{file}}),
 * serving the kubelet (and the tunnel agent, kube-proxy and CoreDNS, where the test bed's binaries hold
 * them) from the test bed's binaries and the device agent over plain HTTP: the rendered SHA-256 vouches for each.
 */
final class ArtifactMirror implements AutoCloseable {
    static final String KUBELET = "kubelet";
    static final String AGENT = "edgeplane-device";
    static final String TUNNEL = "konnectivity-agent";
    static final String KUBE_PROXY = "kube-proxy";
    static final String COREDNS = "coredns";

    private final HttpServer server;
    private final String version;
    private final String platform;
    private final Map<String, Path> files;
    private final Map<String, String> sha256s;
    private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();

    private ArtifactMirror(HttpServer server, String version, String platform, Map<String, Path> files) {
        this.server = server;
        this.version = version;
        this.platform = platform;
        this.files = Map.copyOf(files);
        this.sha256s = this.files.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> FileDigests.sha256(e.getValue())));
        files.keySet().forEach(name -> downloads.put(name, new AtomicInteger()));
    }

    static ArtifactMirror start(String bindAddress, KubernetesBinaries binaries, Path agent, String arch) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
            Map<String, Path> files = new HashMap<>(Map.of(KUBELET, binaries.binary(KUBELET), AGENT, agent));
            for (String optional : List.of(TUNNEL, KUBE_PROXY, COREDNS)) {
                if (Files.isExecutable(binaries.binary(optional))) {
                    files.put(optional, binaries.binary(optional));
                }
            }
            ArtifactMirror mirror = new ArtifactMirror(server, binaries.versions().kubernetes(), "linux-" + arch, files);
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
        return "http://" + address.getHostString() + ":" + address.getPort() + path(file);
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
}
