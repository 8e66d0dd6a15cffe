package io.edgeplane.testbed;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The KWOK controller binary ({@code sigs.k8s.io/kwok/cmd/kwok}) at the version pinned in versions.env, for
 * simulated kubelets ({@link Kwok}). {@code EDGEPLANE_KWOK_BIN} names a ready binary (e.g. the official
 * release's {@code kwok-linux-amd64}); otherwise fetch-binaries.sh builds it from its Go module into the
 * binaries directory, once (about two minutes cold), as the opt-in component {@code kwok}.
 */
public record KwokBinary(Path path, String version) {
    private static KwokBinary cached;

    /** The binary, built on first use; the same instance for the rest of this JVM. */
    public static synchronized KwokBinary ensure() {
        if (cached != null) {
            return cached;
        }
        String pinned = ComponentVersions.pinned().kwok();
        Path path = PinnedTool.locate("kwok", "EDGEPLANE_KWOK_BIN", pinned, KwokBinary::reportedVersion,
                reported -> reported.startsWith(pinned + " "));
        cached = new KwokBinary(path, pinned);
        return cached;
    }

    /** What {@code kwok --version} says after "kwok version ", e.g. {@code v0.8.0 go1.26.8 (linux/amd64)}. */
    private static String reportedVersion(Path binary) {
        Path out = null;
        try {
            // Output to a file, not a pipe: a hung binary cannot block the read, and the wait is bounded.
            out = Files.createTempFile("edgeplane-kwok-version-", ".out");
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kwok --version did not answer within 30 s: " + binary);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kwok --version failed: " + text);
            }
            return text.replaceFirst("^kwok version ", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
