package io.edgeplane.testbed.images;

import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.TestBedRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A containerd of its own (root, state, socket and config in the test-bed run) so that tests can
 * import images without touching the machine's containerd. No CRI: only the image store is needed.
 */
final class ThrowawayContainerd implements AutoCloseable {
    private static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    private static final Path CTR = Path.of("/usr/bin/ctr");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private final ManagedProcess process;

    private ThrowawayContainerd(Path socket, ManagedProcess process) {
        this.socket = socket;
        this.process = process;
    }

    static ThrowawayContainerd start() {
        for (Path binary : List.of(CONTAINERD, CTR)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("this test needs " + binary + ": install Debian package containerd");
            }
        }
        requireRoot();
        Path dir = TestBedRun.current().newDir("containerd");
        Path socket = dir.resolve("containerd.sock");
        Path config = writeConfig(dir, socket);
        ManagedProcess process = ManagedProcess.start("containerd " + dir, List.of(CONTAINERD.toString(),
                "--config", config.toString(), "--root", dir.resolve("root").toString(),
                "--state", dir.resolve("state").toString(), "--address", socket.toString()),
                dir.resolve("containerd.log"), Map.of());
        ThrowawayContainerd containerd = new ThrowawayContainerd(socket, process);
        containerd.awaitReady();
        return containerd;
    }

    /** Runs {@code ctr --address <socket> -n k8s.io <args>} (the namespace kubelet uses) and returns its output. */
    String ctr(String... args) {
        List<String> command = new ArrayList<>(List.of(CTR.toString(), "--address", socket.toString(), "-n", "k8s.io"));
        command.addAll(List.of(args));
        try {
            Process ctr = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ctr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ctr.waitFor(2, TimeUnit.MINUTES) || ctr.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output
                        + "\ncontainerd log " + process.log() + ":\n" + process.logTail(20));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.stop();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(socket)) {
                try {
                    ctr("version");
                    return;
                } catch (IllegalStateException notYet) {
                    // socket created before the gRPC server serves
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("containerd did not come up within " + READY_TIMEOUT.toSeconds()
                + " s; log " + process.log() + ":\n" + process.logTail(30));
    }

    private static void requireRoot() {
        try {
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
                throw new IllegalStateException("this test runs containerd, which needs root: run the tests as root");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeConfig(Path dir, Path socket) {
        // The CRI plugin would want CNI and a pause image; other snapshotters only log probe failures.
        String toml = """
                version = 2
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
                  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                  "io.containerd.snapshotter.v1.devmapper"]

                [grpc]
                  address = "%s"

                [ttrpc]
                  address = "%s.ttrpc"

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%s"
                """.formatted(socket, socket, dir.resolve("opt"));
        try {
            return Files.writeString(dir.resolve("config.toml"), toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
