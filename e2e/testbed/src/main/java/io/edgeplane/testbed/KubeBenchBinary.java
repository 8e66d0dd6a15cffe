package io.edgeplane.testbed;


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
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static KubeBenchBinary cached;

    /** The binary, built on first use; the same instance for the rest of this JVM. */
    public static synchronized KubeBenchBinary ensure() {
        if (cached != null) {
            return cached;
        }
        String pinned = ComponentVersions.pinned().kubeBench();
        Path path = PinnedTool.locate("kube-bench", "EDGEPLANE_KUBE_BENCH_BIN", pinned,
                p -> new KubeBenchBinary(p, pinned).run(Map.of(), "version").stdoutIfSucceeded().strip(), pinned::equals);
        cached = new KubeBenchBinary(path, pinned);
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
