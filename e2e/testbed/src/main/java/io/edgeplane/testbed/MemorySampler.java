package io.edgeplane.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Samples the summed resident memory of the processes a predicate selects (e.g. everything started
 * from one test-bed run) and keeps the peak. A bounded daemon sampler, stopped by {@link #close()}.
 */
public final class MemorySampler implements AutoCloseable {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "memory-sampler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong peakKib = new AtomicLong();

    public MemorySampler(Predicate<ProcessHandle> selected) {
        executor.scheduleAtFixedRate(() -> {
            long total = ProcessHandle.allProcesses().filter(selected).mapToLong(p -> rssKib(p.pid())).sum();
            peakKib.accumulateAndGet(total, Math::max);
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** Processes whose command line or cgroup mentions this test-bed run (daemons, shims, containers). */
    public static Predicate<ProcessHandle> ofRun(TestBedRun run) {
        String runDir = run.dir().toString();
        String cgroupTag = NodeCgroups.PREFIX + ProcessHandle.current().pid() + "-";
        return p -> TestBedRun.commandLine(p.pid()).contains(runDir) || cgroupOf(p.pid()).contains(cgroupTag)
                || run.ownsProcess(p.pid());
    }

    public long peakMiB() {
        return peakKib.get() / 1024;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Resident memory of {@code pid} in KiB; 0 when it is gone. */
    public static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile
        }
        return 0;
    }

    private static String cgroupOf(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"));
        } catch (IOException gone) {
            return "";
        }
    }
}
