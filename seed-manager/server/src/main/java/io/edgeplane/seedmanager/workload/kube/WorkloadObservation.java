package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.WorkloadEvent;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.edgeplane.seedmanager.workload.WorkloadState;
import io.edgeplane.seedmanager.workload.ImagePullState;
import io.edgeplane.seedmanager.workload.WorkloadStatus;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the tenant cluster says about one workload, as pure functions over its objects: the state
 * of the live version on each device and the one {@link WorkloadEvent} that sums it up, and the
 * pre-pull progress of the staged version per device and image.
 */
public final class WorkloadObservation {
    public static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    private static final Set<String> CREATE_ERRORS = Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private WorkloadObservation() {
    }

    /** The live version: the summing-up event, a message for the operator (null when all is well), the state per node. */
    public record Live(WorkloadEvent event, String message, List<WorkloadStatus.NodeState> nodes) {
    }

    /** The staged version's pre-pull: the summing-up event, a message, progress per node and image. */
    public record PrePull(WorkloadEvent event, String message, List<WorkloadStatus.NodeProgress> nodes) {
    }

    /** Why {@code node} cannot take work now ("device edge-1 (unreachable since ...)"), or empty when it is Ready. */
    public static Optional<String> unreachable(String name, Node node) {
        if (node == null) {
            return Optional.of("device " + name + " (not joined yet)");
        }
        Optional<NodeCondition> ready = node.getStatus() == null || node.getStatus().getConditions() == null ? Optional.empty()
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        if (ready.isPresent() && "True".equals(ready.get().getStatus())) {
            return Optional.empty();
        }
        String since = ready.map(NodeCondition::getLastTransitionTime).map(t -> " since " + t).orElse("");
        return Optional.of("device " + name + " (unreachable" + since + ")");
    }

    /**
     * Why {@code name} cannot take work now, or empty when it can: its node is Ready, or its device
     * agent was heard from lately (which comes first after a WAN outage: the kubelet reports Ready
     * only at its next status update).
     */
    public static Optional<String> unreachable(String name, Node node, DeviceReport report, Instant now) {
        if (report != null && report.connected(now) && !heardOnlyBeforeNotReady(node, report)) {
            return Optional.empty();
        }
        return unreachable(name, node);
    }

    /**
     * The agent's last report is older than the node's turn to not Ready: the device went away after
     * it, so a report that is still recent does not show that the device is back.
     */
    private static boolean heardOnlyBeforeNotReady(Node node, DeviceReport report) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .anyMatch(c -> {
                    try {
                        return !report.heardAt().isAfter(Instant.parse(c.getLastTransitionTime()));
                    } catch (java.time.format.DateTimeParseException e) {
                        return false;
                    }
                });
    }

    /**
     * The live version on every target node. A node that is not Ready (and whose agent is not heard
     * from) makes the workload unreachable; otherwise a failing pod makes it failed, a pod not yet
     * ready pending, and with {@code run} false any pod left terminating. The device agent's report
     * decides where there is one; the static pods' mirror pods otherwise.
     */
    public static Live live(String workload, WorkloadSpec spec, boolean run, Map<String, Node> nodes, Map<String, DeviceReport> reports,
                            List<Pod> pods, Instant now) {
        String hash = WorkloadSpecs.hash(spec);
        List<WorkloadStatus.NodeState> states = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> terminating = new ArrayList<>();
        for (String node : spec.nodes()) {
            DeviceReport report = reports.get(node);
            Optional<String> away = unreachable(node, nodes.get(node), report, now);
            List<Pod> mine = pods.stream().filter(p -> isWorkloadPod(workload, p) && node.equals(nodeOf(p))).toList();
            NodeLive observed = away.isPresent() ? new NodeLive(WorkloadState.unreachable, away.get())
                    : report != null ? reported(node, hash, spec.appVersion(), run, report.workload(workload))
                    : run ? running(node, hash, mine) : stopped(node, mine);
            states.add(new WorkloadStatus.NodeState(node, observed.state(), observed.message()));
            switch (observed.state()) {
                case unreachable -> unreachable.add(observed.message());
                case failed -> failed.add(observed.message());
                case deploying -> pending.add(observed.message());
                case stopping -> terminating.add(observed.message());
                default -> {
                }
            }
        }
        if (!unreachable.isEmpty()) {
            return new Live(WorkloadEvent.NODE_UNREACHABLE, String.join("; ", unreachable), states);
        }
        if (!failed.isEmpty()) {
            return new Live(WorkloadEvent.PODS_FAILED, String.join("; ", failed), states);
        }
        if (run) {
            return pending.isEmpty() ? new Live(WorkloadEvent.PODS_READY, null, states)
                    : new Live(WorkloadEvent.PODS_PENDING, String.join("; ", pending), states);
        }
        return terminating.isEmpty() ? new Live(WorkloadEvent.PODS_GONE, null, states)
                : new Live(WorkloadEvent.PODS_TERMINATING, String.join("; ", terminating), states);
    }

    /** The node as its device agent reports it: only a report of this version and run wish counts as done. */
    private static NodeLive reported(String node, String hash, String version, boolean run, Optional<DeviceReport.WorkloadReport> report) {
        if (report.isEmpty()) {
            return run ? new NodeLive(WorkloadState.deploying, "on " + node + ": waiting for the device agent to take version " + version)
                    : new NodeLive(WorkloadState.stopped, null);
        }
        DeviceReport.WorkloadReport r = report.get();
        String detail = r.message() == null || r.message().isEmpty() ? "" : ": " + r.message();
        if (!run) {
            return "stopped".equals(r.state()) ? new NodeLive(WorkloadState.stopped, null)
                    : new NodeLive(WorkloadState.stopping, "on " + node + ": the device agent is stopping it" + detail);
        }
        if (!hash.equals(r.specHash()) || !r.run()) {
            return new NodeLive(WorkloadState.deploying, "on " + node + ": the device runs " + (r.run() ? "version " + r.version() : "nothing")
                    + ", switching to version " + version);
        }
        return switch (r.state() == null ? "" : r.state()) {
            case "running" -> new NodeLive(WorkloadState.running, null);
            case "failed" -> new NodeLive(WorkloadState.failed, "on " + node + detail);
            default -> new NodeLive(WorkloadState.deploying, "on " + node + ": " + (r.state() == null ? "starting" : r.state()) + detail);
        };
    }

    private record NodeLive(WorkloadState state, String message) {
    }

    private static NodeLive running(String node, String hash, List<Pod> pods) {
        List<Pod> current = pods.stream().filter(p -> hash.equals(hash(p)) && p.getMetadata().getDeletionTimestamp() == null).toList();
        for (Pod pod : current) {
            Optional<String> failure = failure(pod);
            if (failure.isPresent()) {
                return new NodeLive(WorkloadState.failed, failure.get());
            }
        }
        if (current.stream().anyMatch(WorkloadObservation::ready)) {
            return new NodeLive(WorkloadState.running, null);
        }
        if (current.isEmpty()) {
            return new NodeLive(WorkloadState.deploying, "on " + node + ": waiting for the pod to be created");
        }
        return new NodeLive(WorkloadState.deploying, "on " + node + ": " + progress(current.get(0)));
    }

    private static NodeLive stopped(String node, List<Pod> left) {
        if (left.isEmpty()) {
            return new NodeLive(WorkloadState.stopped, null);
        }
        return new NodeLive(WorkloadState.stopping, "on " + node + ": pod " + left.get(0).getMetadata().getName() + " is terminating");
    }

    /** Why {@code pod} cannot run (image pull error, crash loop, a container that cannot be created), or empty. */
    static Optional<String> failure(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        if ("Failed".equals(pod.getStatus().getPhase())) {
            return Optional.of("pod " + pod.getMetadata().getName() + " failed"
                    + (pod.getStatus().getMessage() == null ? "" : ": " + pod.getStatus().getMessage()));
        }
        for (ContainerStatus container : containers(pod)) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting == null || waiting.getReason() == null) {
                continue;
            }
            if (PULL_ERRORS.contains(waiting.getReason())) {
                return Optional.of("image pull failed: " + (waiting.getMessage() == null ? waiting.getReason() + " " + container.getImage()
                        : waiting.getMessage()));
            }
            if ("CrashLoopBackOff".equals(waiting.getReason())) {
                ContainerStateTerminated last = container.getLastState() == null ? null : container.getLastState().getTerminated();
                return Optional.of("crash loop: container " + container.getName() + " restarted " + container.getRestartCount()
                        + " times" + (last == null ? "" : ", last exit code " + last.getExitCode()));
            }
            if (CREATE_ERRORS.contains(waiting.getReason())) {
                return Optional.of("container " + container.getName() + " cannot start: "
                        + (waiting.getMessage() == null ? waiting.getReason() : waiting.getMessage()));
            }
        }
        return Optional.empty();
    }

    private static String progress(Pod pod) {
        for (ContainerStatus container : containers(pod)) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && waiting.getReason() != null) {
                return "container " + container.getName() + " " + waiting.getReason();
            }
            if (!Boolean.TRUE.equals(container.getReady())) {
                return "container " + container.getName() + " not ready";
            }
        }
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
        return "pod " + pod.getMetadata().getName() + " is " + phase;
    }

    /**
     * Pre-pull progress of {@code staged} on each of its nodes, from the containers of its pre-pull
     * pods: an image is present once its container was created (it has an image ID, or has run or
     * failed to start), failed while its pull fails, downloading while the container is being created.
     */
    public static PrePull prePull(String workload, WorkloadSpec staged, Map<String, Node> nodes, List<Pod> pods) {
        String hash = WorkloadSpecs.hash(staged);
        List<String> images = staged.images();
        List<WorkloadStatus.NodeProgress> progress = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (String node : staged.nodes()) {
            Optional<Pod> pod = pods.stream().filter(p -> workload.equals(label(p, WorkloadPods.WORKLOAD_LABEL))
                    && hash.equals(label(p, PrePullPodBuilder.PREPULL_LABEL)) && node.equals(nodeOf(p))).findFirst();
            Optional<String> away = unreachable(node, nodes.get(node));
            List<WorkloadStatus.ImageProgress> perImage = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                String name = PrePullPodBuilder.containerName(i);
                Optional<ContainerStatus> container = pod.stream().flatMap(p -> containers(p).stream())
                        .filter(c -> name.equals(c.getName())).findFirst();
                WorkloadStatus.ImageProgress image = image(images.get(i), container, away);
                perImage.add(image);
                if (image.state() == ImagePullState.failed) {
                    failures.add("on " + node + ": " + image.message());
                } else if (image.state() != ImagePullState.present) {
                    waiting.add(node);
                }
            }
            progress.add(new WorkloadStatus.NodeProgress(node, perImage));
        }
        if (!failures.isEmpty()) {
            return new PrePull(WorkloadEvent.PULL_FAILED, String.join("; ", failures), progress);
        }
        if (!waiting.isEmpty()) {
            return new PrePull(WorkloadEvent.PULL_STARTED, "pulling images on " + String.join(", ", new TreeSet<>(waiting)), progress);
        }
        return new PrePull(WorkloadEvent.PULL_DONE, null, progress);
    }

    private static WorkloadStatus.ImageProgress image(String image, Optional<ContainerStatus> status, Optional<String> away) {
        if (status.isEmpty()) {
            return new WorkloadStatus.ImageProgress(image, ImagePullState.pending, away.orElse(null));
        }
        ContainerStatus container = status.get();
        boolean created = container.getImageID() != null && !container.getImageID().isEmpty()
                || container.getState() != null && (container.getState().getRunning() != null || container.getState().getTerminated() != null);
        ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (created || waiting != null && CREATE_ERRORS.contains(waiting.getReason())) {
            return new WorkloadStatus.ImageProgress(image, ImagePullState.present, null);
        }
        if (waiting != null && PULL_ERRORS.contains(waiting.getReason())) {
            return new WorkloadStatus.ImageProgress(image, ImagePullState.failed, waiting.getMessage() == null ? waiting.getReason() : waiting.getMessage());
        }
        return new WorkloadStatus.ImageProgress(image, ImagePullState.downloading, away.orElse(null));
    }

    /** Pods of the workload that run it (mirror pods of its static pods), not pre-pull pods. */
    private static boolean isWorkloadPod(String workload, Pod pod) {
        return workload.equals(label(pod, WorkloadPods.WORKLOAD_LABEL)) && label(pod, PrePullPodBuilder.PREPULL_LABEL) == null;
    }

    static boolean isMirror(Pod pod) {
        return pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(MIRROR_ANNOTATION);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<ContainerStatus> containers(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of() : pod.getStatus().getContainerStatuses();
    }

    /** The node a pod is for: its node label (set before it is scheduled), else where it was bound. */
    static String nodeOf(Pod pod) {
        String label = label(pod, WorkloadPods.NODE_LABEL);
        return label != null ? label : pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    }

    static String hash(Pod pod) {
        return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(WorkloadPods.SPEC_HASH_ANNOTATION);
    }

    private static String label(Pod pod, String key) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
    }
}
