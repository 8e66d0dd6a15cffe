package io.edgeplane.provisioner.script;

import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Script start to node Ready" of the rendered provisioning script in a fresh test-bed device, with
 * the kubelet on the mirror (not a test; run on demand), median over several runs:
 * <pre>
 * mvn -B -q -o install -DskipTests -pl bootstrap-scripts,e2e/testbed,machine-provisioner
 * mvn -B -q -o -pl machine-provisioner exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.edgeplane.provisioner.script.ProvisioningScriptBenchmark
 * </pre>
 * Runs: {@code EDGEPLANE_BENCH_RUNS} (default 5).
 */
public final class ProvisioningScriptBenchmark {
    private ProvisioningScriptBenchmark() {
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "5"));
        List<Long> toReady = new ArrayList<>();
        List<Long> script = new ArrayList<>();
        List<Long> rerun = new ArrayList<>();
        try (ScriptTestBed bed = ScriptTestBed.start()) {
            for (int i = 0; i < runs; i++) {
                try (Device device = Device.create("bench-" + i)) {
                    String rendered = ProvisioningScripts.provision(bed.input(device, Map.of("bench", "true"), List.of()));
                    Map<String, String> knobs = ScriptTestBed.sharedKernelKnobs(device);
                    long started = System.nanoTime();
                    CommandResult result = ScriptTestBed.run(device, "provision.sh", rendered, knobs);
                    long done = System.nanoTime();
                    if (!result.succeeded()) {
                        throw new IllegalStateException("run " + i + " failed:\n" + result.stderr());
                    }
                    bed.awaitReady(device.name(), Duration.ofSeconds(120));
                    toReady.add((System.nanoTime() - started) / 1_000_000);
                    script.add((done - started) / 1_000_000);
                    long again = System.nanoTime();
                    ScriptTestBed.run(device, "provision.sh", rendered, knobs).orThrow();
                    rerun.add((System.nanoTime() - again) / 1_000_000);
                    System.out.printf("run %d: script start to Ready %d ms (script %d ms); second run %d ms%n",
                            i, toReady.get(i), script.get(i), rerun.get(i));
                    System.out.println(result.stderr());
                    ScriptTestBed.run(device, "deprovision.sh", ProvisioningScripts.deprovision(device.name()), knobs).orThrow();
                    bed.client().nodes().withName(device.name()).delete();
                }
            }
        } finally {
            TestBedRun.current().close();
        }
        System.out.printf("provisioning benchmark (%d runs): script start to node Ready median %d ms (script alone %d ms); "
                + "second run (no change) median %d ms%n", runs, median(toReady), median(script), median(rerun));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
