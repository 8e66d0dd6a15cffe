package io.edgeplane.seedmanager.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.seedmanager.testing.TwoTenants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** The app registry against a real seed manager: validation by field, replacement while unused, immutability once used, tenancy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AppApiIT {
    private static final String APPS = "/api/v1/projects/acme/apps";

    @TempDir
    static Path dir;
    private SeedManagerInstance seed;
    private String viewer;
    private String globex;

    @BeforeAll
    void start() {
        TwoTenants tenants = TwoTenants.start(dir);
        seed = tenants.seed();
        viewer = tenants.acmeViewer();
        globex = tenants.globexOwner();
    }

    @AfterAll
    void stop() {
        seed.close();
    }

    /** A registration body of the test bed's hello-http app. */
    public static String app(String name, String version, String title) {
        return """
                {"name":"%s","version":"%s","title":"%s","description":"says hello",
                 "containers":[{"name":"web","image":"10.222.0.1:5000/edgeplane/hello-http:1","env":{"PORT":"8080"},
                                "ports":[{"name":"http","containerPort":8080,"hostPort":18080,"protocol":"TCP"}],
                                "resources":{"cpuRequest":"10m","memoryLimit":"64Mi"}}],
                 "inputs":[{"name":"speed","dataType":"number"}],"outputs":[],
                 "defaultConfiguration":{"greeting":"hello"},
                 "configurationSchema":{"type":"object","properties":{"greeting":{"type":"string"}}}}"""
                .formatted(name, version, title);
    }

    @Test
    void aVersionIsRegisteredAndShown() {
        Reply created = seed.post(ADMIN_TOKEN, APPS, app("hello", "1", "Hello"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode app = created.json();
        assertThat(app.path("name").asText()).isEqualTo("hello");
        assertThat(app.path("version").asText()).isEqualTo("1");
        assertThat(app.path("containers").get(0).path("image").asText()).isEqualTo("10.222.0.1:5000/edgeplane/hello-http:1");
        assertThat(app.path("containers").get(0).path("ports").get(0).path("hostPort").asInt()).isEqualTo(18080);
        assertThat(app.path("defaultConfiguration").path("greeting").asText()).isEqualTo("hello");
        assertThat(app.path("inputs").get(0).path("dataType").asText()).isEqualTo("number");

        Reply one = seed.get(ADMIN_TOKEN, APPS + "/hello/versions/1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("title").asText()).isEqualTo("Hello");
        assertThat(seed.get(ADMIN_TOKEN, APPS + "/hello/versions/9").status()).isEqualTo(404);
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsCreated() throws Exception {
        long before = count("SELECT count(*) FROM apps");
        Reply mistyped = seed.post(ADMIN_TOKEN, APPS, """
                {"name":"typed","version":"1","colour":"red",
                 "containers":[{"name":"web","image":"app:1","ports":[{"containerPort":80,"protocol":"HTTP"}]}]}""");
        assertThat(mistyped.status()).as(mistyped.toString()).isEqualTo(422);
        assertThat(mistyped.contentType()).startsWith("application/problem+json");
        assertThat(fields(mistyped)).containsExactlyInAnyOrder("colour", "containers[0].ports[0].protocol");

        Reply invalid = seed.post(ADMIN_TOKEN, APPS, """
                {"name":"Bad_Name","version":"-1",
                 "containers":[{"name":"web","image":"app:1","ports":[{"containerPort":8080,"hostPort":70000}],
                                "resources":{"cpuRequest":"lots"}}],
                 "inputs":[{"name":"speed"}]}""");
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);
        assertThat(fields(invalid)).containsExactlyInAnyOrder("name", "version", "containers[0].ports[0].hostPort",
                "containers[0].resources.cpuRequest", "inputs[0].dataType");

        Reply bad = seed.post(ADMIN_TOKEN, APPS, """
                {"name":"bad","version":"1",
                 "containers":[{"name":"web","image":"nginx","env":{"1BAD":"x","EDGEPLANE_NODE":"y"},
                                "ports":[{"containerPort":8080,"hostPort":18080}],
                                "resources":{"memoryRequest":"1Gi","memoryLimit":"64Mi"}},
                               {"name":"web","image":"Registry/App:1","ports":[{"containerPort":9090,"hostPort":18080}]}],
                 "defaultConfiguration":{"greeting":5},
                 "configurationSchema":{"type":"object","properties":{"greeting":{"type":"string"}}}}""");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(fields(bad)).containsExactlyInAnyOrder("containers[0].image", "containers[0].env.1BAD",
                "containers[0].env.EDGEPLANE_NODE", "containers[0].resources.memoryRequest", "containers[1].name",
                "containers[1].image", "containers[1].ports[0].hostPort", "defaultConfiguration.greeting");

        Reply schema = seed.post(ADMIN_TOKEN, APPS, """
                {"name":"schemas","version":"1","containers":[{"name":"a","image":"app:1"}],
                 "configurationSchema":{"type":"thing","properties":{"x":{"$ref":"https://example.com/s.json"}}}}""");
        assertThat(schema.status()).as(schema.toString()).isEqualTo(422);
        assertThat(fields(schema)).containsExactly("configurationSchema.properties.x.$ref");

        Reply none = seed.post(ADMIN_TOKEN, APPS, "{\"name\":\"empty\",\"version\":\"1\",\"containers\":[]}");
        assertThat(fields(none)).containsExactly("containers");
        assertThat(count("SELECT count(*) FROM apps")).isEqualTo(before);
    }

    @Test
    void anUnusedVersionIsReplacedAndAUsedOneIsImmutable() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, APPS, app("counter", "1", "Counter")).status()).isEqualTo(201);
        Reply replaced = seed.post(ADMIN_TOKEN, APPS, app("counter", "1", "Counter, fixed"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(seed.get(ADMIN_TOKEN, APPS + "/counter/versions/1").json().path("title").asText()).isEqualTo("Counter, fixed");

        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}")
                .status()).isEqualTo(202);
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/line/machinedeployments",
                "{\"name\":\"edge-1\",\"os\":\"ubuntu-24.04\",\"arch\":\"amd64\"}").status()).isEqualTo(201);
        Reply deployed = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/line/workloads",
                "{\"name\":\"count\",\"app\":\"counter\",\"version\":\"1\",\"staged\":true}");
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);

        Reply refused = seed.post(ADMIN_TOKEN, APPS, app("counter", "1", "Counter, changed again"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("counter 1 is used by workloads line/count").contains("new version");
        assertThat(seed.get(ADMIN_TOKEN, APPS + "/counter/versions/1").json().path("title").asText()).isEqualTo("Counter, fixed");
        assertThat(seed.post(ADMIN_TOKEN, APPS, app("counter", "2", "Counter")).status()).isEqualTo(201);
        assertThat(count("SELECT count(*) FROM apps WHERE name = 'counter'")).isEqualTo(2);
    }

    @Test
    void listsArePagedAndFilteredByName() {
        for (String version : List.of("1.0.0", "1.1.0", "2.0.0")) {
            assertThat(seed.post(ADMIN_TOKEN, APPS, app("paged", version, "Paged")).status()).isEqualTo(201);
        }
        assertThat(seed.post(ADMIN_TOKEN, APPS, app("paged-other", "1", "Other")).status()).isEqualTo(201);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = seed.get(ADMIN_TOKEN, APPS + "?name=paged&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(a -> seen.add(a.path("name").asText() + " " + a.path("version").asText()));
            cursor = page.json().hasNonNull("nextCursor") ? page.json().path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly("paged 1.0.0", "paged 1.1.0", "paged 2.0.0");
        assertThat(pages).isEqualTo(2);
        assertThat(seed.get(ADMIN_TOKEN, APPS + "?limit=0").status()).isEqualTo(422);
    }

    @Test
    void otherTenantsSeeNothingAndViewersChangeNothing() {
        assertThat(seed.post(ADMIN_TOKEN, APPS, app("private", "1", "Private")).status()).isEqualTo(201);
        assertThat(seed.get(globex, APPS).status()).isEqualTo(404);
        assertThat(seed.get(globex, APPS + "/private/versions/1").status()).isEqualTo(404);
        assertThat(seed.post(globex, APPS, app("intruder", "1", "Intruder")).status()).isEqualTo(404);
        assertThat(seed.get(globex, "/api/v1/projects/globex/apps").json().path("items")).isEmpty();

        assertThat(seed.get(viewer, APPS + "/private/versions/1").status()).isEqualTo(200);
        assertThat(seed.post(viewer, APPS, app("viewed", "1", "Viewed")).status()).isEqualTo(403);
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/nowhere/apps", app("lost", "1", "Lost")).status()).isEqualTo(404);
    }

    private static List<String> fields(Reply reply) {
        List<String> fields = new ArrayList<>();
        reply.json().path("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    private long count(String sql) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
