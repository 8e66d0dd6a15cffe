package io.edgeplane.testbed.device;

import io.edgeplane.testbed.Mounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host's /run/netns. The first {@code ip netns add} on a host makes it a mount point (a shared
 * bind mount of itself) and it stays one after the last namespace is gone. The test bed notes when
 * it is the one that made it (a marker in /run, which a reboot clears together with the mount), and
 * the last test-bed run to leave, finding it empty, removes it again. Another user's namespaces, or a
 * mount that was there before, keep it.
 */
public final class NetnsDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(NetnsDirectory.class);
    static final Path NETNS = Path.of("/run/netns");
    static final Path STATE = Path.of("/run/edgeplane-testbed");
    private static final Path MARKER = STATE.resolve("netns-mount-made-by-testbed");

    private NetnsDirectory() {
    }

    /** Before the run's first namespace: remembers whether the test bed is about to make the mount. */
    static synchronized void beforeFirstNamespace() {
        if (isMountPoint() || Files.exists(MARKER)) {
            return;
        }
        try {
            Files.createDirectories(STATE);
            Files.writeString(MARKER, Files.isDirectory(NETNS) ? "mount\n" : "mount directory\n");
        } catch (IOException e) {
            LOG.warn("cannot record who mounts {}: {}", NETNS, e.getMessage());
        }
    }

    /** After the run's namespaces are gone: undoes the mount (and the directory) if the test bed made them and nobody uses them. */
    public static synchronized void releaseIfUnused() {
        try {
            if (!Files.exists(MARKER) || !isEmpty(NETNS)) {
                return;
            }
            boolean removeDirectory = Files.readString(MARKER).contains("directory");
            for (int i = 0; i < 2 && isMountPoint(); i++) {
                HostCommand.run(List.of("umount", "-n", NETNS.toString()), HostCommand.DEFAULT_TIMEOUT);
            }
            if (isMountPoint()) {
                LOG.warn("cannot unmount {}; it stays mounted", NETNS);
                return;
            }
            if (removeDirectory) {
                Files.deleteIfExists(NETNS);
            }
            Files.deleteIfExists(MARKER);
            removeStateIfEmpty();
            LOG.info("{} unmounted{}: the test bed made it", NETNS, removeDirectory ? " and removed" : "");
        } catch (DirectoryNotEmptyException inUse) {
            LOG.debug("{} is in use again", NETNS);
        } catch (IOException e) {
            LOG.warn("cannot release {}: {}", NETNS, e.getMessage());
        }
    }

    /** /run/edgeplane-testbed holds only markers; it goes when the last one does. */
    static void removeStateIfEmpty() {
        try {
            Files.deleteIfExists(STATE);
        } catch (DirectoryNotEmptyException stillUsed) {
            // another marker or lock remains
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", STATE, e.getMessage());
        }
    }

    private static boolean isMountPoint() {
        return Mounts.below(NETNS).contains(NETNS);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
