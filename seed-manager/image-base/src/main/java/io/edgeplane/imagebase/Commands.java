package io.edgeplane.imagebase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the Debian tools the assembler relies on, failing with their own words. */
final class Commands {

    /** Reads a command's standard output while it runs. */
    interface OutputReader {
        void read(InputStream stdout) throws IOException;
    }

    private Commands() {
    }

    static String run(List<String> command, Path cwd) throws IOException {
        StringBuilder out = new StringBuilder();
        stream(command, cwd, in -> out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        return out.toString();
    }

    static void stream(List<String> command, Path cwd, OutputReader reader) throws IOException {
        Path stderr = Files.createTempFile("image-base-", ".stderr");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            } catch (IOException e) {
                throw new IOException("cannot run " + command.get(0) + " (the base image is assembled from Debian "
                        + "packages with apt-get and dpkg-deb; on other systems name a base image with "
                        + "-Dedgeplane.image.base and skip assembly with -Dedgeplane.image.base.skip=true)", e);
            }
            process.getOutputStream().close();
            try (InputStream in = process.getInputStream()) {
                reader.read(in);
                // Drain what the reader left, so the child never blocks on a full pipe.
                in.transferTo(OutputStream.nullOutputStream());
            }
            int exit = process.waitFor();
            if (exit != 0) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
                throw new IOException(String.join(" ", command.subList(0, Math.min(command.size(), 2)))
                        + " failed (exit " + exit + "): " + tail(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static String tail(String text) {
        return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
    }
}
