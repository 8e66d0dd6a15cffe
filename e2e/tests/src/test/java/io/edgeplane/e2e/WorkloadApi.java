package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * Apps and workloads of one cluster through the admin API, as an operator's script drives them
 * (request bodies and views as in the issue-6 contract).
 */
final class WorkloadApi {
    /** Where Edgeplane puts workload objects in the tenant cluster, and their labels. */
    static final String NAMESPACE = "edgeplane-workloads";
    static final String WORKLOAD_LABEL = "edgeplane.io/workload";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String PREPULL_LABEL = "edgeplane.io/prepull";
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final SeedManagerInstance seed;
    private final String project;
    private final String cluster;

    WorkloadApi(SeedManagerInstance seed, String project, String cluster) {
        this.seed = seed;
        this.project = project;
        this.cluster = cluster;
    }

    String apps() {
        return "/api/v1/projects/" + project + "/apps";
    }

    String workloads() {
        return "/api/v1/projects/" + project + "/clusters/" + cluster + "/workloads";
    }

    String workload(String name) {
        return workloads() + "/" + name;
    }

    /**
     * Registers {@code name} {@code version}: one container "web" running {@code image} on port 8080,
     * published on the node's address at {@code hostPort} (none if null), with a greeting in its
     * configuration schema. Returns the reply (201 when new).
     */
    Reply registerApp(String name, String version, String image, Integer hostPort) {
        return seed.post(ADMIN_TOKEN, apps(), appBody(name, version, image, hostPort));
    }

    /** The body of {@link #registerApp}, for a seed manager reached otherwise (e.g. installed by its chart). */
    static String appBody(String name, String version, String image, Integer hostPort) {
        ObjectNode port = JSON.createObjectNode().put("name", "http").put("containerPort", 8080).put("protocol", "TCP");
        if (hostPort != null) {
            port.put("hostPort", hostPort);
        }
        ObjectNode container = JSON.createObjectNode().put("name", "web").put("image", image);
        container.set("env", JSON.createObjectNode().put("PORT", "8080"));
        container.set("ports", JSON.createArrayNode().add(port));
        container.set("resources", JSON.createObjectNode().put("cpuRequest", "10m").put("memoryLimit", "64Mi"));
        ObjectNode body = JSON.createObjectNode().put("name", name).put("version", version).put("title", "Hello " + version)
                .put("description", "answers GET / with its host name");
        body.set("containers", JSON.createArrayNode().add(container));
        body.set("inputs", JSON.createArrayNode().add(JSON.createObjectNode().put("name", "speed").put("dataType", "number")));
        body.set("outputs", JSON.createArrayNode());
        body.set("defaultConfiguration", JSON.createObjectNode().put("greeting", "hello"));
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.set("properties", JSON.createObjectNode().set("greeting", JSON.createObjectNode().put("type", "string")));
        body.set("configurationSchema", schema);
        return body.toString();
    }

    /**
     * {@code POST .../workloads}: deploys (or updates) {@code name} from {@code app} {@code version} on
     * {@code nodes}, with {@code greeting} as configuration and as the GREETING variable of every container.
     */
    Reply deploy(String name, String app, String version, List<String> nodes, String greeting, boolean staged,
                 boolean instantlyApply) {
        return seed.post(ADMIN_TOKEN, workloads(), deployBody(name, app, version, nodes, greeting, staged, instantlyApply));
    }

    /** The body of {@link #deploy}, for a seed manager reached otherwise. */
    static String deployBody(String name, String app, String version, List<String> nodes, String greeting, boolean staged,
                             boolean instantlyApply) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("title", name).put("app", app).put("version", version);
        ArrayNode nodeNames = body.putArray("nodes");
        nodes.forEach(nodeNames::add);
        body.set("configuration", JSON.createObjectNode().put("greeting", greeting));
        body.set("env", JSON.createObjectNode().put("GREETING", greeting));
        body.put("staged", staged).put("instantlyApply", instantlyApply);
        return body.toString();
    }

    /** {@code POST .../workloads/{name}/{operation}} for apply, start and stop. */
    Reply operate(String name, String operation) {
        return seed.post(ADMIN_TOKEN, workload(name) + "/" + operation, "");
    }

    Reply undeploy(String name) {
        return seed.delete(ADMIN_TOKEN, workload(name));
    }

    Reply undeployStaged(String name) {
        return seed.delete(ADMIN_TOKEN, workload(name) + "?staged=true");
    }

    JsonNode get(String name) {
        Reply reply = seed.get(ADMIN_TOKEN, workload(name));
        if (reply.status() != 200) {
            throw new AssertionError("GET " + workload(name) + ": " + reply);
        }
        return reply.json();
    }

    /** Polls the workload every 100 ms until {@code condition} holds; fails with the last view after {@code timeout}. */
    JsonNode await(String name, String what, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(name);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("workload " + name + " never " + what + " within " + timeout.toSeconds() + " s: " + last);
    }

    JsonNode awaitState(String name, String state, Duration timeout) throws InterruptedException {
        return await(name, "had state " + state, w -> state.equals(w.path("state").asText()), timeout);
    }

    /**
     * Polls every 100 ms until the staged version's state is {@code until} and returns the distinct
     * staged states seen on the way, in order (e.g. received, downloading, ready).
     */
    List<String> stagedStatesUntil(String name, String until, Duration timeout) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        await(name, "had a staged version in state " + until, w -> {
            String state = w.path("staged").path("state").asText("");
            if (!state.isEmpty() && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state))) {
                seen.add(state);
            }
            if (state.equals("failed")) {
                throw new AssertionError("staged version of " + name + " failed: " + w);
            }
            return state.equals(until);
        }, timeout);
        return seen;
    }

    void awaitGone(String name, Duration timeout) throws InterruptedException {
        Clusters.awaitGone(seed, workload(name), timeout);
    }

    /** Downloads {@code GET path} (e.g. a bundle) to {@code target}; returns the response for its headers. */
    HttpResponse<Path> download(String path, Path target) {
        int port = seed.port();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofMinutes(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofFile(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET url} from this JVM (outside every device), or null if nothing answers 200 within 3 s. */
    static String httpGetFromHost(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException notAnswering) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> workloadSelector(String name) {
        return Map.of(WORKLOAD_LABEL, name);
    }
}
