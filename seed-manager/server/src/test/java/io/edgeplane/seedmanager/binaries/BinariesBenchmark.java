package io.edgeplane.seedmanager.binaries;

import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.ReleaseMirror;
import io.edgeplane.testbed.TestBedRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How long each source takes to prepare a platform's binaries, through the seed manager's own fetch
 * (fetch-binaries.sh run by {@link FetchBinariesScript}) and verification (not a test; run on demand):
 * <pre>
 * mvn -B -q -pl seed-manager/server -am install -DskipTests
 * mvn -B -q -pl seed-manager/server exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.seedmanager.binaries.BinariesBenchmark
 * </pre>
 * Sources ({@code EDGEPLANE_BENCH_SOURCES}, default {@code directory,release,go,go-arm64}):
 * {@code directory}, a complete directory verified as it is; {@code release}, the release downloads
 * from the test bed's HTTPS mirror on loopback; {@code go}, the control plane built from the Go
 * modules with the Go caches as they are; {@code go-arm64}, the arm64 kubelet devices download.
 * Each run starts from an empty binaries directory; medians over {@code EDGEPLANE_BENCH_RUNS}
 * (default 3; the Go sources run once unless {@code EDGEPLANE_BENCH_GO_RUNS} says otherwise). For a
 * cold Go build, run it with empty caches: {@code GOMODCACHE=$(mktemp -d) GOCACHE=$(mktemp -d)
 * EDGEPLANE_CACHE_DIR=$(mktemp -d) EDGEPLANE_BENCH_SOURCES=go}.
 */
public final class BinariesBenchmark {
    private BinariesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "3"));
        int goRuns = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_GO_RUNS", "1"));
        List<String> sources = List.of(System.getenv().getOrDefault("EDGEPLANE_BENCH_SOURCES", "directory,release,go,go-arm64").split(","));
        KubernetesBinaries built = KubernetesBinaries.ensure();
        String version = built.versions().kubernetes();
        Platform seed = Platform.ofSeed(version);
        Platform arm = new Platform(version, "arm64");
        try (ReleaseMirror mirror = ReleaseMirror.start(built)) {
            for (String source : sources) {
                List<Long> millis = new ArrayList<>();
                int count = source.startsWith("go") ? goRuns : runs;
                for (int i = 0; i < count; i++) {
                    millis.add(switch (source) {
                        case "directory" -> verify(built.dir().getParent().getParent(), seed);
                        case "release" -> fetch(new BinariesSettings("release", mirror.kubernetesUrl(), mirror.etcdUrl(), mirror.caFile()), seed);
                        case "go" -> fetch(goSettings(), seed);
                        case "go-arm64" -> fetch(goSettings(), arm.isSeedArch() ? new Platform(version, "amd64") : arm);
                        default -> throw new IllegalArgumentException("unknown source " + source);
                    });
                }
                millis.sort(Comparator.naturalOrder());
                System.out.printf("binaries %s %s: median %.1f s over %d run(s) %s%n", source, version,
                        millis.get(millis.size() / 2) / 1000.0, millis.size(), millis);
            }
        } finally {
            TestBedRun.current().close();
        }
    }

    private static BinariesSettings goSettings() {
        return new BinariesSettings("go", "https://dl.k8s.io/release", "https://github.com/etcd-io/etcd/releases/download", null);
    }

    /** A complete directory, checked as the seed manager checks one it did not prepare: every checksum. */
    private static long verify(Path root, Platform platform) {
        long started = System.nanoTime();
        if (!new BinariesDirectory(root).isComplete(platform, platform.components())) {
            throw new IllegalStateException(root + " is not complete for " + platform);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** From an empty binaries directory to a verified one. */
    private static long fetch(BinariesSettings settings, Platform platform) throws Exception {
        Path root = Files.createTempDirectory("edgeplane-bench-binaries-");
        try {
            BinariesDirectory directory = new BinariesDirectory(root);
            long started = System.nanoTime();
            new FetchBinariesScript(settings).fetch(directory, platform, progress -> { });
            if (!directory.isComplete(platform, platform.components())) {
                throw new IllegalStateException(platform + " is not complete after the fetch");
            }
            return (System.nanoTime() - started) / 1_000_000;
        } finally {
            delete(root);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
