package io.edgeplane.testbed.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Rejects binaries that cannot run on an empty base image. A dynamically linked binary names an
 * ELF interpreter (the libc loader), which a scratch image lacks; the container would then fail
 * with a bare "no such file or directory" that names neither the binary nor the cause.
 */
final class StaticBinaryCheck {
    private static final int PT_INTERP = 3;

    private StaticBinaryCheck() {
    }

    static void requireStatic(Path binary) {
        try (FileChannel file = FileChannel.open(binary)) {
            ByteBuffer header = read(file, 0, 64);
            if (header.getInt(0) != 0x7f454c46 || header.get(4) != 2) { // "\x7fELF", ELFCLASS64
                throw new IllegalArgumentException(binary + " is not a 64-bit ELF binary");
            }
            header.order(header.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long programHeaders = header.getLong(32);
            int entrySize = Short.toUnsignedInt(header.getShort(54));
            int entries = Short.toUnsignedInt(header.getShort(56));
            ByteBuffer table = read(file, programHeaders, entrySize * entries).order(header.order());
            for (int i = 0; i < entries; i++) {
                if (table.getInt(i * entrySize) == PT_INTERP) {
                    throw new IllegalArgumentException(binary + " is dynamically linked and cannot run on an empty"
                            + " base image; build it static (for Go: CGO_ENABLED=0)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + binary, e);
        }
    }

    private static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("truncated ELF file");
            }
        }
        return buffer.flip().order(ByteOrder.BIG_ENDIAN);
    }
}
