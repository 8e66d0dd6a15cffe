package io.edgeplane.provisioner.script;

import io.edgeplane.testbed.images.GoStaticBuild;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The device agent {@code edgeplane-device} that the script tests serve to devices: the binary named by
 * {@code EDGEPLANE_DEVICE_AGENT} when set, else built now from this module's Go sources
 * ({@code device-agent/}) as a static Linux binary, as the normal build makes it.
 */
final class DeviceAgentBuild {
    private static final long TIMEOUT_MINUTES = 10;

    private DeviceAgentBuild() {
    }

    static Path binary(String goarch) {
        String given = System.getenv("EDGEPLANE_DEVICE_AGENT");
        if (given != null && !given.isBlank()) {
            Path binary = Path.of(given);
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("EDGEPLANE_DEVICE_AGENT names no executable: " + binary);
            }
            return binary;
        }
        Path module = Path.of(System.getProperty("basedir", ".")).resolve("device-agent");
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target/script-tests/edgeplane-device-linux-" + goarch);
        build(module, target, goarch);
        return target;
    }

    private static void build(Path module, Path target, String goarch) {
        try {
            Files.createDirectories(target.getParent());
            Path log = target.resolveSibling("go-build-" + goarch + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(GoStaticBuild.go().toString(), "build", "-trimpath",
                    "-ldflags", "-s -w", "-o", target.toString(), "."))
                    .directory(module.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("CGO_ENABLED", "0", "GOTOOLCHAIN", "local", "GOOS", "linux",
                    "GOARCH", goarch, "GOWORK", "off"));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("go build of the device agent timed out after " + TIMEOUT_MINUTES + " min");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("go build of the device agent in " + module + " failed (exit "
                        + process.exitValue() + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the device agent in " + module, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the device agent", e);
        }
    }
}
