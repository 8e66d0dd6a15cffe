package io.edgeplane.seedmanager.cluster.controlplane.process;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps control-plane components running as child processes: restarts a dead one with exponential
 * backoff, and re-adopts one left running by a previous seed manager (found through its pid file,
 * checked against its command line so a reused PID is never mistaken for it). Processes outlive a
 * seed-manager restart on purpose: tenant control planes should not blink when Edgeplane does.
 */
@Singleton
public class ProcessSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSupervisor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Map<String, Supervised> processes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-supervisor");
        t.setDaemon(true);
        return t;
    });

    public ProcessSupervisor() {
        watcher.scheduleWithFixedDelay(this::restartDead, 1, 1, TimeUnit.SECONDS);
    }

    /** What to run, with extra environment; {@code dir} holds the pid file and log of this component. */
    public record Spec(String key, List<String> command, Map<String, String> env, Path dir) {
        Path pidFile() {
            return dir.resolve(name() + ".pid");
        }

        Path log() {
            return dir.resolve(name() + ".log");
        }

        String name() {
            return key.substring(key.lastIndexOf('/') + 1);
        }
    }

    /**
     * Makes sure {@code spec} runs with exactly this command line. A running process with another
     * command line (e.g. after an upgrade) is replaced. Returns whether it is running now.
     */
    public boolean ensure(Spec spec) {
        Supervised current = processes.compute(spec.key(), (key, existing) -> {
            if (existing != null && existing.spec.command().equals(spec.command()) && existing.spec.env().equals(spec.env())) {
                return existing;
            }
            if (existing != null) {
                LOG.info("process={} command changed, restarting", key);
                existing.stop();
            }
            Supervised supervised = new Supervised(spec);
            supervised.adoptOrStart();
            return supervised;
        });
        return current.isAlive();
    }

    /** Whether this key is supervised with another command line or environment (ensure would replace it). */
    public boolean runsOther(Spec spec) {
        Supervised existing = processes.get(spec.key());
        return existing != null && !(existing.spec.command().equals(spec.command()) && existing.spec.env().equals(spec.env()));
    }

    /** Whether this key runs, alive, with exactly this command line and environment. */
    public boolean runs(Spec spec) {
        Supervised existing = processes.get(spec.key());
        return existing != null && !runsOther(spec) && existing.isAlive();
    }

    public Optional<Long> pid(String key) {
        return Optional.ofNullable(processes.get(key)).flatMap(s -> Optional.ofNullable(s.handle)).map(ProcessHandle::pid);
    }

    public int restarts(String key) {
        Supervised s = processes.get(key);
        return s == null ? 0 : s.restarts;
    }

    /** Stops and forgets every process whose key starts with {@code prefix} (a cluster's). */
    public void stopAll(String prefix) {
        processes.keySet().stream().filter(k -> k.startsWith(prefix)).sorted(java.util.Comparator.reverseOrder()).forEach(k -> {
            Supervised s = processes.remove(k);
            if (s != null) {
                s.stop();
            }
        });
    }

    /** Stops a process found only through its pid file (e.g. a cluster deleted while no one supervised it). */
    public static void stopByPidFile(Path pidFile) {
        readPid(pidFile).flatMap(ProcessHandle::of).ifPresent(h -> terminate(h, Duration.ofSeconds(10)));
    }

    @PreDestroy
    void close() {
        // Leave the components running; the next seed manager adopts them.
        watcher.shutdownNow();
    }

    private void restartDead() {
        for (Supervised s : processes.values()) {
            try {
                s.restartIfDead();
            } catch (RuntimeException e) {
                LOG.warn("process={} restart failed: {}", s.spec.key(), e.getMessage());
            }
        }
    }

    private static final class Supervised {
        final Spec spec;
        volatile ProcessHandle handle;
        volatile int restarts;
        volatile Instant nextRestart = Instant.EPOCH;
        volatile boolean stopped;

        Supervised(Spec spec) {
            this.spec = spec;
        }

        boolean isAlive() {
            return handle != null && handle.isAlive();
        }

        void adoptOrStart() {
            Optional<ProcessHandle> adopted = readPid(spec.pidFile()).flatMap(ProcessHandle::of)
                    .filter(h -> commandLine(h.pid()).equals(spec.command()));
            if (adopted.isPresent()) {
                handle = adopted.get();
                LOG.info("process={} pid={} adopted", spec.key(), handle.pid());
                return;
            }
            readPid(spec.pidFile()).flatMap(ProcessHandle::of)
                    .filter(h -> commandLine(h.pid()).stream().anyMatch(a -> a.contains(spec.dir().toString())))
                    .ifPresent(stale -> terminate(stale, Duration.ofSeconds(10)));
            start();
        }

        synchronized void restartIfDead() {
            if (stopped || isAlive() || Instant.now().isBefore(nextRestart)) {
                return;
            }
            restarts++;
            long backoff = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(restarts, 10));
            nextRestart = Instant.now().plusMillis(backoff);
            LOG.warn("process={} died, restart {} (next backoff {} ms)", spec.key(), restarts, backoff);
            start();
        }

        void start() {
            try {
                Files.createDirectories(spec.dir());
                ProcessBuilder builder = new ProcessBuilder(spec.command())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
                builder.environment().putAll(spec.env());
                Process process = builder.start();
                handle = process.toHandle();
                Files.writeString(spec.pidFile(), Long.toString(process.pid()));
                LOG.info("process={} pid={} started", spec.key(), process.pid());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + spec.key() + ": " + e.getMessage(), e);
            }
        }

        synchronized void stop() {
            stopped = true;
            if (handle != null) {
                terminate(handle, Duration.ofSeconds(10));
            }
            try {
                Files.deleteIfExists(spec.pidFile());
            } catch (IOException e) {
                LOG.warn("process={} cannot remove pid file: {}", spec.key(), e.getMessage());
            }
        }
    }

    private static void terminate(ProcessHandle handle, Duration grace) {
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            handle.destroyForcibly();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException absent) {
            return Optional.empty();
        }
    }

    private static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return List.of(raw.split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }
}
