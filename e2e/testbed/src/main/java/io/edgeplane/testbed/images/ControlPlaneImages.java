package io.edgeplane.testbed.images;

import io.edgeplane.testbed.KubernetesBinaries;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Images of the control-plane components (one static binary on an empty base each), pushed to the
 * local registry, for hosting control planes as pods without any upstream registry.
 */
public final class ControlPlaneImages {
    public static final List<String> COMPONENTS = List.of("etcd", "kube-apiserver", "konnectivity-server", "kube-controller-manager",
            "kube-scheduler");

    private ControlPlaneImages() {
    }

    /** Builds and pushes every component image; returns component name to image reference. */
    public static Map<String, String> push(LocalRegistry registry, KubernetesBinaries binaries) {
        Map<String, String> references = new LinkedHashMap<>();
        for (String component : COMPONENTS) {
            String tag = switch (component) {
                case "etcd" -> binaries.versions().etcd();
                case "konnectivity-server" -> binaries.versions().konnectivity();
                default -> binaries.versions().kubernetes();
            };
            references.put(component, ImageBuilder.fromBinary(binaries.binary(component), component, List.of())
                    .push(registry, "edgeplane/" + component + ":" + tag));
        }
        return references;
    }
}
