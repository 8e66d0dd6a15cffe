package io.edgeplane.seedmanager.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a killed seed manager leaves behind: its server still running (children survive kill -9),
 * or a postmaster.pid whose PID is dead or now belongs to an unrelated process, which PostgreSQL
 * would refuse to start over.
 */
final class LeftoverServer {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverServer.class);

    private final Path dataDir;
    private final Function<String[], String> pgCtl;

    LeftoverServer(Path dataDir, Function<String[], String> pgCtl) {
        this.dataDir = dataDir;
        this.pgCtl = pgCtl;
    }

    void stopIfRunning() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        if (isOurServer(pid.get())) {
            LOG.warn("stopping PostgreSQL server left running by a previous seed manager pid={} data={}", pid.get(), dataDir);
            try {
                pgCtl.apply(new String[] {"stop", "-w", "-t", "60", "-m", "fast"});
            } catch (EmbeddedPostgresException e) {
                LOG.warn("fast stop failed pid={}: {}; killing it", pid.get(), e.getMessage());
                ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
                waitForExit(pid.get());
                Files.deleteIfExists(pidFile);
            }
        } else {
            LOG.warn("removing stale lock file {} (pid {} is not this server)", pidFile, pid.get());
            Files.deleteIfExists(pidFile);
        }
    }

    private boolean isOurServer(long pid) {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            List<String> args = List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
            return !args.isEmpty() && Path.of(args.get(0)).getFileName().toString().equals("postgres")
                    && args.contains(dataDir.toString());
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.of(-1L) : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (java.nio.file.NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException | NumberFormatException unreadable) {
            return Optional.of(-1L);
        }
    }

    private static void waitForExit(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            try {
                h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new EmbeddedPostgresException("leftover PostgreSQL pid " + pid + " did not exit", e);
            }
        });
    }
}
