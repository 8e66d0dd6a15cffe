package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a seed cluster changes on the host as a whole: kube-proxy's iptables rules and two kernel
 * settings, IPv4 forwarding (the CNI bridge plugin turns it on anyway; NodePorts reached from a
 * device need it) and iptables for bridged traffic (a pod's answer from a Service backend on the
 * same bridge must pass conntrack to be un-NATed). Being host-wide, they allow one seed cluster at a
 * time: claiming takes a file lock, which the kernel releases even when the JVM is killed. The
 * settings found are written down before anything changes, so that {@link #close()}, or after a
 * killed run the next test-bed run ({@link #sweepAbandoned}), removes the rules and puts the settings
 * back. All of it lives in /run, which a reboot clears together with the kernel state it describes.
 */
final class SeedHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeedHost.class);
    private static final Path DIR = Path.of("/run/edgeplane-testbed");
    private static final Path LOCK = DIR.resolve("seed-host.lock");
    private static final Path STATE = DIR.resolve("seed-host.properties");
    private static final List<Path> SETTINGS = List.of(
            Path.of("/proc/sys/net/ipv4/ip_forward"),
            Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"));
    private static final String KUBE_PROXY = "kube-proxy";
    /**
     * Whether this JVM claims the host. Checked before the lock file is opened again: closing any
     * channel on it would drop this JVM's lock (POSIX locks belong to the process, not the channel).
     */
    private static final AtomicBoolean CLAIMED = new AtomicBoolean();

    private final FileChannel lockFile;
    private final FileLock lock;
    private boolean closed;

    private SeedHost(FileChannel lockFile, FileLock lock) {
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Waits up to {@code timeout} for another run's seed cluster to finish, then takes the host. */
    static SeedHost claim(KubernetesBinaries binaries, Duration timeout) {
        if (!Files.isDirectory(Path.of("/proc/sys/net/bridge"))) {
            throw new IllegalStateException("the seed cluster needs iptables on bridged traffic: load the br_netfilter"
                    + " kernel module (modprobe br_netfilter)");
        }
        if (!CLAIMED.compareAndSet(false, true)) {
            throw new IllegalStateException("this JVM already runs a seed cluster; the host takes one at a time");
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(DIR);
            channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            SeedHost host = new SeedHost(channel, awaitLock(channel, timeout));
            if (Files.exists(STATE)) {
                restore();
            }
            Properties found = new Properties();
            found.setProperty(KUBE_PROXY, binaries.binary("kube-proxy").toString());
            for (Path setting : SETTINGS) {
                found.setProperty(setting.toString(), Files.readString(setting).strip());
            }
            try (var out = Files.newOutputStream(STATE)) {
                found.store(out, "host settings before the test bed's seed cluster changed them, and who removes its rules");
            }
            for (Path setting : SETTINGS) {
                write(setting, "1");
            }
            return host;
        } catch (IOException e) {
            close(channel);
            CLAIMED.set(false);
            throw new UncheckedIOException("the seed cluster cannot claim the host (it needs root): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            CLAIMED.set(false);
            throw e;
        }
    }

    /** Restores what a killed run's seed cluster left, unless a live seed cluster holds the host. */
    static void sweepAbandoned() {
        if (!Files.exists(STATE) || !CLAIMED.compareAndSet(false, true)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                LOG.warn("restoring the host state a killed test-bed run's seed cluster left");
                restore();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot restore the host state a killed seed cluster left in {}: {}", STATE, e.toString());
        } finally {
            CLAIMED.set(false);
        }
    }

    /** Removes kube-proxy's rules and puts the recorded settings back, then lets the next seed cluster in. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            restore();
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("cannot release the seed-host lock: {}", e.getMessage());
            }
            close(lockFile);
            CLAIMED.set(false);
        }
    }

    /** Needs the lock. The settings always go back; the record stays while kube-proxy's rules could not be removed. */
    private static void restore() {
        Properties found = new Properties();
        try (var in = Files.newInputStream(STATE)) {
            found.load(in);
            boolean rulesRemoved = KubeProxy.cleanup(Path.of(found.getProperty(KUBE_PROXY)));
            for (Path setting : SETTINGS) {
                write(setting, found.getProperty(setting.toString()));
            }
            if (rulesRemoved) {
                Files.delete(STATE);
            }
            LOG.info("seed host restored: {}, kube-proxy rules {}", found, rulesRemoved ? "removed" : "NOT removed");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the host state recorded in " + STATE, e);
        }
    }

    private static FileLock awaitLock(FileChannel channel, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another test-bed run kept its seed cluster for " + timeout.toSeconds()
                        + " s; the host takes one at a time (lock " + LOCK + ")");
            }
            if (!told) {
                LOG.info("waiting for another test-bed run's seed cluster to finish");
                told = true;
            }
            ApiServer.sleep(1000);
        }
    }

    private static void write(Path setting, String value) {
        try {
            Files.writeString(setting, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + setting + " to " + value + ": " + e.getMessage(), e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing the channel only releases the lock early
        }
    }
}
