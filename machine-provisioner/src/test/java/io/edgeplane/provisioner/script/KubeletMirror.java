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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed manager's artifact mirror as devices see it ({@code GET /artifacts/{version}/linux-{arch}/{file}}),
 * serving the kubelet from the test bed's binaries over plain HTTP: the rendered SHA-256 vouches for it.
 */
final class KubeletMirror implements AutoCloseable {
    private final HttpServer server;
    private final String version;
    private final String platform;
    private final Path kubelet;
    private final String sha256;
    private final AtomicInteger downloads = new AtomicInteger();

    private KubeletMirror(HttpServer server, String version, String platform, Path kubelet, String sha256) {
        this.server = server;
        this.version = version;
        this.platform = platform;
        this.kubelet = kubelet;
        this.sha256 = sha256;
    }

    static KubeletMirror start(String bindAddress, KubernetesBinaries binaries, String arch) {
        try {
            Path kubelet = binaries.binary("kubelet");
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
            KubeletMirror mirror = new KubeletMirror(server, binaries.versions().kubernetes(), "linux-" + arch, kubelet,
                    FileDigests.sha256(kubelet));
            server.createContext("/artifacts/", mirror::serve);
            server.start();
            return mirror;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String kubeletUrl() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort() + "/artifacts/" + version + "/" + platform + "/kubelet";
    }

    String kubeletSha256() {
        return sha256;
    }

    String version() {
        return version;
    }

    /** How many times the kubelet was downloaded. */
    int downloads() {
        return downloads.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/artifacts/" + version + "/" + platform + "/kubelet")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            downloads.incrementAndGet();
            exchange.getResponseHeaders().add("X-Checksum-Sha256", sha256);
            exchange.sendResponseHeaders(200, Files.size(kubelet));
            try (InputStream in = Files.newInputStream(kubelet); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }
}
