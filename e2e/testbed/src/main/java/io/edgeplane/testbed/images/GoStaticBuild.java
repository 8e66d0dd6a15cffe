package io.edgeplane.testbed.images;

import io.edgeplane.testbed.TestBedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles a test image's Go sources into a static Linux binary (no cgo, so it runs on an empty
 * base image), cached by source content hash and architecture.
 */
public final class GoStaticBuild {
    private static final Logger LOG = LoggerFactory.getLogger(GoStaticBuild.class);
    private static final Path FALLBACK_GO = Path.of("/usr/local/go/bin/go");
    private static final long TIMEOUT_MINUTES = 10;

    private GoStaticBuild() {
    }

    /** The binary for {@code arch}, compiled now unless an earlier run left it in the cache. */
    public static Path binary(TestImageSource source, Architecture arch) {
        Path target = TestImageCache.entry(source.contentHash()).resolve(source.name() + "-linux-" + arch.goarch());
        if (Files.isExecutable(target)) {
            LOG.debug("image={} arch={} binary cached at {}", source.name(), arch.goarch(), target);
            return target;
        }
        long started = System.nanoTime();
        Path sources = source.extractTo(TestBedRun.current().newDir("go-src-" + source.name()));
        Path scratch = TestImageCache.scratchFor(target);
        List<String> command = List.of(go().toString(), "build", "-trimpath", "-ldflags", "-s -w", "-o",
                scratch.toString(), ".");
        try {
            run(source.name(), command, sources, arch);
            TestImageCache.publish(scratch, target);
        } finally {
            TestImageCache.discard(scratch);
        }
        LOG.info("image={} arch={} compiled {} in {} ms", source.name(), arch.goarch(), target,
                (System.nanoTime() - started) / 1_000_000);
        return target;
    }

    private static void run(String name, List<String> command, Path dir, Architecture arch) {
        Path log = dir.resolve("go-build.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "CGO_ENABLED", "0",
                "GOTOOLCHAIN", "local", // never download another toolchain
                "GOOS", "linux",
                "GOARCH", arch.goarch(),
                "GOWORK", "off"));
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("go build of test image " + name + " timed out after "
                        + TIMEOUT_MINUTES + " min");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("go build of test image " + name + " for " + arch.goarch()
                        + " failed (exit " + process.exitValue() + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building test image " + name, e);
        }
    }

    /** {@code go} from PATH, else the official tarball location the install script uses. */
    public static Path go() {
        Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "go"));
        return Stream.concat(onPath, Stream.of(FALLBACK_GO))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("building test images needs the Go toolchain (go 1.22+):"
                        + " no 'go' on PATH or at " + FALLBACK_GO + "; install Go (the project's install script does)"));
    }
}
