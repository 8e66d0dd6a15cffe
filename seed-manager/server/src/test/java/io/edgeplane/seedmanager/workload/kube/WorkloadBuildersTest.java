package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.device.DeviceAccessBuilder;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadEntryBuilder;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsDefinitionBuilder;
import io.edgeplane.seedmanager.testing.GoldenDirectory;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The objects a workload becomes in the tenant cluster, against golden files (one per case, none
 * stale or orphaned), plus the rules that matter most spelled out.
 */
class WorkloadBuildersTest {
    private static final GoldenDirectory GOLDEN = new GoldenDirectory("workloads",
            "mvn -pl seed-manager/server test -Dgolden.update=true -Dtest='io.edgeplane.seedmanager.workload.kube.**'");

    /** Every golden file under golden/workloads and what renders it. */
    private static Map<String, Supplier<String>> cases() {
        Map<String, Supplier<String>> cases = new LinkedHashMap<>();
        cases.put("namespace", () -> expected( WorkloadNamespaceBuilder.build()));
        cases.put("static-pod-hostport", () -> expected(
                WorkloadStaticPodBuilder.pod("hello", SampleWorkloads.hello(), "edge-1")));
        cases.put("device-workloads-definition", () -> expected(DeviceWorkloadsDefinitionBuilder.build()));
        cases.put("device-access", () -> expected(DeviceAccessBuilder.role("edge-1"), DeviceAccessBuilder.binding("edge-1")));
        cases.put("device-workloads-entry", () -> expected(DeviceWorkloadEntryBuilder.object("edge-1", List.of(
                DeviceWorkloadEntryBuilder.entry("sensor", 4, false, SampleWorkloads.sensor(), SampleWorkloads.sensor(), "edge-1")))));
        cases.put("prepull-pod", () -> expected(
                PrePullPodBuilder.build("sensor", SampleWorkloads.sensor(), "edge-1")));
        return cases;
    }

    /** The file as the builders must render it: a header, then the objects as YAML documents. */
    private static String expected(Object... objects) {
        return GOLDEN.header(WorkloadBuildersTest.class) + Stream.of(objects).map(Serialization::asYaml).collect(Collectors.joining());
    }

    @TestFactory
    Stream<DynamicTest> goldenFiles() {
        return cases().entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey() + ".yaml",
                () -> GOLDEN.check(c.getKey() + ".yaml", c.getValue().get())));
    }

    @Test
    void noOrphanedGoldenFiles() {
        TreeSet<String> produced = new TreeSet<>();
        cases().keySet().forEach(name -> produced.add(name + ".yaml"));
        assertThat(GOLDEN.orphans(produced))
                .as("golden files no case produces (delete them, or regenerate: %s)", GOLDEN.regenerate()).isEmpty();
    }

    @Test
    void theStaticPodIsPinnedToItsDeviceSurvivesALostLinkAndReadsItsVersionsConfiguration() {
        Pod pod = WorkloadStaticPodBuilder.pod("hello", SampleWorkloads.hello(), "edge-1");
        String hash = WorkloadSpecs.hash(SampleWorkloads.hello());
        assertThat(pod.getMetadata().getName()).as("two versions side by side").isEqualTo("hello-" + hash);
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("edgeplane-workloads");
        assertThat(pod.getMetadata().getLabels()).isEqualTo(WorkloadPods.labels("hello", "edge-1"));
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("kubernetes.io/hostname", "edge-1");
        assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getTolerationSeconds)
                .contains(org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", null),
                        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/not-ready", null));
        assertThat(pod.getSpec().getVolumes().get(0).getHostPath().getPath()).isEqualTo("/var/lib/edgeplane/workloads/hello/" + hash);
        assertThat(pod.getSpec().getServiceAccountName()).as("static pods cannot use ServiceAccounts").isNull();
    }

    @Test
    void anEntryCarriesOnlyTheVersionsThatTargetTheDevice() {
        WorkloadSpec sensor = SampleWorkloads.sensor();
        WorkloadSpec elsewhere = new WorkloadSpec(sensor.appName(), "2.0.0", sensor.containers(), sensor.configuration(), List.of("edge-9"));
        Map<String, Object> entry = DeviceWorkloadEntryBuilder.entry("sensor", 7, true, sensor, elsewhere, "edge-1");
        assertThat(entry).containsEntry("name", "sensor").containsEntry("generation", 7L).containsEntry("run", true)
                .containsKey("live").doesNotContainKey("staged");
        assertThat(WorkloadSpecs.hash(elsewhere)).as("the devices are not part of the hash")
                .isEqualTo(WorkloadSpecs.hash(new WorkloadSpec(sensor.appName(), "2.0.0", sensor.containers(), sensor.configuration(), List.of())));
    }

    @Test
    void thePrePullPodPullsEveryImageAndNeverRunsAppCode() {
        WorkloadSpec sensor = SampleWorkloads.sensor();
        Pod pod = PrePullPodBuilder.build("sensor", sensor, "edge-2");
        assertThat(pod.getSpec().getNodeName()).isEqualTo("edge-2");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(pod.getSpec().getContainers()).extracting(Container::getImage).containsExactlyElementsOf(sensor.images());
        assertThat(pod.getSpec().getContainers()).allSatisfy(c -> {
            assertThat(c.getCommand()).containsExactly("/dev/null/edgeplane-prepull");
            assertThat(c.getArgs()).isEmpty();
        });
        assertThat(pod.getMetadata().getLabels()).containsEntry("edgeplane.io/prepull", WorkloadSpecs.hash(sensor))
                .containsEntry("edgeplane.io/workload", "sensor").containsEntry("app.kubernetes.io/managed-by", "edgeplane");
    }

    @Test
    void longNamesAreCutToADnsLabelWithAStableHash() {
        String workload = "w".repeat(40);
        String a = WorkloadNames.deployment(workload, "n".repeat(40));
        String b = WorkloadNames.deployment(workload, "n".repeat(39) + "m");
        assertThat(a).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").startsWith("wwww").isNotEqualTo(b);
        assertThat(a).isEqualTo(WorkloadNames.deployment(workload, "n".repeat(40)));
        assertThat(WorkloadNames.deployment("hello", "edge-1")).isEqualTo("hello-edge-1");
        assertThat(WorkloadNames.deployment("a".repeat(51), "-b".repeat(10))).hasSizeLessThanOrEqualTo(63).doesNotContain("--");
        assertThat(WorkloadNames.prePullPod(workload, "edge-1", "0123456789")).hasSizeLessThanOrEqualTo(63);
    }
}
