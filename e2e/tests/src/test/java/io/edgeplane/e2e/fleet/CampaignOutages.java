package io.edgeplane.e2e.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The campaign's outages without a crash: PostgreSQL stopped under a running seed manager in the
 * middle of a fleet-wide update, and a fifth of the devices cut off while the fleet is stopped.
 */
final class CampaignOutages {
    private static final String PROJECT = FleetWorkloads.PROJECT;
    private static final Duration DATABASE_DOWN = Duration.ofSeconds(30);
    private static final Duration QUEUED_FOR = Duration.ofSeconds(20);

    private final CampaignRun run;

    CampaignOutages(CampaignRun run) {
        this.run = run;
    }

    void run(Map<String, List<String>> workloads, SimulatedFleet fleet, Set<String> site) throws Exception {
        databaseOutage(workloads);
        devicesCut(workloads, fleet, site);
    }

    /**
     * While the database is down the service stays up and says so: {@code /health} 503, reads and writes 503 with a message, and a
     * refused creation leaves nothing behind. Once PostgreSQL is back it recovers by itself, the same process, and the update
     * started before the outage finishes.
     */
    private void databaseOutage(Map<String, List<String>> workloads) throws Exception {
        List<String> notes = new ArrayList<>();
        run.round("database outage during an update", 0, Duration.ZERO, () -> {
            long pid = run.seed().pid();
            run.deploy(workloads, "1.1.0", false);
            Thread.sleep(3000);
            run.seed().stopPostgres();
            long down = System.nanoTime();
            try {
                observeOutage(notes);
                Thread.sleep(Math.max(0, DATABASE_DOWN.toMillis() - (System.nanoTime() - down) / 1_000_000));
            } finally {
                run.seed().startPostgres();   // whatever the checks found, the rest of the campaign needs its database
            }
            long back = System.nanoTime();
            run.operator().awaitHealthy();
            notes.add(String.format("database back after %.0f s down: healthy again in %.1f s, same process: %s",
                    (back - down) / 1e9, (System.nanoTime() - back) / 1e9, run.seed().pid() == pid));
            if (run.seed().pid() != pid) {
                throw new IllegalStateException("the seed manager was restarted during the outage");
            }
        }, () -> run.workloadsAre(workloads, "1.1.0", "running"), notes);
    }

    /** What the service says while its database is down; each answer goes into {@code notes}. */
    private void observeOutage(List<String> notes) throws Exception {
        Thread.sleep(5000);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + run.seed().port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        notes.add("database down: /health " + health.statusCode() + " " + oneLine(health.body()));
        long started = System.nanoTime();
        FleetApi.Reply list = run.api().get(PROJECT + "/clusters");
        notes.add(String.format("database down: GET clusters %d in %.1f s: %s", list.status(), (System.nanoTime() - started) / 1e9,
                oneLine(list.body())));
        started = System.nanoTime();
        FleetApi.Reply create = run.operator().once("POST", PROJECT + "/clusters", "{\"name\":\"camp-outage\",\"datacenter\":\"fleet\"}");
        notes.add(String.format("database down: POST cluster %d in %.1f s: %s", create.status(), (System.nanoTime() - started) / 1e9,
                oneLine(create.body())));
        run.deleted().add("camp-outage");   // refused while the database was down: it must not appear later
        if (health.statusCode() != 503 || list.status() != 503 || create.status() != 503) {
            throw new IllegalStateException("while the database was down: /health " + health.statusCode() + ", GET "
                    + list.status() + ", POST " + create.status() + " (503 wanted)");
        }
    }

    /**
     * A fifth of the devices lose their link (each cluster's site): the API shows them not Ready. A fleet-wide stop meanwhile is
     * accepted and queued, as the README's workloads section says: a workload's operation waits until all its devices can take it
     * ({@code pending_stop}, the message naming the devices it waits for), and no device stops before. Once the link is back the
     * devices are Ready again and every one of them stops.
     */
    private void devicesCut(Map<String, List<String>> workloads, SimulatedFleet fleet, Set<String> cut) throws Exception {
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> plan = new LinkedHashMap<>();
        workloads.forEach((key, nodes) -> plan.computeIfAbsent(FleetWorkloads.cluster(key), c -> new ArrayList<>()).addAll(nodes));
        run.round("a fifth of the devices cut off", 0, Duration.ZERO, () -> {
            long started = System.nanoTime();
            for (SimulatedCluster cluster : fleet.clusters()) {
                cluster.cutSite();
            }
            CampaignRun.await("cut devices shown not Ready", () -> run.ready(plan, cut) && noneReady(plan, cut));
            notes.add(String.format("%d devices cut: all shown not Ready after %.0f s", cut.size(), (System.nanoTime() - started) / 1e9));
            run.operate(workloads, "stop");
            CampaignRun.await("the stop queued", () -> queued(workloads));
            Thread.sleep(QUEUED_FOR.toMillis());
            if (!queued(workloads) || stoppedAny(workloads)) {
                throw new IllegalStateException("a stop queued behind cut devices was carried out in part");
            }
            notes.add(String.format("fleet-wide stop while cut: every workload pending_stop, waiting for its cut devices, none stopped after %d s",
                    QUEUED_FOR.toSeconds()));
            started = System.nanoTime();
            for (SimulatedCluster cluster : fleet.clusters()) {
                cluster.restoreSite();
            }
            CampaignRun.await("restored devices Ready", () -> run.ready(plan, Set.of()));
            notes.add(String.format("link restored: all Ready again after %.0f s", (System.nanoTime() - started) / 1e9));
            CampaignRun.await("the queued stop carried out", () -> run.workloadsAre(workloads, "1.1.0", "stopped"));
            notes.add(String.format("the queued stop reached every device %.0f s after the link came back", (System.nanoTime() - started) / 1e9));
        }, () -> run.workloadsAre(workloads, "1.1.0", "stopped"), notes);
    }

    /** Every workload holds its stop, saying which devices it waits for. */
    private boolean queued(Map<String, List<String>> workloads) {
        for (String key : workloads.keySet()) {
            FleetApi.Reply reply = CampaignRun.quietly(() -> run.api().get(FleetWorkloads.path(key)));
            if (reply == null || !"pending_stop".equals(reply.json().path("state").asText())
                    || !reply.json().path("message").asText().startsWith("waiting for ")) {
                return false;
            }
        }
        return true;
    }

    private boolean noneReady(Map<String, List<String>> plan, Set<String> cut) {
        for (String cluster : plan.keySet()) {
            List<com.fasterxml.jackson.databind.JsonNode> machines = CampaignRun.quietly(() -> run.api().list(FleetWorkloads.clusterPath(cluster)
                    + "/machinedeployments"));
            if (machines == null || machines.stream().anyMatch(m -> cut.contains(m.path("name").asText()) && "Ready".equals(m.path("phase").asText()))) {
                return false;
            }
        }
        return true;
    }

    private boolean stoppedAny(Map<String, List<String>> workloads) {
        for (String key : workloads.keySet()) {
            FleetApi.Reply reply = CampaignRun.quietly(() -> run.api().get(FleetWorkloads.path(key)));
            if (reply == null) {
                return true;   // not known yet: ask again
            }
            for (com.fasterxml.jackson.databind.JsonNode node : reply.json().path("nodeStates")) {
                if ("stopped".equals(node.path("state").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String oneLine(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
