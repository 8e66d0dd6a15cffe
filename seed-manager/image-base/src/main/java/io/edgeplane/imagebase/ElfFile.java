package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dynamic-linking facts of one ELF file: its interpreter, the sonames it needs and its run paths.
 * Read from the program headers only (what the loader reads), so stripped files work too.
 */
public record ElfFile(int machine, Optional<String> interpreter, List<String> needed, List<String> runPaths) {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    /** Whether the file starts with the ELF magic. */
    public static boolean isElf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            ch.read(magic, 0);
            return magic.position() == 4 && magic.get(0) == 0x7f && magic.get(1) == 'E' && magic.get(2) == 'L'
                    && magic.get(3) == 'F';
        }
    }

    public static ElfFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return parse(buf, file.toString());
        }
    }

    static ElfFile parse(ByteBuffer buf, String name) {
        if (buf.limit() < 52 || buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
            throw new IllegalArgumentException(name + ": not an ELF file");
        }
        boolean wide = buf.get(4) == 2;
        buf.order(buf.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int machine = Short.toUnsignedInt(buf.getShort(18));
        long phoff = wide ? buf.getLong(32) : Integer.toUnsignedLong(buf.getInt(28));
        int phentsize = Short.toUnsignedInt(buf.getShort(wide ? 54 : 42));
        int phnum = Short.toUnsignedInt(buf.getShort(wide ? 56 : 44));

        List<long[]> loads = new ArrayList<>();
        Optional<String> interpreter = Optional.empty();
        long dynOffset = -1;
        long dynSize = 0;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            int type = buf.getInt(ph);
            long offset = wide ? buf.getLong(ph + 8) : Integer.toUnsignedLong(buf.getInt(ph + 4));
            long vaddr = wide ? buf.getLong(ph + 16) : Integer.toUnsignedLong(buf.getInt(ph + 8));
            long filesz = wide ? buf.getLong(ph + 32) : Integer.toUnsignedLong(buf.getInt(ph + 16));
            if (type == PT_LOAD) {
                loads.add(new long[] {vaddr, offset, filesz});
            } else if (type == PT_INTERP) {
                interpreter = Optional.of(string(buf, offset));
            } else if (type == PT_DYNAMIC) {
                dynOffset = offset;
                dynSize = filesz;
            }
        }
        if (dynOffset < 0) {
            return new ElfFile(machine, interpreter, List.of(), List.of());
        }
        int entry = wide ? 16 : 8;
        List<Long> neededOffsets = new ArrayList<>();
        List<Long> pathOffsets = new ArrayList<>();
        long strtab = -1;
        for (long at = dynOffset; at + entry <= dynOffset + dynSize; at += entry) {
            long tag = wide ? buf.getLong((int) at) : buf.getInt((int) at);
            long val = wide ? buf.getLong((int) at + 8) : Integer.toUnsignedLong(buf.getInt((int) at + 4));
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_NEEDED) {
                neededOffsets.add(val);
            } else if (tag == DT_RPATH || tag == DT_RUNPATH) {
                pathOffsets.add(val);
            } else if (tag == DT_STRTAB) {
                strtab = fileOffset(loads, val, name);
            }
        }
        if (strtab < 0) {
            throw new IllegalArgumentException(name + ": dynamic section without a string table");
        }
        List<String> needed = new ArrayList<>();
        for (long off : neededOffsets) {
            needed.add(string(buf, strtab + off));
        }
        List<String> runPaths = new ArrayList<>();
        for (long off : pathOffsets) {
            for (String p : string(buf, strtab + off).split(":")) {
                if (!p.isEmpty()) {
                    runPaths.add(p);
                }
            }
        }
        return new ElfFile(machine, interpreter, List.copyOf(needed), List.copyOf(runPaths));
    }

    /** Debian's multiarch directory name for this file's machine ({@code x86_64-linux-gnu}). */
    public String multiarchTriplet() {
        return switch (machine) {
            case EM_X86_64 -> "x86_64-linux-gnu";
            case EM_AARCH64 -> "aarch64-linux-gnu";
            default -> throw new IllegalStateException("unsupported ELF machine " + machine);
        };
    }

    private static long fileOffset(List<long[]> loads, long vaddr, String name) {
        for (long[] load : loads) {
            if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
                return vaddr - load[0] + load[1];
            }
        }
        throw new IllegalArgumentException(name + ": address " + Long.toHexString(vaddr) + " is in no loaded segment");
    }

    private static String string(ByteBuffer buf, long offset) {
        int start = (int) offset;
        int end = start;
        while (end < buf.limit() && buf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buf.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
