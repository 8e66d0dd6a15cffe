package io.edgeplane.e2e.fleet;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An operator (or a console) looking at the fleet while it works: every second, the first
 * cluster's device list page by page and one device by name, the workloads list. Its calls are
 * part of the phase's API latencies, so that list and get figures exist for every phase.
 */
final class OperatorLoad implements AutoCloseable {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "operator-load");
        t.setDaemon(true);
        return t;
    });

    OperatorLoad(FleetApi api, String project) {
        loop.scheduleWithFixedDelay(() -> {
            try {
                List<JsonNode> clusters = api.list(project + "/clusters");
                if (clusters.isEmpty()) {
                    return;
                }
                String cluster = project + "/clusters/" + clusters.get(0).path("name").asText();
                List<JsonNode> devices = api.list(cluster + "/machinedeployments");
                if (!devices.isEmpty()) {
                    api.get(cluster + "/machinedeployments/" + devices.get(devices.size() / 2).path("name").asText());
                }
                api.list(cluster + "/workloads");
            } catch (RuntimeException e) {
                // a call that failed is not a latency; the phase itself reports what does not work
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
