package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.WorkloadEvent;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.edgeplane.seedmanager.workload.WorkloadState;
import io.edgeplane.seedmanager.workload.ImagePullState;
import io.edgeplane.seedmanager.workload.WorkloadStatus;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** From the objects of a workload to its state: pods, mirror pods, pre-pull pods and nodes, no API server. */
class WorkloadObservationTest {
    private static final WorkloadSpec HELLO = SampleWorkloads.hello();
    private static final WorkloadSpec SENSOR = SampleWorkloads.sensor();
    private static final String HASH = WorkloadSpecs.hash(HELLO);
    private static final Map<String, Node> READY = Map.of("edge-1", node("edge-1", "True"), "edge-2", node("edge-2", "True"));
    private static final Map<String, DeviceReport> NO_REPORTS = Map.of();
    private static final Instant NOW = Instant.parse("2030-01-01T00:10:00Z");

    @Test
    void aReadyPodOfTheLiveVersionIsRunning() {
        var live = WorkloadObservation.live("hello", HELLO, true, READY, NO_REPORTS, List.of(pod("hello-edge-1-x", "edge-1", HASH, true)), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.PODS_READY);
        assertThat(live.message()).isNull();
        assertThat(live.nodes()).containsExactly(new WorkloadStatus.NodeState("edge-1", WorkloadState.running, null));
    }

    @Test
    void aReadyPodOfTheOldVersionDoesNotCountWhileTheNewOneComesUp() {
        var live = WorkloadObservation.live("hello", HELLO, true, READY, NO_REPORTS,
                List.of(pod("old", "edge-1", "0000000000", true), pending(pod("new", "edge-1", HASH, false), "ContainerCreating")), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.PODS_PENDING);
        assertThat(live.message()).isEqualTo("on edge-1: container web ContainerCreating");
        assertThat(WorkloadObservation.live("hello", HELLO, true, READY, NO_REPORTS, List.of(), NOW).message())
                .isEqualTo("on edge-1: waiting for the pod to be created");
    }

    @Test
    void anImagePullErrorFailsWithTheKubeletsMessage() {
        Pod pod = pending(pod("p", "edge-1", HASH, false), "ImagePullBackOff");
        pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().setMessage("Back-off pulling image \"x:1\"");
        var live = WorkloadObservation.live("hello", HELLO, true, READY, NO_REPORTS, List.of(pod), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.PODS_FAILED);
        assertThat(live.message()).isEqualTo("image pull failed: Back-off pulling image \"x:1\"");
        assertThat(live.nodes().get(0).state()).isEqualTo(WorkloadState.failed);
    }

    @Test
    void aCrashLoopNamesTheContainerRestartsAndExitCode() {
        Pod pod = pending(pod("p", "edge-1", HASH, false), "CrashLoopBackOff");
        ContainerStatus web = pod.getStatus().getContainerStatuses().get(0);
        web.setRestartCount(5);
        web.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated().withExitCode(1).endTerminated().build());
        var live = WorkloadObservation.live("hello", HELLO, true, READY, NO_REPORTS, List.of(pod), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.PODS_FAILED);
        assertThat(live.message()).isEqualTo("crash loop: container web restarted 5 times, last exit code 1");
    }

    @Test
    void aNodeThatIsNotReadyMakesItUnreachableWhateverThePodsSay() {
        Map<String, Node> nodes = Map.of("edge-1", node("edge-1", "Unknown"));
        var live = WorkloadObservation.live("hello", HELLO, true, nodes, NO_REPORTS, List.of(pod("p", "edge-1", HASH, true)), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.NODE_UNREACHABLE);
        assertThat(live.message()).startsWith("device edge-1 (unreachable since 2030-01-01T00:00:00Z");
        assertThat(WorkloadObservation.live("hello", HELLO, true, Map.of(), NO_REPORTS, List.of(), NOW).message())
                .isEqualTo("device edge-1 (not joined yet)");
    }

    @Test
    void stoppedMeansNoPodLeft() {
        assertThat(WorkloadObservation.live("hello", HELLO, false, READY, NO_REPORTS, List.of(pod("p", "edge-1", HASH, true)), NOW).event())
                .isEqualTo(WorkloadEvent.PODS_TERMINATING);
        var gone = WorkloadObservation.live("hello", HELLO, false, READY, NO_REPORTS, List.of(prePull("sensor-pp", "edge-1", HASH, List.of())), NOW);
        assertThat(gone.event()).as("pre-pull pods are not the workload").isEqualTo(WorkloadEvent.PODS_GONE);
        assertThat(gone.nodes()).containsExactly(new WorkloadStatus.NodeState("edge-1", WorkloadState.stopped, null));
    }

    @Test
    void oneNodeDownOneFailingOneReady() {
        Map<String, Node> nodes = Map.of("edge-1", node("edge-1", "True"), "edge-2", node("edge-2", "False"));
        WorkloadSpec spec = new WorkloadSpec(HELLO.appName(), HELLO.appVersion(), HELLO.containers(), HELLO.configuration(),
                List.of("edge-1", "edge-2"));
        String hash = WorkloadSpecs.hash(spec);
        var live = WorkloadObservation.live("hello", spec, true, nodes, NO_REPORTS, List.of(pod("p", "edge-1", hash, true)), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.NODE_UNREACHABLE);
        assertThat(live.nodes()).extracting(WorkloadStatus.NodeState::state).containsExactly(WorkloadState.running, WorkloadState.unreachable);
    }

    @Test
    void theDeviceAgentsReportDecidesAndItsHeartbeatMakesTheDeviceReachableBeforeItsNode() {
        Map<String, Node> notReady = Map.of("edge-1", node("edge-1", "Unknown"));
        DeviceReport fresh = report(NOW.minusSeconds(5), new DeviceReport.WorkloadReport("hello", 3, HASH, "1.0.0", true, "running", ""));
        var live = WorkloadObservation.live("hello", HELLO, true, notReady, Map.of("edge-1", fresh), List.of(), NOW);
        assertThat(live.event()).as("the agent is heard: the device is back").isEqualTo(WorkloadEvent.PODS_READY);

        DeviceReport stale = report(NOW.minusSeconds(120), new DeviceReport.WorkloadReport("hello", 3, HASH, "1.0.0", true, "running", ""));
        assertThat(WorkloadObservation.live("hello", HELLO, true, notReady, Map.of("edge-1", stale), List.of(), NOW).event())
                .isEqualTo(WorkloadEvent.NODE_UNREACHABLE);

        // Heard lately, but before its node turned NotReady: the device went away after that report.
        Map<String, Node> justCut = Map.of("edge-1", new NodeBuilder(node("edge-1", "Unknown")).editStatus().editFirstCondition()
                .withLastTransitionTime(NOW.minusSeconds(2).toString()).endCondition().endStatus().build());
        assertThat(WorkloadObservation.live("hello", HELLO, true, justCut, Map.of("edge-1", fresh), List.of(), NOW).event())
                .isEqualTo(WorkloadEvent.NODE_UNREACHABLE);
    }

    @Test
    void anAgentStillOnAnotherVersionOrRunWishIsNotDoneYet() {
        DeviceReport old = report(NOW, new DeviceReport.WorkloadReport("hello", 2, "0000000000", "0.9.0", true, "running", ""));
        var live = WorkloadObservation.live("hello", HELLO, true, READY, Map.of("edge-1", old), List.of(), NOW);
        assertThat(live.event()).isEqualTo(WorkloadEvent.PODS_PENDING);
        assertThat(live.message()).isEqualTo("on edge-1: the device runs version 0.9.0, switching to version " + HELLO.appVersion());

        DeviceReport stopping = report(NOW, new DeviceReport.WorkloadReport("hello", 3, HASH, "1.0.0", false, "stopping", ""));
        assertThat(WorkloadObservation.live("hello", HELLO, false, READY, Map.of("edge-1", stopping), List.of(), NOW).event())
                .isEqualTo(WorkloadEvent.PODS_TERMINATING);
        DeviceReport stopped = report(NOW, new DeviceReport.WorkloadReport("hello", 3, HASH, "1.0.0", false, "stopped", ""));
        assertThat(WorkloadObservation.live("hello", HELLO, false, READY, Map.of("edge-1", stopped), List.of(), NOW).event())
                .isEqualTo(WorkloadEvent.PODS_GONE);
        DeviceReport failed = report(NOW, new DeviceReport.WorkloadReport("hello", 3, HASH, "1.0.0", true, "failed",
                "container web exited with code 1, restarted 3 times"));
        var failing = WorkloadObservation.live("hello", HELLO, true, READY, Map.of("edge-1", failed), List.of(), NOW);
        assertThat(failing.event()).isEqualTo(WorkloadEvent.PODS_FAILED);
        assertThat(failing.message()).isEqualTo("on edge-1: container web exited with code 1, restarted 3 times");
        assertThat(WorkloadObservation.live("hello", HELLO, true, READY, Map.of("edge-1", report(NOW)), List.of(), NOW).message())
                .isEqualTo("on edge-1: waiting for the device agent to take version " + HELLO.appVersion());
    }

    private static DeviceReport report(Instant heard, DeviceReport.WorkloadReport... workloads) {
        return new DeviceReport("edge-1", heard, 0, List.of(workloads), List.of());
    }

    @Test
    void prePullProgressPerNodeAndImage() {
        String hash = WorkloadSpecs.hash(SENSOR);
        List<String> images = SENSOR.images();
        ContainerStatus present = new ContainerStatusBuilder().withName("image-0").withImage(images.get(0))
                .withImageID("registry.example/sensor/reader@sha256:aa")
                .withNewState().withNewTerminated().withReason("StartError").withExitCode(128).endTerminated().endState().build();
        ContainerStatus pulling = new ContainerStatusBuilder().withName("image-1").withImage(images.get(1)).withImageID("")
                .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build();
        List<Pod> pods = List.of(prePull("p1", "edge-1", hash, List.of(present, pulling)));

        var progress = WorkloadObservation.prePull("sensor", SENSOR, READY, pods);
        assertThat(progress.event()).isEqualTo(WorkloadEvent.PULL_STARTED);
        assertThat(progress.nodes()).containsExactly(
                new WorkloadStatus.NodeProgress("edge-1", List.of(new WorkloadStatus.ImageProgress(images.get(0), ImagePullState.present, null),
                        new WorkloadStatus.ImageProgress(images.get(1), ImagePullState.downloading, null))),
                new WorkloadStatus.NodeProgress("edge-2", List.of(new WorkloadStatus.ImageProgress(images.get(0), ImagePullState.pending, null),
                        new WorkloadStatus.ImageProgress(images.get(1), ImagePullState.pending, null))));

        ContainerStatus failed = new ContainerStatusBuilder().withName("image-1").withImage(images.get(1))
                .withNewState().withNewWaiting().withReason("ErrImagePull").withMessage("manifest unknown").endWaiting().endState().build();
        var failing = WorkloadObservation.prePull("sensor", SENSOR, READY, List.of(prePull("p1", "edge-1", hash, List.of(present, failed))));
        assertThat(failing.event()).isEqualTo(WorkloadEvent.PULL_FAILED);
        assertThat(failing.message()).isEqualTo("on edge-1: manifest unknown");

        ContainerStatus createError = new ContainerStatusBuilder().withName("image-1").withImage(images.get(1))
                .withNewState().withNewWaiting().withReason("RunContainerError").withMessage("exec: no such file").endWaiting().endState().build();
        List<Pod> done = new ArrayList<>();
        done.add(prePull("p1", "edge-1", hash, List.of(present, createError)));
        done.add(prePull("p2", "edge-2", hash, List.of(present, present(images.get(1)))));
        assertThat(WorkloadObservation.prePull("sensor", SENSOR, READY, done).event()).isEqualTo(WorkloadEvent.PULL_DONE);
        assertThat(WorkloadObservation.prePull("sensor", SENSOR, READY, List.of(prePull("old", "edge-1", "0000000000",
                List.of(present, present(images.get(1)))))).event()).as("another version's pod").isEqualTo(WorkloadEvent.PULL_STARTED);
    }

    private static ContainerStatus present(String image) {
        return new ContainerStatusBuilder().withName("image-1").withImage(image).withImageID("x@sha256:bb")
                .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build();
    }

    private static Node node(String name, String ready) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withLastTransitionTime("2030-01-01T00:00:00Z")
                .endCondition().endStatus().build();
    }

    private static Pod pod(String name, String node, String hash, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(WorkloadPods.NAMESPACE)
                .withLabels(WorkloadPods.labels("hello", node)).withAnnotations(new java.util.HashMap<>(Map.of(WorkloadPods.SPEC_HASH_ANNOTATION, hash)))
                .endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(ready ? "Running" : "Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("web").withReady(ready).withRestartCount(0).withNewState().endState().endContainerStatus()
                .endStatus().build();
    }

    private static Pod pending(Pod pod, String reason) {
        pod.getStatus().getContainerStatuses().get(0).setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                .withNewWaiting().withReason(reason).endWaiting().build());
        return pod;
    }

    private static Pod prePull(String name, String node, String hash, List<ContainerStatus> containers) {
        Map<String, String> labels = WorkloadPods.labels("sensor", node);
        labels.put(PrePullPodBuilder.PREPULL_LABEL, hash);
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels)
                .withAnnotations(Map.of(WorkloadPods.SPEC_HASH_ANNOTATION, hash)).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Pending").withContainerStatuses(containers).endStatus().build();
    }
}
