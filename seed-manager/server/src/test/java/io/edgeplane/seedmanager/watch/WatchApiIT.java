package io.edgeplane.seedmanager.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.app.AppApiIT;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.seedmanager.testing.TwoTenants;
import io.edgeplane.seedmanager.watch.SseClient.Sse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches against real seed managers on one real PostgreSQL: what a CLI or console following a list sees,
 * across tenants, across a reconnect, and across replicas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchApiIT {
    private static final String ACME = "/api/v1/projects/acme/clusters";
    private static final String GLOBEX = "/api/v1/projects/globex/clusters";
    private static final String FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    private static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private TwoTenants tenants;
    private SeedManagerInstance seed;

    @BeforeAll
    void start() {
        tenants = TwoTenants.start(dir);
        seed = tenants.seed();
    }

    @AfterAll
    void stop() {
        seed.close();
    }

    @Test
    void aWatchListsThenSeesAddedModifiedDeletedInOrderAndResumesWithoutGapOrRepeat() throws Exception {
        created(seed.post(ADMIN_TOKEN, ACME, cluster("before")));
        try (SseClient watch = open(seed, ADMIN_TOKEN, ACME + "?watch=true", null)) {
            assertThat(watch.contentType()).startsWith("text/event-stream");
            List<Sse> listing = watch.until(e -> e.event().equals("BOOKMARK"), SOON);
            Sse before = listing.stream().filter(e -> e.name().equals("before")).findFirst().orElseThrow();
            assertThat(before.event()).isEqualTo("ADDED");
            assertThat(before.id()).as("listed objects carry no resume id").isNull();
            assertThat(before.json().path("phase").asText()).isNotEmpty();
            assertThat(listing.subList(0, listing.size() - 1)).allMatch(e -> e.event().equals("ADDED"));

            created(seed.post(ADMIN_TOKEN, ACME, cluster("w1")));
            List<Sse> toAdded = watch.until(e -> e.name().equals("w1"), SOON);
            Sse added = toAdded.get(toAdded.size() - 1);
            assertThat(added.event()).isEqualTo("ADDED");
            assertThat(added.json().path("datacenter").asText()).isEqualTo("factory-bremen");
            assertThat(fields(added.json())).as("the body a GET answers").isEqualTo(fields(seed.get(ADMIN_TOKEN, ACME + "/w1").json()));

            // A second client resumes from the ADDED event's id while the first stays connected.
            created(seed.post(ADMIN_TOKEN, ACME, cluster("w2")));
            assertThat(seed.delete(ADMIN_TOKEN, ACME + "/w1").status()).isEqualTo(202);
            List<Sse> live = watch.until(e -> e.event().equals("DELETED") && e.name().equals("w1"), Duration.ofSeconds(60));
            List<Sse> w1 = live.stream().filter(e -> e.name().equals("w1")).toList();
            assertThat(w1.get(w1.size() - 1).event()).isEqualTo("DELETED");
            assertThat(w1.subList(0, w1.size() - 1)).allMatch(e -> e.event().equals("MODIFIED"));
            assertThat(w1).anyMatch(e -> e.json().path("phase").asText().equals("Deleting"));
            assertThat(live).anyMatch(e -> e.event().equals("ADDED") && e.name().equals("w2"));
            assertIncreasing(live);

            try (SseClient resumed = open(seed, ADMIN_TOKEN, ACME + "?watch=true", added.id())) {
                List<Sse> again = resumed.until(e -> e.id() != null && e.id().equals(live.get(live.size() - 1).id()), SOON);
                assertThat(ids(again)).as("the same changes after the resume id, none missing, none repeated")
                        .isEqualTo(ids(live.stream().filter(e -> e.id() != null && !e.event().equals("BOOKMARK")).toList()));
            }
            try (SseClient byParameter = open(seed, ADMIN_TOKEN, ACME + "?watch=true&resourceVersion=" + added.id(), null)) {
                assertThat(byParameter.next(SOON).seq()).isGreaterThan(added.seq());
            }
        }
    }

    @Test
    void aChangeCommittedAfterALaterOneIsStillSeenAndAfterIt() throws Exception {
        try (SseClient watch = open(seed, ADMIN_TOKEN, GLOBEX + "?watch=true", null);
             Connection slow = seed.jdbc(); Connection fast = seed.jdbc()) {
            watch.until(e -> e.event().equals("BOOKMARK"), SOON);
            // The slow transaction records its change first and commits last: a feed numbered at insert
            // time would hand its watcher "fast" first and then never show "slow".
            slow.setAutoCommit(false);
            insertCluster(slow, "slow");
            insertCluster(fast, "fast");
            List<Sse> untilFast = watch.until(e -> e.name().equals("fast"), SOON);
            assertThat(untilFast).noneMatch(e -> e.name().equals("slow"));
            slow.commit();
            List<Sse> untilSlow = watch.until(e -> e.name().equals("slow"), SOON);
            Sse slowAdded = untilSlow.get(untilSlow.size() - 1);
            assertThat(slowAdded.event()).isEqualTo("ADDED");
            assertThat(slowAdded.seq()).isGreaterThan(untilFast.get(untilFast.size() - 1).seq());
        }
    }

    @Test
    void watchIsTrueOrFalse() {
        Reply notBoolean = seed.get(ADMIN_TOKEN, ACME + "?watch=AAA");
        assertThat(notBoolean.status()).as(notBoolean.toString()).isEqualTo(422);
        assertThat(notBoolean.json().path("errors").path(0).path("field").asText()).isEqualTo("watch");
        Reply notWatching = seed.get(ADMIN_TOKEN, ACME + "?watch=false");
        assertThat(notWatching.status()).as(notWatching.toString()).isEqualTo(200);
        assertThat(notWatching.json().has("items")).isTrue();
    }

    @Test
    void aProjectTokenWatchesOnlyItsProject() {
        Reply foreign = seed.get(tenants.globexOwner(), ACME + "?watch=true");
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(404);
        assertThat(seed.get(tenants.globexOwner(), ACME + "/nope/machinedeployments?watch=true").status()).isEqualTo(404);
        try (SseClient globex = open(seed, tenants.globexOwner(), GLOBEX + "?watch=true", null);
             SseClient acme = open(seed, tenants.acmeViewer(), ACME + "?watch=true", null)) {
            List<Sse> seen = globex.until(e -> e.event().equals("BOOKMARK"), SOON);
            acme.until(e -> e.event().equals("BOOKMARK"), SOON);
            created(seed.post(ADMIN_TOKEN, ACME, cluster("secret")));
            created(seed.post(ADMIN_TOKEN, GLOBEX, cluster("own")));
            assertThat(acme.until(e -> e.name().equals("secret"), SOON)).isNotEmpty();
            seen.addAll(globex.until(e -> e.name().equals("own"), SOON));
            seen.addAll(globex.drain(Duration.ofSeconds(2)));
            assertThat(seen.stream().filter(e -> !e.event().equals("BOOKMARK")))
                    .isNotEmpty().allMatch(e -> e.json().path("project").asText().equals("globex"), "only globex's clusters");
        }
    }

    @Test
    void devicesAndTheProvisioningLogAreFollowed() throws Exception {
        created(seed.post(ADMIN_TOKEN, ACME, cluster("line")));
        String machines = ACME + "/line/machinedeployments";
        try (SseClient watch = open(seed, ADMIN_TOKEN, machines + "?watch=true", null)) {
            watch.until(e -> e.event().equals("BOOKMARK"), SOON);
            assertThat(seed.post(ADMIN_TOKEN, machines, """
                    {"name":"edge-1","os":"ubuntu-22.04","arch":"arm64",
                     "ssh":{"host":"192.0.2.1","user":"edge","hostKeyFingerprint":"%s","credential":{"password":"s3cret-pass"}}}"""
                    .formatted(FINGERPRINT)).status())
                    .isEqualTo(201);
            Sse added = watch.next(e -> e.name().equals("edge-1"), SOON);
            assertThat(added.event()).isEqualTo("ADDED");
            assertThat(added.json().path("os").asText()).isEqualTo("ubuntu-22.04");
        }

        // A delivery in progress, as the reconciler records one (the cluster never runs here, so none starts by itself).
        String id;
        try (Connection db = seed.jdbc(); Statement s = db.createStatement()) {
            s.executeUpdate("UPDATE machine_deployments SET provision_requested = 1 WHERE name = 'edge-1'");
            ResultSet rs = s.executeQuery("SELECT id FROM machine_deployments WHERE name = 'edge-1'");
            rs.next();
            id = rs.getString(1);
            s.executeUpdate("INSERT INTO machine_provisioning_logs (machine_deployment_id, attempt, line) VALUES ('" + id + "', 1, 'first')");
        }
        try (SseClient log = open(seed, ADMIN_TOKEN, machines + "/edge-1/provisioning-log?watch=true", null)) {
            Sse first = log.next(SOON);
            assertThat(first.event()).isEqualTo("LINE");
            assertThat(first.json().path("line").asText()).isEqualTo("first");
            try (Connection db = seed.jdbc(); Statement s = db.createStatement()) {
                s.executeUpdate("INSERT INTO machine_provisioning_logs (machine_deployment_id, attempt, line) VALUES ('" + id + "', 1, 'second')");
                Sse second = log.next(SOON);
                assertThat(second.json().path("line").asText()).isEqualTo("second");
                assertThat(second.seq()).isGreaterThan(first.seq());
                s.executeUpdate("INSERT INTO machine_provisioning_logs (machine_deployment_id, attempt, line) VALUES ('" + id + "', 1, 'last')");
                s.executeUpdate("UPDATE machine_deployments SET provision_done = 1, phase = 'Failed' WHERE id = '" + id + "'");
            }
            List<Sse> rest = log.until(e -> e.event().equals("END"), SOON);
            assertThat(rest).extracting(Sse::event).containsExactly("LINE", "END");
            assertThat(rest.get(1).json().path("name").asText()).isEqualTo("edge-1");
            assertThat(log.next(SOON)).as("the stream ends with provisioning").isNull();
        }
    }

    @Test
    void workloadsAreFollowed() {
        created(seed.post(ADMIN_TOKEN, ACME, cluster("plant")));
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/apps", AppApiIT.app("hello", "1", "Hello")).status()).isEqualTo(201);
        assertThat(seed.post(ADMIN_TOKEN, ACME + "/plant/machinedeployments", "{\"name\":\"edge-9\",\"os\":\"ubuntu-24.04\",\"arch\":\"amd64\"}")
                .status()).isEqualTo(201);
        String workloads = ACME + "/plant/workloads";
        try (SseClient watch = open(seed, tenants.acmeViewer(), workloads + "?watch=true", null)) {
            watch.until(e -> e.event().equals("BOOKMARK"), SOON);
            Reply deployed = seed.post(ADMIN_TOKEN, workloads, "{\"name\":\"web\",\"app\":\"hello\",\"version\":\"1\"}");
            assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
            Sse added = watch.next(e -> e.name().equals("web"), SOON);
            assertThat(added.event()).isEqualTo("ADDED");
            assertThat(added.json().path("state").asText()).isEqualTo("pending_deploy");
            assertThat(seed.delete(ADMIN_TOKEN, workloads + "/web").status()).isEqualTo(202);
            List<Sse> undeploying = watch.until(e -> e.name().equals("web") && e.json().path("deleteRequested").asBoolean(), SOON);
            assertThat(undeploying.get(undeploying.size() - 1).event()).isIn("MODIFIED", "DELETED");
        }
    }

    @Test
    void aStreamEndsCleanlyAfterTheTimeoutTheClientAsksFor() {
        try (SseClient watch = open(seed, ADMIN_TOKEN, ACME + "?watch=true&timeoutSeconds=1", null)) {
            Sse bookmark = watch.next(e -> e.event().equals("BOOKMARK"), SOON);
            assertThat(watch.drain(Duration.ofSeconds(5))).noneMatch(e -> e.event().equals("ERROR"));
            assertThat(watch.next(Duration.ofSeconds(5))).as("ended").isNull();
            assertThat(bookmark.id()).isNotNull();
        }
        assertThat(seed.get(ADMIN_TOKEN, ACME + "?watch=true&timeoutSeconds=0").status()).isEqualTo(422);
    }

    @Test
    void aResumeIdOlderThanTheFeedKeepsIsGone() throws Exception {
        try (Connection db = seed.jdbc(); Statement s = db.createStatement()) {
            s.executeUpdate("UPDATE watch_sequence SET pruned_through = 1");
            Reply gone = seed.get(ADMIN_TOKEN, ACME + "?watch=true&resourceVersion=0");
            assertThat(gone.status()).as(gone.toString()).isEqualTo(410);
            assertThat(gone.contentType()).startsWith("application/problem+json");
            s.executeUpdate("UPDATE watch_sequence SET pruned_through = 0");
        }
        Reply bad = seed.get(ADMIN_TOKEN, ACME + "?watch=true&resourceVersion=yesterday");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("resourceVersion");
        assertThat(seed.get(ADMIN_TOKEN, ACME).json().has("items")).as("without watch, the list").isTrue();
    }

    @Test
    void aChangeThroughOneReplicaReachesAWatcherOnAnother() throws Exception {
        // Replicas share a database only with the pods runtime; no control plane has to run here.
        Map<String, Object> pods = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("replicas"));
        try (SeedManagerInstance first = SeedManagerInstance.start(dir.resolve("replica-1"), pods)) {
            Map<String, Object> second = SeedManagerInstance.onDatabaseOf(first, pods);
            // Sweeps far apart: only a notification can bring the change in time.
            second.put("edgeplane.watch.sweep", "1h");
            assertThat(first.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}").status()).isEqualTo(201);
            try (SeedManagerInstance other = SeedManagerInstance.start(dir.resolve("replica-2"), second);
                 SseClient watch = open(other, ADMIN_TOKEN, GLOBEX + "?watch=true", null)) {
                watch.until(e -> e.event().equals("BOOKMARK"), SOON);
                created(first.post(ADMIN_TOKEN, GLOBEX, cluster("elsewhere")));
                Sse added = watch.next(e -> e.name().equals("elsewhere"), Duration.ofSeconds(5));
                assertThat(added.event()).isEqualTo("ADDED");
            }
        }
    }

    @Test
    void aStoppingSeedManagerEndsItsStreamsRatherThanDrainingThemForTheWholeGracePeriod() {
        try (SeedManagerInstance stopping = SeedManagerInstance.start(dir.resolve("stopping"), Map.of("edgeplane.shutdown.drain", "40s"))) {
            assertThat(stopping.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
            try (SseClient watch = open(stopping, ADMIN_TOKEN, ACME + "?watch=true", null)) {
                watch.until(e -> e.event().equals("BOOKMARK"), SOON);
                long started = System.nanoTime();
                stopping.close();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped without waiting out the drain for the stream")
                        .isLessThan(Duration.ofSeconds(20));
                assertThat(watch.drain(Duration.ofSeconds(5))).noneMatch(e -> e.event().equals("ERROR"));
                assertThat(watch.next(Duration.ofSeconds(5))).as("ended").isNull();
            }
        }
    }

    private static SseClient open(SeedManagerInstance seed, String token, String path, String lastEventId) {
        int port = seed.port();
        SseClient client = SseClient.open(port, token, path, lastEventId);
        assertThat(client.status()).isEqualTo(200);
        return client;
    }

    private static void insertCluster(Connection db, String name) throws Exception {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("INSERT INTO clusters (id, project, name, datacenter, version, phase) VALUES ('c-" + name
                    + "', 'globex', '" + name + "', 'factory-bremen', 'v1.36.3', 'Creating')");
        }
    }

    private static String cluster(String name) {
        return "{\"name\":\"" + name + "\",\"datacenter\":\"factory-bremen\"}";
    }

    private static void created(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    }

    private static List<String> fields(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(List<Sse> events) {
        return events.stream().filter(e -> !e.event().equals("BOOKMARK")).map(e -> e.id() + " " + e.event() + " " + e.name()).toList();
    }

    private static void assertIncreasing(List<Sse> events) {
        long last = -1;
        for (Sse e : events) {
            if (e.id() != null && !e.event().equals("BOOKMARK")) {
                assertThat(e.seq()).isGreaterThan(last);
                last = e.seq();
            }
        }
    }
}
