package io.edgeplane.testbed;

import io.edgeplane.testbed.images.Architecture;
import io.edgeplane.testbed.images.GoStaticBuild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A static CoreDNS binary at the pinned version, built from its Go module (only the Go module proxy
 * is needed) into {@code coredns/<version>/linux-<arch>/coredns} of the {@link CacheDirectory}: minutes cold,
 * a lookup afterwards. The build writes a scratch file that is renamed into place, so an interrupted
 * build is never used. The helper module lives with fetch-binaries.sh's ({@code EDGEPLANE_GO_WORK}).
 */
public final class CoreDnsBinary {
    private static final Logger LOG = LoggerFactory.getLogger(CoreDnsBinary.class);
    private static final long TIMEOUT_MINUTES = 20;

    private CoreDnsBinary() {
    }

    /** The binary for this host, built now unless an earlier run left it in the cache. */
    public static synchronized Path ensure(String version) {
        String arch = Architecture.host().goarch();
        Path cache = CacheDirectory.root();
        Path target = cache.resolve("coredns").resolve(version).resolve("linux-" + arch).resolve("coredns");
        if (Files.isExecutable(target)) {
            return target;
        }
        long started = System.nanoTime();
        Path module = Optional.ofNullable(System.getenv("EDGEPLANE_GO_WORK")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(cache.resolve("go-build")).resolve("coredns-" + version);
        Path scratch = target.resolveSibling("coredns." + UUID.randomUUID() + ".partial");
        try {
            Files.createDirectories(module);
            Files.createDirectories(target.getParent());
            if (!Files.exists(module.resolve("go.mod"))) {
                Files.writeString(module.resolve("go.mod"), "module edgeplane.local/coredns-build\n\ngo 1.25\n\n"
                        + "require github.com/coredns/coredns " + version + "\n");
            }
            build(module, scratch, arch);
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build CoreDNS " + version + " into " + target, e);
        } finally {
            scratch.toFile().delete();
        }
        LOG.info("coredns {} built into {} in {} ms", version, target, (System.nanoTime() - started) / 1_000_000);
        return target;
    }

    private static void build(Path module, Path output, String arch) throws IOException {
        Path log = module.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(GoStaticBuild.go().toString(), "build", "-trimpath",
                "-ldflags", "-s -w", "-o", output.toString(), "github.com/coredns/coredns"))
                .directory(module.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "CGO_ENABLED", "0", // static: it runs on any host
                "GOTOOLCHAIN", "local", // never download another toolchain
                "GOFLAGS", "-mod=mod", // the helper module has no go.sum until the first build writes it
                "GOOS", "linux",
                "GOARCH", arch,
                "GOWORK", "off"));
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("go build of CoreDNS timed out after " + TIMEOUT_MINUTES + " min; log " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building CoreDNS", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("go build of CoreDNS failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(log));
        }
    }
}
