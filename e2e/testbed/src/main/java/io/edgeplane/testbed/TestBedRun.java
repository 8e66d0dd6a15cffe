package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything one JVM's test-bed run owns lives under one run directory, and every process it
 * starts is recorded there. A shutdown hook stops them; a run whose JVM was killed is swept by
 * the next run, which kills its recorded processes and removes its directory.
 */
public final class TestBedRun {
    private static final Logger LOG = LoggerFactory.getLogger(TestBedRun.class);
    private static TestBedRun current;

    private final Path dir;
    private final List<ManagedProcess> processes = new ArrayList<>();

    private TestBedRun(Path dir) {
        this.dir = dir;
    }

    /** The run of this JVM, created (after sweeping leftovers of dead runs) on first use. */
    public static synchronized TestBedRun current() {
        if (current == null) {
            Path root = Path.of(Optional.ofNullable(System.getenv("EDGEPLANE_TESTBED_STATE")).orElse("/tmp/edgeplane-testbed"));
            sweepDeadRuns(root);
            ProcessHandle self = ProcessHandle.current();
            Path dir = root.resolve("run-" + self.pid());
            try {
                deleteTree(dir);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("owner"), self.pid() + " " + startMillis(self));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            current = new TestBedRun(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(current::close, "testbed-cleanup"));
        }
        return current;
    }

    public Path dir() {
        return dir;
    }

    /** A fresh directory for one component, e.g. {@code apiserver-1}. */
    public Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(dir, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized ManagedProcess track(ManagedProcess process) {
        processes.add(process);
        try {
            Files.writeString(dir.resolve("pids"), process.pid() + " " + process.name() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return process;
    }

    private synchronized void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove test-bed run directory {}: {}", dir, e.getMessage());
        }
    }

    private static void sweepDeadRuns(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(root, "run-*")) {
            for (Path run : runs) {
                if (!ownerAlive(run)) {
                    LOG.warn("sweeping leftovers of a killed test-bed run {}", run);
                    killRecorded(run);
                    deleteTree(run);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep old test-bed runs in " + root, e);
        }
    }

    private static boolean ownerAlive(Path run) {
        try {
            String[] owner = Files.readString(run.resolve("owner")).strip().split(" ");
            return ProcessHandle.of(Long.parseLong(owner[0]))
                    .filter(h -> Long.toString(startMillis(h)).equals(owner[1]))
                    .isPresent();
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** Kills recorded processes, but only those still running from this run's directory (PIDs get reused). */
    private static void killRecorded(Path run) throws IOException {
        Path pids = run.resolve("pids");
        if (!Files.exists(pids)) {
            return;
        }
        for (String line : Files.readAllLines(pids)) {
            long pid = Long.parseLong(line.split(" ")[0]);
            ProcessHandle.of(pid).filter(h -> commandLine(pid).contains(run.toString())).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static long startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
