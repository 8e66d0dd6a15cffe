package io.edgeplane.testbed.device;

import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.TestBedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An edge device: its own network namespace (eth0 on the test bridge with a default route via the
 * host; or, created in a {@link Site}, eth0 on the site's private LAN behind its NAT router),
 * hostname, PID namespace and mount namespace in which /etc, /var, /root, /home, /opt, /usr/local,
 * /run and /tmp are the device's own; /usr, /bin, /lib and the kernel are the host's. Root runs a
 * real sshd on the device address with its own host key and the run's client key authorized, so a
 * script written for an Ubuntu machine runs unmodified inside.
 *
 * <p>A device is booted by a holder process that becomes PID 1 of the device's PID namespace;
 * everything else enters its namespaces with nsenter. Killing that PID 1 kills every process of
 * the device at once, which is a power cut; {@link #boot()} starts it again on the same disk.
 */
public final class Device implements AutoCloseable {
    public static final int SSH_PORT = 22;
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);
    /** A lowercase DNS name, usable as hostname, Kubernetes node name and file name. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");
    private static final Pattern DAEMON_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The environment of a root login on Ubuntu, rather than the JVM's. */
    private static final List<String> LOGIN_ENV = List.of("PATH=" + PATH, "HOME=/root", "USER=root", "LOGNAME=root",
            "SHELL=/bin/bash", "LANG=C.UTF-8");
    private static final String READY = "edgeplane-device-ready";
    /**
     * Kernel settings that are not per network namespace but that a kubelet sets on its machine
     * (vm.overcommit_memory, kernel.panic, ...). A device shares the host's kernel, so each gets a
     * private copy of these files: the kubelet reads back what it wrote, and the host keeps its values.
     */
    static final List<String> GLOBAL_TUNABLES = List.of("vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic",
            "kernel/panic_on_oops", "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes");
    /**
     * PID 1 of a device. Arguments: disk directory, hostname, an empty staging directory, a directory
     * for the private kernel settings, private directories. Runs in the device's network namespace and
     * fresh mount, UTS, IPC and PID namespaces (with /proc already the device's); mounts a sysfs of the
     * device's network namespace (so /sys/class/net lists its interfaces) but keeps the host's cgroup
     * hierarchies under it for a kubelet and containerd; gives the device its copies of the global
     * kernel settings; mounts the device's directories; then reaps orphans (bash reaps every child when
     * it waits) until it is killed. Every mount is made with -n: until its own /run is mounted, the
     * device sees the host's, where util-linux would otherwise leave its /run/mount.
     */
    private static final String INIT = """
            set -euo pipefail
            disk=$1
            hostname "$2"
            stage=$3
            tunables=$4
            for tunable in %s; do
              if [[ -e "/proc/sys/$tunable" ]]; then
                copy="$tunables/${tunable//\\//.}"
                cat "/proc/sys/$tunable" >"$copy"
                mount -n --bind "$copy" "/proc/sys/$tunable"
              fi
            done
            if mountpoint -q /sys/fs/cgroup; then
              mount -n --rbind /sys/fs/cgroup "$stage"
              umount -n --lazy /sys
              mount -n -t sysfs sysfs /sys
              mount -n --rbind "$stage" /sys/fs/cgroup
              umount -n --lazy "$stage"
            else
              umount -n --lazy /sys
              mount -n -t sysfs sysfs /sys
            fi
            for dir in "${@:5}"; do
              mount -n --bind "$disk/$dir" "/$dir"
            done
            mount -n -t tmpfs -o nosuid,nodev,mode=1777 shm /dev/shm
            echo %s
            trap 'exit 0' TERM
            while :; do
              sleep 3600 &
              wait $! || true
            done
            """.formatted(String.join(" ", GLOBAL_TUNABLES), READY);

    private final String name;
    private final String address;
    private final Path dir;
    private final Site site;
    private final Runnable unplug;
    private final DeviceDisk disk;
    private final DeviceLink link;
    private final HostKey hostKey;
    private final SshClientKey clientKey;
    private final List<ManagedProcess> daemons = new ArrayList<>();
    private ManagedProcess holder;
    private ProcessHandle init;
    private List<String> namespaceIds = List.of();
    private boolean closed;

    private Device(String name, String address, Path dir, Site site, Runnable unplug, DeviceDisk disk, DeviceLink link,
                   HostKey hostKey, SshClientKey clientKey) {
        this.name = name;
        this.address = address;
        this.dir = dir;
        this.site = site;
        this.unplug = unplug;
        this.disk = disk;
        this.link = link;
        this.hostKey = hostKey;
        this.clientKey = clientKey;
    }

    /**
     * Installs, plugs in and boots a device on the test network, routed: the host and the other
     * routed devices reach it at its address. Returns once its sshd accepts connections. It is closed
     * when the run ends if the caller does not close it first.
     */
    public static Device create(String name) {
        requireName("device", name);
        TestNetwork network = TestNetwork.current();
        TestBedRun run = TestBedRun.current();
        int host = network.attach(name);
        String address;
        DeviceLink link;
        try {
            address = network.subnet().address(host);
            link = new DeviceLink(run.namespaceName(name), run.interfaceName("ve", host), network.bridge(),
                    address, network.hostAddress());
        } catch (RuntimeException e) {
            network.detach(name);
            throw e;
        }
        return install(name, address, link, null, () -> network.detach(name));
    }

    /**
     * Installs, plugs in and boots a device on the private LAN of {@code site}, behind its NAT router:
     * nothing outside the site reaches it, and it reaches the seed's address on the test network
     * ({@link TestNetwork#hostAddress()}) only. Its sshd runs, but only the device itself (and others
     * of its site) can connect to it: provision it with {@link #exec}. Returns once sshd listens; closed
     * with its site, or when the run ends, if the caller does not close it first.
     */
    public static Device create(String name, Site site) {
        requireName("device", name);
        TestBedRun run = TestBedRun.current();
        int host = site.attach(name);
        String address;
        DeviceLink link;
        try {
            address = site.subnet().address(host);
            link = site.lanLink(run.namespaceName(name), host, address);
        } catch (RuntimeException e) {
            site.detach(name);
            throw e;
        }
        Device device = install(name, address, link, site, () -> site.detach(name));
        site.adopt(device);
        return device;
    }

    static void requireName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " name must be a lowercase DNS name (letters, digits, '-', '.'; "
                    + "at most 63 characters): " + name);
        }
    }

    /** Makes the device's disk and keys, then its link, then boots it; a failure leaves nothing behind. */
    private static Device install(String name, String address, DeviceLink link, Site site, Runnable unplug) {
        long started = System.nanoTime();
        TestBedRun run = TestBedRun.current();
        Device device;
        try {
            Path dir = run.dir().resolve("devices").resolve(name);
            Directories.delete(dir); // an earlier device of this name whose close failed half way
            DeviceDisk disk = new DeviceDisk(dir.resolve("disk"));
            SshClientKey clientKey = SshClientKey.of(run);
            HostKey hostKey = disk.install(name, address, clientKey.publicKey());
            device = new Device(name, address, dir, site, unplug, disk, link, hostKey, clientKey);
        } catch (RuntimeException e) {
            unplug.run();
            throw e;
        }
        run.onClose("device " + name, device::close);
        try {
            device.link.create();
            device.boot();
        } catch (RuntimeException e) {
            try {
                device.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.info("device={} address={}{} created in {} ms", name, device.address,
                site == null ? "" : " behind site=" + site.name(), (System.nanoTime() - started) / 1_000_000);
        return device;
    }

    public String name() {
        return name;
    }

    /**
     * The device's IPv4 address, where its sshd listens: on the test network for a routed device; on
     * its site's private LAN for a device behind a NAT (the same address may then exist in another site).
     */
    public String address() {
        return address;
    }

    /** The site whose NAT the device sits behind; empty for a device routed on the test network. */
    public Optional<Site> site() {
        return Optional.ofNullable(site);
    }

    /** The device's network namespace, for {@code ip netns exec} when debugging. */
    public String namespace() {
        return link.namespace();
    }

    /** The device's directory on the host: {@code disk/} (its private directories) and {@code logs/}. */
    public Path dir() {
        return dir;
    }

    /**
     * Outer end of the device's veth pair, the one {@link #cutOff()} takes down: on the host in the test
     * network's bridge for a routed device; in the site router's namespace for a device behind a NAT.
     */
    String hostInterface() {
        return link.outerInterface();
    }

    /** Where a file of the device, e.g. {@code /var/lib/kubelet/config.yaml}, lives on the host. */
    public Path hostPath(String devicePath) {
        return disk.hostPath(devicePath);
    }

    /** Private key (OpenSSH format, ed25519) that root on every device of this run accepts. */
    public Path sshPrivateKey() {
        return clientKey.privateKey();
    }

    /** The sshd host key as {@code ssh-ed25519 AAAA...}, to pin in known_hosts. */
    public String hostPublicKey() {
        return hostKey.publicKey();
    }

    /** The sshd host key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:...}. */
    public String hostKeyFingerprint() {
        return hostKey.fingerprint();
    }

    /** Runs a command as root inside the device (all its namespaces, a root login's environment, cwd /). */
    public CommandResult exec(String... command) {
        return exec(List.of(command), Map.of(), HostCommand.DEFAULT_TIMEOUT);
    }

    /** Runs a command as root inside the device with extra environment variables, failing after {@code timeout}. */
    public CommandResult exec(List<String> command, Map<String, String> env, Duration timeout) {
        return HostCommand.run(inside(command, env), timeout);
    }

    /**
     * {@code GET url} from inside the device's network namespace with curl (which devices share with
     * the host), at most {@code 5 s}: exit code 0 and the body on stdout if it answered 2xx; curl's
     * exit code otherwise (7: refused, 28: timed out, 22: an HTTP error). Never throws for a failed
     * request, so that "nothing answers" can be asserted too.
     */
    public CommandResult httpGet(String url) {
        return exec(List.of("curl", "-sS", "--fail", "--max-time", "5", url), Map.of(), Duration.ofSeconds(15));
    }

    /**
     * Starts a long-running process (containerd, kubelet, ...) inside the device; its output goes to
     * {@code logs/<name>.log} in the device directory. It dies with the device.
     */
    public synchronized ManagedProcess start(String name, List<String> command, Map<String, String> env) {
        if (!DAEMON_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("process name must be a plain file name: " + name);
        }
        ManagedProcess process = ManagedProcess.start(this.name + "/" + name, inside(command, env), newLog(name), Map.of());
        daemons.add(process);
        return process;
    }

    /** Stops a process started with {@link #start}: SIGTERM to it, SIGKILL after a grace period. */
    public void stop(ManagedProcess process) {
        // The process we hold is nsenter, which does not forward signals: terminating it would only
        // orphan the daemon. So the daemon itself (nsenter's child) gets the SIGTERM.
        ProcessHandle.of(process.pid()).ifPresent(nsenter -> {
            nsenter.children().forEach(ProcessHandle::destroy);
            awaitExit(nsenter, STOP_GRACE);
        });
        process.stop();
        synchronized (this) {
            daemons.remove(process);
        }
    }

    /**
     * Unplugs the device (outer end of its veth down: the host's for a routed device, the site router's
     * for one behind a NAT, so the rest of its site stays connected); everything on it keeps running.
     */
    public void cutOff() {
        requireOpen();
        link.cutOff();
        LOG.info("device={} cut off from the test network", name);
    }

    /** Plugs the device back in after {@link #cutOff()}. */
    public void reconnect() {
        requireOpen();
        link.reconnect();
        LOG.info("device={} reconnected to the test network", name);
    }

    public boolean isConnected() {
        return !closed && link.isConnected();
    }

    public synchronized boolean isRunning() {
        return init != null && init.isAlive();
    }

    /**
     * Power cut: every process of the device dies at once. Its disk, address and network stay;
     * {@link #boot()} starts it again.
     */
    public synchronized void kill() {
        if (init == null) {
            return;
        }
        // SIGKILL to PID 1 of a PID namespace makes the kernel kill every process in it.
        init.destroyForcibly();
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        while (!processIds().isEmpty() && System.nanoTime() < deadline) {
            pause();
        }
        List<Long> survivors = processIds();
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("device " + name + ": processes " + survivors + " survived a kill for " + KILL_TIMEOUT);
        }
        awaitExit(ProcessHandle.of(holder.pid()).orElse(null), KILL_TIMEOUT);
        init = null;
        holder = null;
        daemons.clear();
        LOG.info("device={} killed", name);
    }

    /**
     * Boots the device (again, after {@link #kill()}): empties /run and /tmp, starts PID 1 and sshd,
     * and returns once sshd accepts connections (or has written its pid file while the device is cut off).
     */
    public synchronized void boot() {
        requireOpen();
        if (isRunning()) {
            throw new IllegalStateException("device " + name + " is already running");
        }
        long started = System.nanoTime();
        disk.clearVolatile();
        Path stage = dir.resolve("stage");
        createDirectory(stage);
        Path tunables = dir.resolve("kernel");
        createDirectory(tunables);
        // nsenter rather than `ip netns exec`, whose fresh /sys would hide the host's cgroup hierarchies.
        List<String> command = new ArrayList<>(List.of(HostTool.ENV.path(), "-i", "PATH=" + PATH,
                HostTool.NSENTER.path(), "--net=" + link.namespacePath(), "--",
                HostTool.UNSHARE.path(), "--pid", "--fork", "--kill-child", "--mount-proc", "--uts", "--ipc", "--mount",
                "--propagation", "private",
                HostTool.BASH.path(), "-c", INIT, "device-init", disk.root().toString(), name, stage.toString(),
                tunables.toString()));
        command.addAll(DeviceDisk.PRIVATE_DIRS);
        holder = ManagedProcess.start("device " + name, command, newLog("init"), Map.of());
        try {
            init = awaitInit();
            namespaceIds = Stream.of("pid", "net").map(ns -> namespaceId(init.pid(), ns)).flatMap(Optional::stream).toList();
            ManagedProcess sshd = start("sshd", List.of(HostTool.SSHD.path(), "-D", "-e"), Map.of());
            awaitSshd(sshd);
        } catch (RuntimeException e) {
            abortBoot();
            throw e;
        }
        LOG.info("device={} address={} booted, sshd ready in {} ms", name, address, (System.nanoTime() - started) / 1_000_000);
    }

    /** A failed boot leaves nothing running: with --kill-child, PID 1 dies with the holder. */
    private void abortBoot() {
        if (init != null) {
            kill();
            return;
        }
        ProcessHandle.of(holder.pid()).ifPresent(h -> {
            h.destroyForcibly();
            awaitExit(h, KILL_TIMEOUT);
        });
        holder = null;
        daemons.clear();
    }

    /** Host pids of the device's processes: those in its PID or network namespace. */
    public synchronized List<Long> processIds() {
        if (namespaceIds.isEmpty()) {
            return List.of();
        }
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            return proc.map(p -> p.getFileName().toString())
                    .filter(f -> f.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> Stream.of("pid", "net").map(ns -> namespaceId(pid, ns))
                            .flatMap(Optional::stream).anyMatch(namespaceIds::contains))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the device's processes (daemons gracefully, newest first), then removes its namespaces, veth and directory. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            List<ManagedProcess> newestFirst;
            synchronized (this) {
                newestFirst = isRunning() ? new ArrayList<>(daemons) : new ArrayList<>();
            }
            Collections.reverse(newestFirst);
            newestFirst.forEach(this::stop);
            kill();
        } finally {
            link.delete();
            unplug.run();
            Directories.delete(dir);
            LOG.info("device={} closed", name);
        }
    }

    @Override
    public String toString() {
        return "device " + name + " (" + address + ")";
    }

    /** nsenter into every namespace of the device, then a clean root environment for the command. */
    private List<String> inside(List<String> command, Map<String, String> env) {
        if (command.isEmpty() || command.get(0).contains("=")) {
            throw new IllegalArgumentException("not a command: " + command);
        }
        ProcessHandle pid1 = requireRunning();
        List<String> argv = new ArrayList<>(List.of(HostTool.NSENTER.path(), "--target", Long.toString(pid1.pid()),
                "--mount", "--uts", "--ipc", "--net", "--pid", "--", HostTool.ENV.path(), "-i"));
        argv.addAll(LOGIN_ENV);
        env.forEach((key, value) -> {
            if (!ENV_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("not an environment variable name: " + key);
            }
            argv.add(key + "=" + value);
        });
        argv.addAll(command);
        return argv;
    }

    private synchronized ProcessHandle requireRunning() {
        requireOpen();
        if (!isRunning()) {
            throw new IllegalStateException("device " + name + " is not running (killed, or its PID 1 died; see "
                    + dir.resolve("logs") + ")");
        }
        return init;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("device " + name + " is closed");
        }
    }

    /** Waits for PID 1 to report its mounts done, and finds it among the holder's descendants. */
    private ProcessHandle awaitInit() {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!holder.isAlive()) {
                throw new IllegalStateException("device " + name + " did not boot:\n" + holder.logTail(20));
            }
            if (readLog(holder.log()).contains(READY)) {
                Optional<ProcessHandle> pid1 = ProcessHandle.of(holder.pid()).stream()
                        .flatMap(ProcessHandle::descendants)
                        .filter(p -> isNamespaceInit(p.pid()))
                        .findFirst();
                if (pid1.isPresent()) {
                    return pid1.get();
                }
            }
            pause();
        }
        throw new IllegalStateException("device " + name + " did not boot within " + BOOT_TIMEOUT + ":\n" + holder.logTail(20));
    }

    private void awaitSshd(ManagedProcess sshd) {
        Path pidFile = disk.hostPath("/run/sshd.pid");
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd of device " + name + " exited:\n" + sshd.logTail(20));
            }
            // sshd writes its pid file once it listens; from the host that is checked where the host can connect.
            if (Files.exists(pidFile) && (!link.isRoutedFromHost() || !link.isConnected() || acceptsConnections(address, SSH_PORT))) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("sshd of device " + name + " not ready within " + BOOT_TIMEOUT + ":\n" + sshd.logTail(20));
    }

    private static boolean acceptsConnections(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** A process that is PID 1 of a PID namespace below ours: /proc/<pid>/status reads "NSpid: <pid> 1". */
    private static boolean isNamespaceInit(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("NSpid:"))
                    .map(line -> line.substring("NSpid:".length()).strip().split("\\s+"))
                    .anyMatch(ids -> ids.length > 1 && ids[ids.length - 1].equals("1"));
        } catch (IOException gone) {
            return false;
        }
    }

    private static Optional<String> namespaceId(long pid, String namespace) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", namespace)).toString());
        } catch (IOException | UnsupportedOperationException gone) {
            return Optional.empty();
        }
    }

    /** {@code logs/<name>.log}, or {@code <name>-2.log}, ... so that logs of earlier boots are kept. */
    private Path newLog(String daemon) {
        Path logs = dir.resolve("logs");
        Path log = logs.resolve(daemon + ".log");
        for (int i = 2; Files.exists(log); i++) {
            log = logs.resolve(daemon + "-" + i + ".log");
        }
        return log;
    }

    private static void createDirectory(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitExit(ProcessHandle process, Duration timeout) {
        if (process == null) {
            return;
        }
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException stillRunning) {
            LOG.debug("process {} still running after {}", process.pid(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
