package io.edgeplane.provisioner.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One output stream of the remote script (stdout or stderr) cut into redacted lines. A line longer
 * than {@value #MAX_LINE_BYTES} bytes is passed on in parts, each cut where no secret and no UTF-8
 * character is split. Closing passes on an unfinished last line.
 */
final class OutputLines extends OutputStream {
    static final int MAX_LINE_BYTES = 16 * 1024;

    private final Redactor redactor;
    private final Consumer<String> lines;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();

    OutputLines(Redactor redactor, Consumer<String> lines) {
        this.redactor = redactor;
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emitLine();
            return;
        }
        pending.write(b);
        if (pending.size() >= MAX_LINE_BYTES) {
            emitPart();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void close() {
        if (pending.size() > 0) {
            emitLine();
        }
    }

    private void emitLine() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        lines.accept(redactor.redact(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
    }

    private void emitPart() {
        byte[] bytes = pending.toByteArray();
        int cut = utf8Boundary(bytes);
        String text = new String(bytes, 0, cut, StandardCharsets.UTF_8);
        int safe = redactor.safePrefix(text);
        if (safe == 0) {
            safe = text.length(); // only a secret of more than MAX_LINE_BYTES could get here
        }
        lines.accept(redactor.redact(text.substring(0, safe)));
        pending = new ByteArrayOutputStream();
        pending.writeBytes(text.substring(safe).getBytes(StandardCharsets.UTF_8));
        pending.write(bytes, cut, bytes.length - cut);
    }

    /** The length of the longest prefix that ends with a complete UTF-8 character. */
    private static int utf8Boundary(byte[] bytes) {
        int lead = bytes.length - 1;
        while (lead > 0 && bytes.length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int b = bytes[lead] & 0xFF;
        int width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + width <= bytes.length ? bytes.length : lead;
    }
}
