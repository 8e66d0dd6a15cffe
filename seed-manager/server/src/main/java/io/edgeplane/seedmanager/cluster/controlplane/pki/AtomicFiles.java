package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Files written under a temporary name, flushed and renamed: a crash leaves the old file or the
 * new one, never half of one (a truncated key would keep a component from starting).
 */
public final class AtomicFiles {
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** Directories this code creates hold private keys; nobody else needs to list them. */
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} unless the file already holds exactly it (then only its permissions
     * are corrected), so a repeated reconcile leaves modification times and watchers alone.
     *
     * @return whether the file was written
     */
    public static boolean writeIfChanged(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
            if (!Files.getPosixFilePermissions(file).equals(permissions)) {
                Files.setPosixFilePermissions(file, permissions);
            }
            return false;
        }
        write(file, content, permissions);
        return true;
    }

    static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE));
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // Set explicitly: the mode given at creation is narrowed by the process umask.
            Files.setPosixFilePermissions(tmp, permissions);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Makes the rename itself durable; some file systems cannot open a directory, and then the rename stands unsynced. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort only, see above
        }
    }
}
