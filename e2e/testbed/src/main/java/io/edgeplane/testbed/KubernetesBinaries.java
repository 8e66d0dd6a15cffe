package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A directory holding etcd, the Kubernetes components and konnectivity at the pinned versions. Filled (once, then
 * cached) by bootstrap-scripts/fetch-binaries.sh; {@code EDGEPLANE_BINARIES_SOURCE=release} downloads
 * official releases instead of building from Go modules, and {@code EDGEPLANE_K8S_BIN_DIR} points
 * at a ready directory of binaries and skips the script entirely.
 */
public record KubernetesBinaries(Path dir, ComponentVersions versions) {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesBinaries.class);
    private static final List<String> REQUIRED = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kubelet", "kubectl", "kube-proxy", "konnectivity-server", "konnectivity-agent", "coredns");
    private static volatile KubernetesBinaries cached;

    public Path binary(String name) {
        return dir.resolve(name);
    }

    /** Ensures the binaries exist (building or downloading them on the first run) and returns them. */
    public static synchronized KubernetesBinaries ensure() {
        if (cached != null) {
            return cached;
        }
        ComponentVersions versions = ComponentVersions.pinned();
        String given = System.getenv("EDGEPLANE_K8S_BIN_DIR");
        Path dir = given != null && !given.isBlank() ? Path.of(given) : runFetchScript();
        for (String name : REQUIRED) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException("the test bed needs " + name + " in " + dir
                        + " (run bootstrap-scripts/fetch-binaries.sh or set EDGEPLANE_K8S_BIN_DIR)");
            }
        }
        cached = new KubernetesBinaries(dir, versions);
        return cached;
    }

    private static Path runFetchScript() {
        long started = System.nanoTime();
        Path scripts = BootstrapScripts.extract();
        try {
            Path log = scripts.resolve("fetch-binaries.log");
            ProcessBuilder builder = new ProcessBuilder("bash", scripts.resolve("fetch-binaries.sh").toString())
                    .redirectError(log.toFile());
            builder.environment().putIfAbsent("EDGEPLANE_BINARIES_SOURCE", "go");
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(90, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("fetch-binaries.sh failed:\n" + tail(log));
            }
            Path dir = Path.of(out.substring(out.lastIndexOf('\n') + 1));
            LOG.info("kubernetes binaries ready in {} ({} ms)", dir, (System.nanoTime() - started) / 1_000_000);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            BootstrapScripts.delete(scripts);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
