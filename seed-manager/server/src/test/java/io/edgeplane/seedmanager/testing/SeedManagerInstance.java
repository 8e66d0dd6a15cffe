package io.edgeplane.seedmanager.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.persistence.EmbeddedPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real seed manager in this JVM: embedded PostgreSQL in {@code dataDir}, the shipped example
 * seed, free HTTP (loopback) and HTTPS ports (and a random pod network relay port), and a plain HTTP client that speaks
 * to its loopback listener like an operator's curl on the seed's host.
 * Kubernetes binaries come only from the configured directory (nothing is downloaded or built in
 * these tests); a test that wants the whole preparation sets {@code edgeplane.binaries.source}.
 */
public final class SeedManagerInstance implements AutoCloseable {
    public static final String ADMIN_TOKEN = "it-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final EmbeddedServer server;
    private final int port;
    private final int httpsPort;

    private SeedManagerInstance(EmbeddedServer server, int port, int httpsPort) {
        this.server = server;
        this.port = port;
        this.httpsPort = httpsPort;
    }

    public static SeedManagerInstance start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static SeedManagerInstance start(Path dataDir, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        // Fixed, free ports rather than random ones: with two listeners EmbeddedServer.getPort() names either.
        props.put("micronaut.server.port", freePort());
        props.put("edgeplane.https.port", freePort());
        props.put("edgeplane.pod-network.port", 0);        // several instances at once, as for the HTTP port
        props.put("edgeplane.data-dir", dataDir.toString());
        props.put("edgeplane.admin-token", ADMIN_TOKEN);
        props.put("edgeplane.seed-file", exampleSeed(dataDir).toString());
        props.put("edgeplane.binaries.source", "directory");
        props.putAll(extra);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
        return new SeedManagerInstance(server, Integer.parseInt(props.get("micronaut.server.port").toString()),
                Integer.parseInt(props.get("edgeplane.https.port").toString()));
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plain HTTP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The HTTPS port on the seed's other addresses. */
    public int httpsPort() {
        return httpsPort;
    }

    /** {@code http://127.0.0.1:<port>}, the loopback listener. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Settings of a pods-runtime replica whose seed cluster answers nowhere: for tests of the API and
     * the database that several replicas share, where no control plane has to run.
     */
    public static Map<String, Object> podsRuntimeWithoutSeedCluster(Path dir) {
        Path kubeconfig = dir.resolve("unreachable-seed-cluster.kubeconfig");
        try {
            Files.createDirectories(dir);
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
                    users: [{name: none, user: {token: none}}]
                    contexts: [{name: none, context: {cluster: none, user: none}}]
                    current-context: none
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("edgeplane.runtime", "pods");
        props.put("edgeplane.pods-runtime.kubeconfig", kubeconfig.toString());
        for (String component : List.of("etcd", "kube-apiserver", "konnectivity-server", "kube-controller-manager", "kube-scheduler")) {
            props.put("edgeplane.pods-runtime.images." + component, "registry.invalid/" + component + ":{version}");
        }
        return props;
    }

    /** {@code settings} for another seed manager on {@code owner}'s embedded database (a replica). */
    public static Map<String, Object> onDatabaseOf(SeedManagerInstance owner, Map<String, Object> settings) {
        EmbeddedPostgres db = owner.context().getBean(EmbeddedPostgres.class);
        Map<String, Object> props = new HashMap<>(settings);
        props.put("datasources.default.url", db.start());
        props.put("datasources.default.username", db.username());
        props.put("datasources.default.password", db.password());
        return props;
    }

    /** A copy of the shipped datacenters/seed.yaml beside the data dir, so tests may edit it. */
    public static Path exampleSeed(Path dataDir) {
        Path seed = dataDir.resolveSibling(dataDir.getFileName() + "-seed.yaml");
        if (!Files.exists(seed)) {
            try (InputStream in = SeedManagerInstance.class.getClassLoader().getResourceAsStream("edgeplane/datacenters/seed.yaml")) {
                Files.copy(in, seed, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seed;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    /** A plain connection to the seed manager's database, outside its transaction management. */
    public Connection jdbc() throws SQLException {
        EmbeddedPostgres db = context().getBean(EmbeddedPostgres.class);
        return DriverManager.getConnection(db.start(), db.username(), db.password());
    }

    public Reply get(String token, String path) {
        return send(token, "GET", path, null);
    }

    public Reply post(String token, String path, String json) {
        return send(token, "POST", path, json);
    }

    public Reply delete(String token, String path) {
        return send(token, "DELETE", path, null);
    }

    public Reply send(String token, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    /** An HTTP answer; {@link #json()} parses the body. */
    public record Reply(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
