package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;

import java.time.Duration;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/** Waiting on tenant clusters through the admin API, as an operator's script would. */
final class Clusters {
    private Clusters() {
    }

    static JsonNode awaitPhase(SeedManagerInstance seed, String path, String phase, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = seed.get(ADMIN_TOKEN, path).json();
            if (phase.equals(last.path("phase").asText())) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cluster never reached " + phase + ": " + last);
    }

    static void awaitGone(SeedManagerInstance seed, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (seed.get(ADMIN_TOKEN, path).status() == 404) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cluster not deleted: " + seed.get(ADMIN_TOKEN, path));
    }
}
