package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What a seed cluster changes on the host as a whole: kube-proxy's iptables rules and two kernel
 * settings, IPv4 forwarding (the CNI bridge plugin turns it on anyway; NodePorts reached from a
 * device need it) and iptables for bridged traffic (a pod's answer from a Service backend on the
 * same bridge must pass conntrack to be un-NATed). Being host-wide, they allow one seed cluster at a
 * time: claiming takes a file lock, which the kernel releases even when the JVM is killed. The
 * settings found are written down before anything changes, so that {@link #close()}, or the next
 * claim after a killed run, removes the rules and puts the settings back. All of it lives in /run,
 * which a reboot clears together with the kernel state it describes.
 */
final class SeedHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeedHost.class);
    private static final Path DIR = Path.of("/run/edgeplane-testbed");
    private static final Path STATE = DIR.resolve("seed-host.properties");
    private static final Map<String, String> WANTED = Map.of(
            "net/ipv4/ip_forward", "1",
            "net/bridge/bridge-nf-call-iptables", "1");

    private final FileChannel lockFile;
    private final FileLock lock;
    private final KubernetesBinaries binaries;
    private boolean closed;

    private SeedHost(FileChannel lockFile, FileLock lock, KubernetesBinaries binaries) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.binaries = binaries;
    }

    /** Waits up to {@code timeout} for another run's seed cluster to finish, then takes the host. */
    static SeedHost claim(KubernetesBinaries binaries, Duration timeout) {
        if (!Files.isDirectory(Path.of("/proc/sys/net/bridge"))) {
            throw new IllegalStateException("the seed cluster needs iptables on bridged traffic: load the br_netfilter"
                    + " kernel module (modprobe br_netfilter)");
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(DIR);
            channel = FileChannel.open(DIR.resolve("seed-host.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = awaitLock(channel, timeout);
            SeedHost host = new SeedHost(channel, lock, binaries);
            if (Files.exists(STATE)) {
                LOG.warn("a killed test-bed run left its seed cluster's host state; restoring it first");
                host.restore();
            }
            Properties found = new Properties();
            WANTED.keySet().forEach(key -> found.setProperty(key, read(key)));
            try (var out = Files.newOutputStream(STATE)) {
                found.store(out, "host settings before the test bed's seed cluster changed them");
            }
            WANTED.forEach(SeedHost::write);
            return host;
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("the seed cluster cannot claim the host (it needs root): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
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
        }
    }

    /** The recorded settings always go back; the record stays while kube-proxy's rules could not be removed. */
    private void restore() {
        boolean rulesRemoved = KubeProxy.cleanup(binaries);
        Properties found = new Properties();
        try (var in = Files.newInputStream(STATE)) {
            found.load(in);
            found.stringPropertyNames().forEach(key -> write(key, found.getProperty(key)));
            if (rulesRemoved) {
                Files.delete(STATE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the host settings recorded in " + STATE, e);
        }
        LOG.info("seed host restored: {}, kube-proxy rules {}", found, rulesRemoved ? "removed" : "NOT removed");
    }

    private static FileLock awaitLock(FileChannel channel, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("this JVM already runs a seed cluster; the host takes one at a time");
            }
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another test-bed run kept its seed cluster for " + timeout.toSeconds()
                        + " s; the host takes one at a time (lock " + DIR.resolve("seed-host.lock") + ")");
            }
            if (!told) {
                LOG.info("waiting for another test-bed run's seed cluster to finish");
                told = true;
            }
            ApiServer.sleep(1000);
        }
    }

    private static String read(String key) {
        try {
            return Files.readString(Path.of("/proc/sys", key)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String key, String value) {
        try {
            Files.writeString(Path.of("/proc/sys", key), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + key + "=" + value + ": " + e.getMessage(), e);
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
