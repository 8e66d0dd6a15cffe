package io.edgeplane.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure this machine has what the test bed runs on (Debian packages: containerd, runc, CNI
 * plugins, sshd, a registry), installing only what is missing via install-testbed-host.sh.
 */
public final class TestBedHost {
    private static boolean ready;

    private TestBedHost() {
    }

    public static synchronized void ensurePackages() {
        if (ready) {
            return;
        }
        Path scripts = BootstrapScripts.extract();
        try {
            Process process = new ProcessBuilder("bash", scripts.resolve("install-testbed-host.sh").toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("the test bed cannot install its host packages:\n" + output);
            }
            ready = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            BootstrapScripts.delete(scripts);
        }
    }
}
