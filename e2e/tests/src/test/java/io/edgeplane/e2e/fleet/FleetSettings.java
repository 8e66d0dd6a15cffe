package io.edgeplane.e2e.fleet;

import io.edgeplane.testbed.KwokBinary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs, from the environment; each is checked, the error naming it.
 *
 * @param sizes             EDGEPLANE_FLEET_SIZES: device counts, one run each (default 100,1000,10000)
 * @param devicesPerCluster EDGEPLANE_FLEET_DEVICES_PER_CLUSTER: a size is spread over as many clusters as this needs (default 1000)
 * @param heartbeat         EDGEPLANE_FLEET_HEARTBEAT_SECONDS: simulated agents' status writes without a change (default 40; real agents 20)
 * @param nodeLease         EDGEPLANE_FLEET_NODE_LEASE_SECONDS: simulated nodes' lease duration, renewed every quarter of it (default 160; kubelets 40)
 * @param settle            EDGEPLANE_FLEET_SETTLE_SECONDS: wait after every device is Ready before the idle window (default 60)
 * @param idle              EDGEPLANE_FLEET_IDLE_SECONDS: each of the two idle windows (default 180; the second with the agents reporting twice as often)
 * @param readyWithin       EDGEPLANE_FLEET_READY_MINUTES: how long to wait for every device to be Ready; a size that takes longer did
 *                          not fit, and is reported as saturated with where the CPU went (default 30)
 * @param realDevice        EDGEPLANE_FLEET_REAL_DEVICE: 1 (default) adds one real test-bed device to the first cluster, 0 none
 * @param out               EDGEPLANE_FLEET_OUT: where runs, logs, figures and the plot go (default e2e/tests/target/fleet-benchmark)
 */
record FleetSettings(List<Integer> sizes, int devicesPerCluster, Duration heartbeat, Duration nodeLease, Duration settle, Duration idle,
                     Duration readyWithin, boolean realDevice, Path out, Path jar, Path kubernetesBinaries, KwokBinary kwok, List<String> seedJavaOptions) {

    static FleetSettings fromEnvironment(Map<String, String> env, Path repository, Path kubernetesBinaries, KwokBinary kwok) {
        List<Integer> sizes = Arrays.stream(env.getOrDefault("EDGEPLANE_FLEET_SIZES", "100,1000,10000").split(","))
                .map(String::strip).map(s -> positive("EDGEPLANE_FLEET_SIZES", s)).toList();
        return new FleetSettings(sizes,
                positive("EDGEPLANE_FLEET_DEVICES_PER_CLUSTER", env.getOrDefault("EDGEPLANE_FLEET_DEVICES_PER_CLUSTER", "1000")),
                Duration.ofSeconds(positive("EDGEPLANE_FLEET_HEARTBEAT_SECONDS", env.getOrDefault("EDGEPLANE_FLEET_HEARTBEAT_SECONDS", "40"))),
                Duration.ofSeconds(positive("EDGEPLANE_FLEET_NODE_LEASE_SECONDS", env.getOrDefault("EDGEPLANE_FLEET_NODE_LEASE_SECONDS", "160"))),
                Duration.ofSeconds(positive("EDGEPLANE_FLEET_SETTLE_SECONDS", env.getOrDefault("EDGEPLANE_FLEET_SETTLE_SECONDS", "60"))),
                Duration.ofSeconds(positive("EDGEPLANE_FLEET_IDLE_SECONDS", env.getOrDefault("EDGEPLANE_FLEET_IDLE_SECONDS", "180"))),
                Duration.ofMinutes(positive("EDGEPLANE_FLEET_READY_MINUTES", env.getOrDefault("EDGEPLANE_FLEET_READY_MINUTES", "30"))),
                oneOrZero("EDGEPLANE_FLEET_REAL_DEVICE", env.getOrDefault("EDGEPLANE_FLEET_REAL_DEVICE", "1")),
                Path.of(env.getOrDefault("EDGEPLANE_FLEET_OUT", repository.resolve("e2e/tests/target/fleet-benchmark").toString())).toAbsolutePath(),
                repository.resolve("seed-manager/server/target/seed-manager.jar"), kubernetesBinaries, kwok,
                List.of(env.getOrDefault("EDGEPLANE_FLEET_SEED_JAVA_OPTS", "-XX:+UseG1GC").split(" ")));
    }

    private static boolean oneOrZero(String name, String value) {
        return switch (value.strip()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalArgumentException(name + ": must be 1 or 0, not '" + value + "'");
        };
    }

    static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException(name + ": must be a whole number above 0, not '" + value + "'");
    }
}
