package io.edgeplane.seedmanager.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster API's rules, against a seed manager whose binaries directory is empty: so clusters
 * never come up, which is exactly the case that must end in Failed with a reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterApiIT {
    private static final String CLUSTERS = "/api/v1/projects/acme/clusters";

    @TempDir
    static Path dir;
    private SeedManagerInstance seed;

    @BeforeAll
    void start() {
        seed = SeedManagerInstance.start(dir.resolve("data"), Map.of(
                "edgeplane.kubernetes.supported", List.of("v1.35.2", "v1.36.3", "v1.37.1", "v1.38.0"),
                "edgeplane.kubernetes.default-version", "v1.36.3",
                "edgeplane.kubernetes.binaries-dir", dir.resolve("no-binaries").toString(),
                "edgeplane.cluster.failure-timeout", "2s"));
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        seed.close();
    }

    @Test
    void badInputIsRefusedByFieldAndCreatesNothing() throws Exception {
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"datacenter\":\"factory-bremen\"}"), 422, "name");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"Not_A_Name\",\"datacenter\":\"factory-bremen\"}"), 422, "name");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"a\",\"datacenter\":\"atlantis\"}"), 422, "datacenter");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"a\",\"datacenter\":\"factory-bremen\",\"version\":\"v1.20.0\"}"),
                422, "version");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"a\",\"datacenter\":\"factory-bremen\",\"size\":3}"), 422, "size");
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/nobody/clusters", "{\"name\":\"a\",\"datacenter\":\"factory-bremen\"}")
                .status()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM clusters WHERE name = 'a'")).isZero();
    }

    @Test
    void nodeHealthTimeoutsAreCheckedByFieldAndShownWhenSet() throws Exception {
        String prefix = "{\"name\":\"health\",\"datacenter\":\"factory-bremen\",\"nodeHealth\":";
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"gracePeriodSeconds\":9}}"), 422, "nodeHealth.gracePeriodSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"gracePeriodSeconds\":601}}"), 422, "nodeHealth.gracePeriodSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"gracePeriodSeconds\":20.5}}"), 422, "nodeHealth.gracePeriodSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"evictionSeconds\":-1}}"), 422, "nodeHealth.evictionSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"evictionSeconds\":86401}}"), 422, "nodeHealth.evictionSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"evictionSeconds\":\"5m\"}}"), 422, "nodeHealth.evictionSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"graceSeconds\":20}}"), 422, "nodeHealth.graceSeconds");
        assertProblem(seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "40}"), 422, "nodeHealth");
        assertThat(count("SELECT count(*) FROM clusters WHERE name = 'health'")).isZero();

        Reply created = seed.post(ADMIN_TOKEN, CLUSTERS, prefix + "{\"gracePeriodSeconds\":20,\"evictionSeconds\":0}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("nodeHealth").path("gracePeriodSeconds").asInt()).isEqualTo(20);
        JsonNode shown = seed.get(ADMIN_TOKEN, CLUSTERS + "/health").json().path("nodeHealth");
        assertThat(shown.path("gracePeriodSeconds").asInt()).isEqualTo(20);
        assertThat(shown.path("evictionSeconds").isInt()).as(shown.toString()).isTrue();
        assertThat(shown.path("evictionSeconds").asInt()).isZero();

        assertThat(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"half\",\"datacenter\":\"factory-bremen\","
                + "\"nodeHealth\":{\"evictionSeconds\":30}}").status()).isEqualTo(202);
        JsonNode half = seed.get(ADMIN_TOKEN, CLUSTERS + "/half").json().path("nodeHealth");
        assertThat(half.path("evictionSeconds").asInt()).isEqualTo(30);
        assertThat(half.has("gracePeriodSeconds")).as("an unset timeout keeps the Kubernetes default: " + half).isFalse();

        assertThat(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"plain\",\"datacenter\":\"factory-bremen\"}").status())
                .isEqualTo(202);
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/plain").json().has("nodeHealth")).as("Kubernetes defaults").isFalse();
        for (String name : List.of("health", "half", "plain")) {
            assertThat(seed.delete(ADMIN_TOKEN, CLUSTERS + "/" + name).status()).isEqualTo(202);
        }
    }

    @Test
    void aClusterThatCannotComeUpEndsFailedWithTheReasonAndCanStillBeDeleted() throws Exception {
        Reply created = seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"broken\",\"datacenter\":\"factory-bremen\"}");
        assertThat(created.status()).isEqualTo(202);
        assertThat(created.json().path("phase").asText()).isEqualTo("Creating");
        assertThat(created.json().path("version").asText()).isEqualTo("v1.36.3");
        assertThat(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"broken\",\"datacenter\":\"factory-bremen\"}").status())
                .isEqualTo(409);

        JsonNode failed = awaitPhase("broken", "Failed");
        assertThat(failed.path("message").asText()).as(failed.toString())
                .contains("binaries: Kubernetes v1.36.3 linux-").contains("attempt 1 failed")
                .contains("EDGEPLANE_BINARIES_SOURCE=directory fetches nothing").contains("fetch-binaries.sh")
                .doesNotContain("null");
        assertThat(failed.path("conditions").toString()).contains("BinariesFailed");

        String id = clusterId("broken");
        assertThat(seed.delete(ADMIN_TOKEN, CLUSTERS + "/broken").status()).isEqualTo(202);
        for (int i = 0; i < 100 && seed.get(ADMIN_TOKEN, CLUSTERS + "/broken").status() != 404; i++) {
            Thread.sleep(100);
        }
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/broken").status()).isEqualTo(404);
        assertThat(Files.exists(dir.resolve("data/clusters").resolve(id))).as("cluster directory removed").isFalse();
        assertThat(count("SELECT count(*) FROM cluster_ports WHERE cluster_id = '" + id + "'")).as("ports released").isZero();
    }

    @Test
    void upgradesGoOneMinorVersionForwardAtATime() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"old\",\"datacenter\":\"factory-bremen\",\"version\":\"v1.35.2\"}")
                .status()).isEqualTo(202);
        String path = CLUSTERS + "/old";
        assertProblem(patch(path, "{\"version\":\"v1.34.0\"}"), 422, "version");
        assertThat(patch(path, "{\"version\":\"v1.37.1\"}").body()).contains("one minor version at a time");
        assertProblem(patch(path, "{}"), 422, "version");
        assertProblem(patch(path, "{\"version\":\"v1.36.3\",\"etcd\":\"x\"}"), 422, "etcd");
        assertThat(seed.get(ADMIN_TOKEN, path).json().path("version").asText()).as("refused changes change nothing").isEqualTo("v1.35.2");

        Reply upgraded = patch(path, "{\"version\":\"v1.36.3\"}");
        assertThat(upgraded.status()).isEqualTo(202);
        assertThat(upgraded.json().path("phase").asText()).isEqualTo("Updating");
        assertThat(upgraded.json().path("version").asText()).isEqualTo("v1.36.3");
        assertProblem(patch(path, "{\"version\":\"v1.35.2\"}"), 422, "version");
        assertThat(seed.delete(ADMIN_TOKEN, path).status()).isEqualTo(202);
    }

    @Test
    void aProjectCannotHaveMoreClustersThanItsQuota() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"small\",\"quota\":{\"clusters\":0}}").status()).isEqualTo(201);
        String clusters = "/api/v1/projects/small/clusters";
        Reply refused = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"one\",\"datacenter\":\"factory-bremen\"}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("quota").contains("0 of its 0");
        assertThat(seed.get(ADMIN_TOKEN, clusters).json().get("items")).isEmpty();

        assertThat(seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/small", "{\"quota\":{\"clusters\":1}}").status()).isEqualTo(200);
        assertThat(seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"one\",\"datacenter\":\"factory-bremen\"}").status()).isEqualTo(202);
        Reply second = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"two\",\"datacenter\":\"factory-bremen\"}");
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).contains("1 of its 1");

        assertThat(seed.delete(ADMIN_TOKEN, clusters + "/one").status()).isEqualTo(202);
        for (int i = 0; i < 100 && seed.get(ADMIN_TOKEN, clusters + "/one").status() != 404; i++) {
            Thread.sleep(300);
        }
        assertThat(seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"two\",\"datacenter\":\"factory-bremen\"}").status())
                .as("a deleted cluster frees its place").isEqualTo(202);
        assertThat(seed.delete(ADMIN_TOKEN, clusters + "/two").status()).isEqualTo(202);
    }

    @Test
    void otherTenantsAndViewersCannotTouchAProjectsClusters() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"private\",\"datacenter\":\"factory-bremen\"}").status()).isEqualTo(202);
        String globexOwner = token("globex", "owner");
        String acmeViewer = token("acme", "viewer");
        assertThat(seed.get(globexOwner, CLUSTERS + "/private").status()).isEqualTo(404);
        assertThat(seed.get(globexOwner, CLUSTERS).status()).isEqualTo(404);
        assertThat(seed.get(globexOwner, CLUSTERS + "/private/kubeconfig").status()).isEqualTo(404);
        assertThat(seed.delete(globexOwner, CLUSTERS + "/private").status()).isEqualTo(404);
        assertThat(seed.get(acmeViewer, CLUSTERS + "/private").status()).isEqualTo(200);
        assertThat(seed.delete(acmeViewer, CLUSTERS + "/private").status()).isEqualTo(403);
        assertThat(seed.send(acmeViewer, "PATCH", CLUSTERS + "/private", "{\"version\":\"v1.37.1\"}").status()).isEqualTo(403);
        assertThat(seed.delete(ADMIN_TOKEN, CLUSTERS + "/private").status()).isEqualTo(202);
    }

    private Reply patch(String path, String body) {
        return seed.send(ADMIN_TOKEN, "PATCH", path, body);
    }

    private String token(String project, String role) {
        Reply reply = seed.post(ADMIN_TOKEN, "/api/v1/projects/" + project + "/tokens", "{\"role\":\"" + role + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("token").asText();
    }

    private JsonNode awaitPhase(String name, String phase) throws InterruptedException {
        JsonNode cluster = null;
        for (int i = 0; i < 300; i++) {
            cluster = seed.get(ADMIN_TOKEN, CLUSTERS + "/" + name).json();
            if (phase.equals(cluster.path("phase").asText())) {
                return cluster;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("cluster " + name + " never reached " + phase + ": " + cluster);
    }

    private String clusterId(String name) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM clusters WHERE name = '" + name + "'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private long count(String sql) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void assertProblem(Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).contains("application/problem+json");
        assertThat(reply.body()).as("names the field").contains("\"" + field + "\"");
    }
}
