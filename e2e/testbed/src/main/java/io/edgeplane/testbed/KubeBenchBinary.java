package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kube-bench binary ({@code github.com/aquasecurity/kube-bench}) at the version pinned in versions.env, for the
 * CIS Kubernetes Benchmark of tenant control planes. {@code EDGEPLANE_KUBE_BENCH_BIN} names a ready binary (e.g. the
 * official release's, unpacked with its {@code cfg/}); otherwise fetch-binaries.sh builds it from its Go module into
 * the binaries directory, once (minutes cold), as the opt-in component {@code kube-bench}, with upstream's benchmark
 * definitions beside it in {@code kube-bench-cfg/}.
 */
public record KubeBenchBinary(Path path, String version) {
    private static final Logger LOG = LoggerFactory.getLogger(KubeBenchBinary.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static KubeBenchBinary cached;

    /** The binary, built on first use; the same instance for the rest of this JVM. */
    public static synchronized KubeBenchBinary ensure() {
        if (cached != null) {
            return cached;
        }
        String pinned = ComponentVersions.pinned().kubeBench();
        String given = System.getenv("EDGEPLANE_KUBE_BENCH_BIN");
        boolean ready = given != null && !given.isBlank();
        Path path = ready ? Path.of(given)
                : FetchBinariesScript.run("kube-bench", Map.of("EDGEPLANE_BINARIES_COMPONENTS", "kube-bench")).resolve("kube-bench");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("kube-bench is not an executable file: " + path
                    + (ready ? " (EDGEPLANE_KUBE_BENCH_BIN)" : " (fetch-binaries.sh with EDGEPLANE_BINARIES_COMPONENTS=kube-bench)"));
        }
        KubeBenchBinary binary = new KubeBenchBinary(path, pinned);
        String reported = binary.run(Map.of(), "version").stdoutIfSucceeded().strip();
        if (!reported.equals(pinned)) {
            // The binaries directory is keyed by the Kubernetes version, so a kube-bench built for an older
            // pin stays there until removed; a binary the user chose is theirs to choose.
            String message = "kube-bench " + path + " reports " + reported + ", the pin is " + pinned;
            if (!ready) {
                throw new IllegalStateException(message + ": remove it and run again to build the pinned one");
            }
            LOG.warn("{} (EDGEPLANE_KUBE_BENCH_BIN)", message);
        }
        cached = binary;
        LOG.info("kube-bench binary={} version={}", path, reported);
        return cached;
    }

    /**
     * Upstream's benchmark definitions for this binary: {@code kube-bench-cfg/} beside it as fetch-binaries.sh puts
     * them, or {@code cfg/} beside it as the release archive has them.
     */
    public Path upstreamConfigDir() {
        return Stream.of("kube-bench-cfg", "cfg").map(path.toAbsolutePath().getParent()::resolve)
                .filter(dir -> Files.isRegularFile(dir.resolve("config.yaml"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kube-bench-cfg/config.yaml or cfg/config.yaml beside " + path));
    }

    /** Runs {@code kube-bench args...} with {@code env} on top of this JVM's environment (its audits see it). */
    public ToolRun run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(List.of(args));
        return ToolRun.run(command, env, TIMEOUT);
    }
}
