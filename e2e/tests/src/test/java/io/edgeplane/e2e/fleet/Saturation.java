package io.edgeplane.e2e.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fleet size that did not fit this machine: how many devices were {@code Ready} when the benchmark stopped waiting, and where
 * the machine's CPU went meanwhile (cores per kind of process over a window, busiest first, and the load average), so the
 * figures say what saturated first.
 */
record Saturation(int ready, int expected, double seconds, Duration window, Map<String, Double> cores, String loadAverage) {

    static Saturation measure(SeedManagerProcess seed, int ready, int expected, double seconds, Duration window) throws InterruptedException {
        Map<String, Double> before = seed.cpuSecondsByProcessKind();
        Thread.sleep(window.toMillis());
        Map<String, Double> after = seed.cpuSecondsByProcessKind();
        double windowSeconds = window.toMillis() / 1000.0;
        Map<String, Double> cores = after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / windowSeconds))
                .filter(e -> e.getValue() >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return new Saturation(ready, expected, seconds, window, cores, readLoadAverage());
    }

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    String describe() {
        return String.format("%d of %d devices Ready after %.0f s; load average %s; cores over %d s: %s", ready, expected, seconds, loadAverage,
                window.toSeconds(), cores.entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")));
    }
}
