package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.TestBedRun;

import java.nio.file.Path;
import java.time.Duration;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/** Waiting on API objects (clusters, devices) through the admin API, as an operator's script would. */
final class Clusters {
    private Clusters() {
    }

    static JsonNode awaitPhase(SeedManagerInstance seed, String path, String phase, Duration timeout) throws InterruptedException {
        return awaitField(seed, path, "phase", phase, timeout);
    }

    static JsonNode awaitField(SeedManagerInstance seed, String path, String field, String value, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = seed.get(ADMIN_TOKEN, path).json();
            if (value.equals(last.path(field).asText())) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(path + " never had " + field + "=" + value + ": " + last);
    }

    /** Control-plane processes outlive the seed manager on purpose; a failed test must not leave them running. */
    static void killComponentsOf(Path dataDir) {
        String clusters = dataDir.resolve("clusters").toString();
        ProcessHandle.allProcesses().filter(p -> TestBedRun.commandLine(p.pid()).contains(clusters)).forEach(ProcessHandle::destroyForcibly);
    }

    static void awaitGone(SeedManagerInstance seed, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (seed.get(ADMIN_TOKEN, path).status() == 404) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(path + " not deleted: " + seed.get(ADMIN_TOKEN, path));
    }
}
