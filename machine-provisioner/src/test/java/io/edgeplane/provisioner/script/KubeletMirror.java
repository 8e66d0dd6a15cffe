package io.edgeplane.provisioner.script;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeplane.testbed.KubernetesBinaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
            KubeletMirror mirror = new KubeletMirror(server, binaries.versions().kubernetes(), "linux-" + arch, kubelet, sha256(kubelet));
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

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
