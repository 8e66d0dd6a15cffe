package io.edgeplane.testbed;

import io.edgeplane.testbed.device.NetnsDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything one JVM's test-bed run owns lives under one run directory, and every process it
 * starts is recorded there. A shutdown hook stops them; a run whose JVM was killed is swept by
 * the next run, which kills its recorded processes and removes its directory.
 */
public final class TestBedRun {
    private static final Logger LOG = LoggerFactory.getLogger(TestBedRun.class);
    private static TestBedRun current;
    /** Kernel objects carry the id of the run that made them, so that a later run can sweep them. */
    private static final Pattern NAMESPACE = Pattern.compile("edgeplane-(\\d{1,10})-[A-Za-z0-9.-]+");
    /** Interface kinds: br (bridge), ve (host end of a veth pair). */
    private static final Pattern INTERFACE = Pattern.compile("ep(?:br|ve)(\\d{1,10})(?:x\\d+)?");
    private static final int MAX_INTERFACE_NAME = 15;

    private final Path dir;
    private boolean closed;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<Map.Entry<String, Runnable>> closeActions = new ArrayList<>();

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

    /** Whether {@code pid} is a process this run started, or a descendant of one. */
    public synchronized boolean ownsProcess(long pid) {
        for (ManagedProcess p : processes) {
            if (p.pid() == pid || ProcessHandle.of(p.pid()).map(h -> h.descendants().anyMatch(d -> d.pid() == pid)).orElse(false)) {
                return true;
            }
        }
        return false;
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

    /** The run's id: the owning JVM's pid, as in the run directory's name. */
    public String id() {
        return dir.getFileName().toString().substring("run-".length());
    }

    /** Name of one of this run's network namespaces: {@code edgeplane-<id>-<name>}. */
    public String namespaceName(String name) {
        String namespace = "edgeplane-" + id() + "-" + name;
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a valid network namespace suffix: " + name);
        }
        return namespace;
    }

    /** Name of one of this run's interfaces: {@code ep<kind><id>}, kind being {@code br} or {@code ve}. */
    public String interfaceName(String kind) {
        return checkedInterfaceName("ep" + kind + id());
    }

    /** Name of one of a set of this run's interfaces: {@code ep<kind><id>x<number>}. */
    public String interfaceName(String kind, int number) {
        return checkedInterfaceName("ep" + kind + id() + "x" + number);
    }

    private static String checkedInterfaceName(String name) {
        if (!INTERFACE.matcher(name).matches() || name.length() > MAX_INTERFACE_NAME) {
            throw new IllegalArgumentException("interface name " + name + " is not a test-bed name of at most "
                    + MAX_INTERFACE_NAME + " characters");
        }
        return name;
    }

    /**
     * Runs {@code action} when the run ends, before its processes are stopped, the last registered first:
     * a device goes before the network it is plugged into, and its daemons are stopped before its
     * namespaces are removed. A failing action is logged and the others still run.
     */
    public synchronized void onClose(String what, Runnable action) {
        closeActions.add(Map.entry(what, action));
    }

    /** Sweeps leftovers of runs whose owner is gone; done when a run starts, callable again (e.g. by its tests). */
    public void sweepLeftovers() {
        sweepDeadRuns(dir.getParent());
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

    /**
     * Tears the run down now. The shutdown hook does the same; call it where hooks cannot load
     * classes any more (e.g. code run inside Maven via exec:java). Idempotent.
     */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = closeActions.size() - 1; i >= 0; i--) {
            Map.Entry<String, Runnable> action = closeActions.get(i);
            try {
                action.getValue().run();
            } catch (RuntimeException e) {
                LOG.warn("test-bed cleanup of {} failed: {}", action.getKey(), e.getMessage());
            }
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        killStragglers(dir);
        long self = ProcessHandle.current().pid();
        NodeCgroups.sweep(pid -> pid != self);
        if ("1".equals(System.getenv("EDGEPLANE_TESTBED_KEEP"))) {
            // Logs and configs stay for debugging; the next run's sweep removes them.
            LOG.info("keeping test-bed run directory {} (EDGEPLANE_TESTBED_KEEP=1)", dir);
            return;
        }
        try {
            Mounts.unmountBelow(dir);
            deleteTree(dir);
            deleteIfEmpty(dir.getParent());
        } catch (IOException e) {
            LOG.warn("cannot remove test-bed run directory {}: {}", dir, e.getMessage());
        }
    }

    /** The state root goes with the last run that used it. */
    private static void deleteIfEmpty(Path root) {
        try {
            Files.deleteIfExists(root);
        } catch (DirectoryNotEmptyException anotherRun) {
            // a run of another JVM still lives there
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", root, e.getMessage());
        }
    }

    private static void sweepDeadRuns(Path root) {
        NodeCgroups.sweep(pid -> Files.isDirectory(root.resolve("run-" + pid)) && ownerAlive(root.resolve("run-" + pid)));
        sweepAbandonedKernelObjects(root);
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> runs = Files.newDirectoryStream(root, "run-*")) {
                for (Path run : runs) {
                    if (!ownerAlive(run)) {
                        LOG.warn("sweeping leftovers of a killed test-bed run {}", run);
                        killRecorded(run);
                        Mounts.unmountBelow(run);
                        deleteTree(run);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sweep old test-bed runs in " + root, e);
            }
        }
        NetnsDirectory.releaseIfUnused();
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
    /**
     * Kills processes that point into the run directory but are nobody's child any more, such as
     * containerd shims, which re-parent themselves and outlive the containerd that started them.
     */
    private static void killStragglers(Path run) {
        String marker = run.toString() + "/";
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid() && commandLine(p.pid()).contains(marker))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static void killRecorded(Path run) throws IOException {
        killStragglers(run);
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

    /**
     * Removes network namespaces (and every process in them), interfaces and mounts named after a run
     * that is gone. Objects without a test-bed name are never touched. Best effort: without iproute2
     * there is nothing of ours to sweep.
     */
    private static void sweepAbandonedKernelObjects(Path root) {
        for (String line : outputLines(ipCommand(), "netns", "list")) {
            String namespace = line.split(" ")[0];
            Matcher name = NAMESPACE.matcher(namespace);
            if (name.matches() && abandoned(root, name.group(1))) {
                LOG.warn("sweeping network namespace {} of a killed test-bed run", namespace);
                List<ProcessHandle> inside = outputLines(ipCommand(), "netns", "pids", namespace).stream()
                        .map(pid -> ProcessHandle.of(Long.parseLong(pid.strip()))).flatMap(Optional::stream).toList();
                inside.forEach(ProcessHandle::destroyForcibly);
                inside.forEach(TestBedRun::awaitExit);
                outputLines(ipCommand(), "netns", "delete", namespace);
            }
        }
        for (String line : outputLines(ipCommand(), "-o", "link", "show")) {
            String[] fields = line.split(": ", 3);
            String link = fields.length > 1 ? fields[1].split("@")[0] : "";
            Matcher name = INTERFACE.matcher(link);
            if (name.matches() && abandoned(root, name.group(1))) {
                LOG.warn("sweeping interface {} of a killed test-bed run", link);
                outputLines(ipCommand(), "link", "delete", link);
            }
        }
        Pattern runDir = Pattern.compile(Pattern.quote(root.toString()) + "/run-(\\d{1,10})(?:/.*)?");
        Pattern namespaceFile = Pattern.compile(".*/" + NAMESPACE.pattern());
        for (Path mount : Mounts.below(Path.of("/"))) {
            String mountPoint = mount.toString();
            Matcher inRun = runDir.matcher(mountPoint);
            Matcher namespace = namespaceFile.matcher(mountPoint);
            String id = inRun.matches() ? inRun.group(1) : namespace.matches() ? namespace.group(1) : null;
            if (id != null && abandoned(root, id)) {
                LOG.warn("sweeping mount {} of a killed test-bed run", mountPoint);
                outputLines("umount", "-n", "--lazy", mountPoint);
            }
        }
    }

    /** A run is gone when its directory has no live owner, or, with no directory, its pid is free (or ours, before we start). */
    private static boolean abandoned(Path root, String id) {
        Path run = root.resolve("run-" + id);
        if (Files.isDirectory(run)) {
            return !ownerAlive(run);
        }
        long pid = Long.parseLong(id);
        return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isEmpty();
    }

    private static String ipCommand() {
        return Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse("ip");
    }

    /** Output lines of a host command; none when it is missing, fails or hangs: sweeping is best effort. */
    private static List<String> outputLines(String... command) {
        Path output = null;
        try {
            // Output goes to a file, not a pipe, so that a hanging command cannot block the read.
            output = Files.createTempFile("edgeplane-sweep-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                LOG.debug("{} failed: {}", String.join(" ", command), text.strip());
                return List.of();
            }
            return text.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            LOG.debug("cannot run {}: {}", command[0], e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** Polls /proc: onExit() of a process that is not our child reacts only after seconds. */
    private static void awaitExit(ProcessHandle process) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!exited(process.pid())) {
            if (System.nanoTime() > deadline) {
                LOG.warn("process {} survived SIGKILL for 5 s", process.pid());
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Gone, or a zombie waiting for a parent (perhaps an init that does not reap) to collect it. */
    private static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException gone) {
            return true;
        }
    }

    /** The command line of {@code pid}, arguments joined by spaces; empty when it is gone. */
    public static String commandLine(long pid) {
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
