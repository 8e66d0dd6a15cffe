package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels every object of a hosted control plane carries; the selector subset never changes after creation. */
public final class ControlPlaneLabels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String PROJECT = "edgeplane.io/project";
    /** The cluster's namespace: unique across projects, so one label selects everything of one cluster. */
    public static final String CLUSTER = "edgeplane.io/cluster";

    private ControlPlaneLabels() {
    }

    /** Labels of objects that belong to the cluster as a whole (namespace, secrets). */
    public static Map<String, String> cluster(ControlPlaneSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PART_OF, "edgeplane");
        labels.put(PROJECT, spec.project());
        labels.put(CLUSTER, spec.namespace());
        return labels;
    }

    /** Labels of a component's objects and pods. */
    public static Map<String, String> component(ControlPlaneSpec spec, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, component.id());
        labels.putAll(cluster(spec));
        return labels;
    }

    /** Selects a component's pods; part of immutable selectors, so it must stay this small and stable. */
    public static Map<String, String> selector(ControlPlaneSpec spec, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, component.id());
        labels.put(CLUSTER, spec.namespace());
        return labels;
    }
}
