package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns stored workloads into {@link WorkloadView}s, and describes a staged version's pre-pull progress. */
@Singleton
public class WorkloadViews {

    private final WorkloadJson json;

    public WorkloadViews(WorkloadJson json) {
        this.json = json;
    }

    public WorkloadView view(Cluster cluster, Workload w) {
        WorkloadSpec live = json.spec(w.liveSpec());
        WorkloadSpec staged = json.spec(w.stagedSpec());
        WorkloadStatus status = json.status(w);
        WorkloadSpec shown = live != null ? live : staged;
        WorkloadView.Staged stagedView = staged == null ? null
                : new WorkloadView.Staged(w.appName(), w.stagedAppVersion(), w.stagedState(), w.stagedInstantlyApply(),
                status.staged() == null ? null : status.staged().message(), progress(staged, status), staged.configuration());
        return new WorkloadView(WorkloadView.KIND, w.name(), cluster.name(), w.title(), w.appName(), w.appVersion(),
                shown == null ? List.of() : shown.nodes(), shown == null ? Map.of() : shown.configuration(), w.run(), w.state(),
                status.message(), status.warnings(), status.lastSeen(), status.nodes(),
                status.deviceActions() == null ? List.of() : status.deviceActions(), stagedView, w.deleteRequested(),
                w.generation(), w.observedGeneration(), w.createdAt(), w.updatedAt());
    }

    /** Every image of {@code staged} on every target device, with what the reconciler last saw ({@code pending} before that). */
    List<WorkloadStatus.NodeProgress> progress(WorkloadSpec staged, WorkloadStatus status) {
        List<WorkloadStatus.NodeProgress> nodes = new ArrayList<>();
        for (String node : staged.nodes()) {
            List<WorkloadStatus.ImageProgress> images = new ArrayList<>();
            for (String image : staged.images()) {
                WorkloadStatus.ImageProgress seen = seen(status, node, image);
                images.add(seen != null ? seen : new WorkloadStatus.ImageProgress(image, ImagePullState.pending, null));
            }
            nodes.add(new WorkloadStatus.NodeProgress(node, images));
        }
        return nodes;
    }

    /** E.g. {@code 3 of 4 images present}, or the first failure. */
    String summary(WorkloadSpec staged, WorkloadStatus status) {
        int present = 0;
        int total = 0;
        for (WorkloadStatus.NodeProgress node : progress(staged, status)) {
            for (WorkloadStatus.ImageProgress image : node.images()) {
                total++;
                if (image.state() == ImagePullState.present) {
                    present++;
                } else if (image.state() == ImagePullState.failed) {
                    return "image " + image.image() + " failed on " + node.node()
                            + (image.message() == null ? "" : ": " + image.message());
                }
            }
        }
        return present + " of " + total + " images present on the target devices";
    }

    private static @Nullable WorkloadStatus.ImageProgress seen(WorkloadStatus status, String node, String image) {
        if (status.staged() == null || status.staged().nodes() == null) {
            return null;
        }
        for (WorkloadStatus.NodeProgress progress : status.staged().nodes()) {
            if (node.equals(progress.node()) && progress.images() != null) {
                for (WorkloadStatus.ImageProgress seen : progress.images()) {
                    if (image.equals(seen.image())) {
                        return seen;
                    }
                }
            }
        }
        return null;
    }
}
