package io.edgeplane.seedmanager.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.app.AppApiIT;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.seedmanager.testing.TwoTenants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workload API against a real seed manager whose cluster never runs (no binaries), so every
 * operation stays where the API put it: accepted operations show {@code pending_*}, the state
 * machine refuses what has no edge, bad input names each field and changes nothing. Facts the
 * reconciler would observe (a staged version became ready, a device went unreachable) are written
 * into the row directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadApiIT {
    private static final String WORKLOADS = "/api/v1/projects/acme/clusters/line/workloads";

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
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}")
                .status()).isEqualTo(202);
        for (String device : List.of("edge-1", "edge-2")) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/line/machinedeployments",
                    "{\"name\":\"" + device + "\",\"os\":\"ubuntu-24.04\",\"arch\":\"amd64\"}").status()).isEqualTo(201);
        }
        for (String version : List.of("1", "2")) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/apps", AppApiIT.app("hello", version, "Hello")).status())
                    .isEqualTo(201);
        }
    }

    @AfterAll
    void stop() {
        seed.close();
    }

    @Test
    void aStandardDeployIsAcceptedAndWaitsForTheCluster() throws Exception {
        Reply deployed = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"web","title":"Web","app":"hello","version":"1","nodes":["edge-1"],
                 "configuration":{"greeting":"hi"},"env":{"GREETING":"hi"},"staged":false,"instantlyApply":true}""");
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
        JsonNode web = deployed.json();
        assertThat(web.path("state").asText()).isEqualTo("pending_deploy");
        assertThat(web.path("app").asText()).isEqualTo("hello");
        assertThat(web.path("version").asText()).isEqualTo("1");
        assertThat(web.path("title").asText()).isEqualTo("Web");
        assertThat(web.path("nodes").toString()).isEqualTo("[\"edge-1\"]");
        assertThat(web.path("configuration").path("greeting").asText()).isEqualTo("hi");
        assertThat(web.path("run").asBoolean()).isTrue();
        assertThat(web.path("staged").isNull()).isTrue();
        assertThat(web.path("message").asText()).contains("hello 1");
        assertThat(text("SELECT live_spec FROM workloads WHERE name = 'web'"))
                .contains("\"GREETING\":\"hi\"").contains("\"PORT\":\"8080\"");
        assertThat(count("SELECT generation FROM workloads WHERE name = 'web'")).isEqualTo(1);

        Reply start = seed.post(ADMIN_TOKEN, WORKLOADS + "/web/start", "");
        assertThat(start.status()).as(start.toString()).isEqualTo(409);
        assertThat(start.json().path("detail").asText()).contains("pending_deploy cannot be started");
        Reply apply = seed.post(ADMIN_TOKEN, WORKLOADS + "/web/apply", "");
        assertThat(apply.status()).isEqualTo(409);
        assertThat(apply.json().path("detail").asText()).contains("nothing is staged");

        Reply updated = seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"web\",\"app\":\"hello\",\"version\":\"2\",\"nodes\":[\"edge-1\"]}");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(202);
        assertThat(updated.json().path("version").asText()).isEqualTo("2");
        assertThat(updated.json().path("title").asText()).as("kept").isEqualTo("Web");
        assertThat(updated.json().path("configuration").path("greeting").asText()).as("the app's default").isEqualTo("hello");
        assertThat(count("SELECT generation FROM workloads WHERE name = 'web'")).isEqualTo(2);
        assertThat(count("SELECT observed_generation FROM workloads WHERE name = 'web'")).isZero();
        assertThat(seed.get(ADMIN_TOKEN, WORKLOADS + "/web").json().path("version").asText()).isEqualTo("2");
        assertThat(seed.get(ADMIN_TOKEN, WORKLOADS + "/nothing").status()).isEqualTo(404);
    }

    @Test
    void leavingNodesOutMeansEveryDeviceOfTheCluster() {
        Reply deployed = seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"everywhere\",\"app\":\"hello\",\"version\":\"1\"}");
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
        assertThat(deployed.json().path("nodes").toString()).isEqualTo("[\"edge-1\",\"edge-2\"]");
        assertThat(deployed.json().path("title").asText()).as("the app's title").isEqualTo("Hello");
    }

    @Test
    void aStagedVersionWaitsUntilReadyAndIsThenApplied() throws Exception {
        Reply staged = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"cam","app":"hello","version":"1","nodes":["edge-1","edge-2"],"staged":true}""");
        assertThat(staged.status()).as(staged.toString()).isEqualTo(202);
        JsonNode cam = staged.json();
        assertThat(cam.path("state").asText()).isEqualTo("staged");
        assertThat(cam.path("version").isNull()).isTrue();
        assertThat(cam.path("staged").path("state").asText()).isEqualTo("received");
        assertThat(cam.path("staged").path("version").asText()).isEqualTo("1");
        assertThat(cam.path("staged").path("instantlyApply").asBoolean()).isFalse();
        assertThat(cam.path("staged").path("nodes")).hasSize(2);
        JsonNode image = cam.path("staged").path("nodes").get(0).path("images").get(0);
        assertThat(image.path("image").asText()).isEqualTo("10.222.0.1:5000/edgeplane/hello-http:1");
        assertThat(image.path("state").asText()).isEqualTo("pending");

        Reply start = seed.post(ADMIN_TOKEN, WORKLOADS + "/cam/start", "");
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.json().path("detail").asText()).contains("apply it first");
        Reply early = seed.post(ADMIN_TOKEN, WORKLOADS + "/cam/apply", "");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().path("detail").asText()).contains("is received").contains("0 of 2 images present");

        holdAwayFromTheReconciler("cam");
        update("UPDATE workloads SET staged_state = 'ready' WHERE name = 'cam'");
        Reply applied = seed.post(ADMIN_TOKEN, WORKLOADS + "/cam/apply", "");
        assertThat(applied.status()).as(applied.toString()).isEqualTo(202);
        assertThat(applied.json().path("state").asText()).isEqualTo("pending_apply");
        assertThat(applied.json().path("version").asText()).isEqualTo("1");
        assertThat(applied.json().path("staged").isNull()).isTrue();

        Reply next = seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"cam\",\"app\":\"hello\",\"version\":\"2\",\"staged\":true}");
        assertThat(next.status()).as(next.toString()).isEqualTo(202);
        assertThat(next.json().path("state").asText()).as("STAGE keeps the live state").isEqualTo("pending_apply");
        assertThat(next.json().path("version").asText()).isEqualTo("1");
        assertThat(next.json().path("staged").path("version").asText()).isEqualTo("2");
        assertThat(next.json().path("staged").path("state").asText()).isEqualTo("received");

        Reply notBoolean = seed.delete(ADMIN_TOKEN, WORKLOADS + "/cam?staged=AAA");
        assertThat(notBoolean.status()).as(notBoolean.toString()).isEqualTo(422);
        assertThat(fields(notBoolean)).containsExactly("staged");
        Reply removed = seed.delete(ADMIN_TOKEN, WORKLOADS + "/cam?staged=true");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().path("staged").isNull()).isTrue();
        assertThat(removed.json().path("version").asText()).isEqualTo("1");
        assertThat(removed.json().path("deleteRequested").asBoolean()).isFalse();
        assertThat(seed.delete(ADMIN_TOKEN, WORKLOADS + "/cam?staged=true").status()).isEqualTo(409);
    }

    @Test
    void theBatchApplyPathAllowsOnlyItsOwnMethod() throws Exception {
        HttpResponse<Void> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + seed.port() + WORKLOADS + "/apply"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().allValues("Allow")).as("not the methods of /workloads/{name}").containsExactly("POST");
    }

    @Test
    void stopAndStartFollowTheStateMachine() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"svc\",\"app\":\"hello\",\"version\":\"1\",\"nodes\":[\"edge-2\"]}")
                .status()).isEqualTo(202);
        holdAwayFromTheReconciler("svc");
        update("UPDATE workloads SET state = 'unreachable' WHERE name = 'svc'");
        Reply stop = seed.post(ADMIN_TOKEN, WORKLOADS + "/svc/stop", "");
        assertThat(stop.status()).as(stop.toString()).isEqualTo(202);
        assertThat(stop.json().path("state").asText()).isEqualTo("pending_stop");
        assertThat(stop.json().path("run").asBoolean()).isFalse();
        Reply again = seed.post(ADMIN_TOKEN, WORKLOADS + "/svc/stop", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("detail").asText()).contains("already pending_stop");
        Reply start = seed.post(ADMIN_TOKEN, WORKLOADS + "/svc/start", "");
        assertThat(start.status()).isEqualTo(202);
        assertThat(start.json().path("state").asText()).isEqualTo("pending_start");
        assertThat(start.json().path("run").asBoolean()).isTrue();
        assertThat(count("SELECT generation FROM workloads WHERE name = 'svc'")).isEqualTo(3);
        assertThat(text("SELECT status FROM workloads WHERE name = 'svc'")).contains("start accepted");
    }

    @Test
    void everyBadFieldIsNamedAndABatchIsAllOrNothing() throws Exception {
        long before = count("SELECT count(*) FROM workloads");
        Reply mistyped = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"web-x","app":"hello","version":"1","nodes":"edge-1","configuration":[1],"staged":"yes","colour":"red"}""");
        assertThat(mistyped.status()).as(mistyped.toString()).isEqualTo(422);
        assertThat(mistyped.contentType()).startsWith("application/problem+json");
        assertThat(fields(mistyped)).containsExactlyInAnyOrder("nodes", "configuration", "staged", "colour");
        Reply mistypedBatch = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"workloads":[{"name":"ok","app":"hello","version":"1"},{"name":"web-z","app":"hello","version":"1","staged":"yes","colour":1}]}""");
        assertThat(fields(mistypedBatch)).containsExactlyInAnyOrder("workloads[1].staged", "workloads[1].colour");

        Reply invalid = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"Bad_Name","app":"hello","version":"-1","nodes":[],"env":{"OK":"1"}}""");
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);
        assertThat(fields(invalid)).containsExactlyInAnyOrder("name", "version", "nodes");
        Reply wrongTypes = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"web-w","app":false,"version":1,"env":{"OK":true}}""");
        assertThat(fields(wrongTypes)).as("no string is made of a boolean or a number").containsExactlyInAnyOrder("app", "version", "env.OK");
        Reply reserved = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"apply","app":"hello","version":"1"}""");
        assertThat(fields(reserved)).as("/workloads/apply is the batch apply").containsExactly("name");

        Reply refused = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"name":"web-y","app":"hello","version":"1","nodes":["edge-1","edge-9","edge-1"],"configuration":{"greeting":5},
                 "env":{"EDGEPLANE_NODE":"x","OK":"1"}}""");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(fields(refused)).containsExactlyInAnyOrder("nodes[1]", "nodes[2]", "configuration.greeting", "env.EDGEPLANE_NODE");

        Reply shapes = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"workloads":[
                  {"name":"fine","app":"hello","version":"1","nodes":["edge-1"]},
                  {"name":"other","app":"hello","version":"7","nodes":[]},
                  {"name":"a-very-long-workload-name-over-forty-chars","app":"hello","version":"1"}]}""");
        assertThat(shapes.status()).as(shapes.toString()).isEqualTo(422);
        assertThat(fields(shapes)).containsExactlyInAnyOrder("workloads[1].nodes", "workloads[2].name");

        Reply batch = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"workloads":[
                  {"name":"fine","app":"hello","version":"1","nodes":["edge-1"]},
                  {"name":"broken","app":"hello","version":"1","nodes":["edge-1","edge-9"],"configuration":{"greeting":5}},
                  {"name":"fine","app":"nope","version":"1"},
                  {"name":"other","app":"hello","version":"7"}]}""");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(422);
        assertThat(fields(batch)).containsExactlyInAnyOrder("workloads[1].nodes[1]", "workloads[1].configuration.greeting",
                "workloads[2].name", "workloads[2].app", "workloads[3].version");
        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "{\"workloads\":[],\"name\":\"mixed\"}").status())
                .as("one shape or the other").isEqualTo(422);
        Reply empty = seed.post(ADMIN_TOKEN, WORKLOADS, "{}");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(422);
        assertThat(fields(empty)).as(empty.toString()).containsExactlyInAnyOrder("name", "app", "version");
        Reply noItems = seed.post(ADMIN_TOKEN, WORKLOADS, "{\"workloads\":[]}");
        assertThat(fields(noItems)).as(noItems.toString()).containsExactly("workloads");
        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "[]").status()).isEqualTo(422);
        assertThat(count("SELECT count(*) FROM workloads")).as("nothing half-created").isEqualTo(before);

        Reply together = seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"workloads":[{"name":"pair-a","app":"hello","version":"1","nodes":["edge-1"],"staged":true,"instantlyApply":true},
                              {"name":"pair-b","app":"hello","version":"2","nodes":["edge-2"],"staged":true,"instantlyApply":true}]}""");
        assertThat(together.status()).as(together.toString()).isEqualTo(202);
        assertThat(together.json().path("items")).hasSize(2);
        assertThat(together.json().path("items").get(1).path("staged").path("instantlyApply").asBoolean()).isTrue();
        assertThat(count("SELECT count(DISTINCT staged_request) FROM workloads WHERE name IN ('pair-a', 'pair-b')"))
                .as("one request, applied together").isEqualTo(1);
    }

    @Test
    void severalStagedVersionsAreAppliedTogetherOrNotAtAll() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, """
                {"workloads":[{"name":"ba","app":"hello","version":"1","nodes":["edge-1"],"staged":true},
                              {"name":"bb","app":"hello","version":"1","nodes":["edge-2"],"staged":true}]}""").status()).isEqualTo(202);
        holdAwayFromTheReconciler("ba");
        holdAwayFromTheReconciler("bb");
        update("UPDATE workloads SET staged_state = 'ready' WHERE name = 'ba'");
        Reply refused = seed.post(ADMIN_TOKEN, WORKLOADS + "/apply", "{\"names\":[\"ba\",\"bb\"]}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(fields(refused)).containsExactly("names[1]");
        assertThat(seed.get(ADMIN_TOKEN, WORKLOADS + "/ba").json().path("state").asText()).as("unchanged").isEqualTo("staged");

        Reply unknown = seed.post(ADMIN_TOKEN, WORKLOADS + "/apply", "{\"names\":[\"ba\",\"ghost\",\"ba\"]}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(fields(unknown)).containsExactly("names[2]");
        assertThat(fields(seed.post(ADMIN_TOKEN, WORKLOADS + "/apply", "{\"names\":[\"ghost\"]}"))).containsExactly("names[0]");
        assertThat(fields(seed.post(ADMIN_TOKEN, WORKLOADS + "/apply", "{}"))).containsExactly("names");

        update("UPDATE workloads SET staged_state = 'ready' WHERE name = 'bb'");
        Reply applied = seed.post(ADMIN_TOKEN, WORKLOADS + "/apply", "{\"names\":[\"bb\",\"ba\"]}");
        assertThat(applied.status()).as(applied.toString()).isEqualTo(202);
        List<String> states = new ArrayList<>();
        applied.json().path("items").forEach(w -> states.add(w.path("name").asText() + " " + w.path("state").asText()));
        assertThat(states).containsExactly("bb pending_apply", "ba pending_apply");
    }

    @Test
    void undeployRemovesTheStagedVersionOrEverything() throws Exception {
        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"gone\",\"app\":\"hello\",\"version\":\"1\",\"nodes\":[\"edge-1\"]}")
                .status()).isEqualTo(202);
        holdAwayFromTheReconciler("gone");
        Reply undeploy = seed.delete(ADMIN_TOKEN, WORKLOADS + "/gone");
        assertThat(undeploy.status()).as(undeploy.toString()).isEqualTo(202);
        assertThat(undeploy.json().path("deleteRequested").asBoolean()).isTrue();
        assertThat(seed.delete(ADMIN_TOKEN, WORKLOADS + "/gone").status()).as("idempotent").isEqualTo(202);
        Reply stop = seed.post(ADMIN_TOKEN, WORKLOADS + "/gone/stop", "");
        assertThat(stop.status()).isEqualTo(409);
        assertThat(stop.json().path("detail").asText()).contains("being undeployed");
        Reply redeploy = seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"gone\",\"app\":\"hello\",\"version\":\"2\"}");
        assertThat(redeploy.status()).isEqualTo(409);
        assertThat(fields(redeploy)).containsExactly("name");

        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"only-staged\",\"app\":\"hello\",\"version\":\"1\",\"staged\":true}")
                .status()).isEqualTo(202);
        Reply last = seed.delete(ADMIN_TOKEN, WORKLOADS + "/only-staged?staged=true");
        assertThat(last.status()).as("its only version: the whole workload goes").isEqualTo(202);
        assertThat(last.json().path("deleteRequested").asBoolean()).isTrue();
        assertThat(seed.delete(ADMIN_TOKEN, WORKLOADS + "/never").status()).isEqualTo(404);
    }

    /**
     * Operations wake the reconciler at once, which would rewrite the message or (the cluster never
     * ran) remove an undeployed row before the test reads it: a lease held by another replica keeps it off.
     */
    private void holdAwayFromTheReconciler(String name) throws Exception {
        update("UPDATE workloads SET lease_owner = 'another-replica', lease_until = now() + interval '1 hour' WHERE name = '" + name + "'");
    }

    @Test
    void listsArePagedAndFiltered() throws Exception {
        for (int i = 1; i <= 5; i++) {
            String node = i % 2 == 0 ? "edge-2" : "edge-1";
            assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"p-" + i + "\",\"app\":\"hello\",\"version\":\"1\",\"nodes\":[\""
                    + node + "\"],\"staged\":" + (i == 5) + "}").status()).isEqualTo(202);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = seed.get(ADMIN_TOKEN, WORKLOADS + "?name=p-&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(2);
            page.json().path("items").forEach(w -> seen.add(w.path("name").asText()));
            cursor = page.json().hasNonNull("nextCursor") ? page.json().path("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(seen).containsExactly("p-1", "p-2", "p-3", "p-4", "p-5");
        assertThat(names(WORKLOADS + "?name=p-&node=edge-2")).containsExactly("p-2", "p-4");
        assertThat(names(WORKLOADS + "?name=p-&state=staged")).containsExactly("p-5");
        assertThat(names(WORKLOADS + "?name=p-&state=received")).as("a staged version's state too").containsExactly("p-5");
        assertThat(names(WORKLOADS + "?name=p-&node=edge-9")).isEmpty();
        Reply bad = seed.get(ADMIN_TOKEN, WORKLOADS + "?state=sleeping");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(fields(bad)).containsExactly("state");
    }

    @Test
    void otherTenantsSeeNothingAndViewersChangeNothing() {
        assertThat(seed.post(ADMIN_TOKEN, WORKLOADS, "{\"name\":\"private\",\"app\":\"hello\",\"version\":\"1\"}").status())
                .isEqualTo(202);
        assertThat(seed.get(globex, WORKLOADS).status()).isEqualTo(404);
        assertThat(seed.get(globex, WORKLOADS + "/private").status()).isEqualTo(404);
        assertThat(seed.post(globex, WORKLOADS, "{\"name\":\"intruder\",\"app\":\"hello\",\"version\":\"1\"}").status()).isEqualTo(404);
        assertThat(seed.post(globex, WORKLOADS + "/private/stop", "").status()).isEqualTo(404);
        assertThat(seed.post(globex, WORKLOADS + "/apply", "{\"names\":[\"private\"]}").status()).isEqualTo(404);
        assertThat(seed.delete(globex, WORKLOADS + "/private").status()).isEqualTo(404);
        assertThat(seed.post(globex, "/api/v1/projects/globex/clusters/line/workloads",
                "{\"name\":\"x\",\"app\":\"hello\",\"version\":\"1\"}").status()).isEqualTo(404);

        assertThat(seed.get(viewer, WORKLOADS + "/private").status()).isEqualTo(200);
        assertThat(seed.get(viewer, WORKLOADS).status()).isEqualTo(200);
        assertThat(seed.post(viewer, WORKLOADS, "{\"name\":\"viewed\",\"app\":\"hello\",\"version\":\"1\"}").status()).isEqualTo(403);
        assertThat(seed.post(viewer, WORKLOADS + "/private/stop", "").status()).isEqualTo(403);
        assertThat(seed.post(viewer, WORKLOADS + "/private/apply", "").status()).isEqualTo(403);
        assertThat(seed.delete(viewer, WORKLOADS + "/private").status()).isEqualTo(403);
    }

    private List<String> names(String path) {
        Reply reply = seed.get(ADMIN_TOKEN, path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        reply.json().path("items").forEach(w -> names.add(w.path("name").asText()));
        return names;
    }

    private static List<String> fields(Reply reply) {
        List<String> fields = new ArrayList<>();
        reply.json().path("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    private void update(String sql) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(sql)).isEqualTo(1);
        }
    }

    private long count(String sql) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String text(String sql) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
