package io.edgeplane.e2e;

import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedRun;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl against a tenant cluster, with a kubeconfig the seed manager handed out. */
final class Kubectl {
    private Kubectl() {
    }

    static String run(KubernetesBinaries binaries, Path kubeconfig, String... args) throws Exception {
        // Its discovery cache goes to the test bed's run, not to the home directory of whoever runs the tests.
        List<String> command = new ArrayList<>(List.of(binaries.binary("kubectl").toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", TestBedRun.current().dir().resolve("kubectl-cache").toString(), "--request-timeout=5s"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    /** Waits until {@code get namespaces} answers, e.g. after a component was killed. */
    static void awaitAnswer(KubernetesBinaries binaries, Path kubeconfig, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (run(binaries, kubeconfig, "get", "namespaces").contains("kube-system")) {
                    return;
                }
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("kubectl never answered again: " + last);
    }
}
