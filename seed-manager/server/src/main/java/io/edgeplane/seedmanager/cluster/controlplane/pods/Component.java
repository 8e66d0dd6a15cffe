package io.edgeplane.seedmanager.cluster.controlplane.pods;

/**
 * The control-plane components as the pods runtime names them: binary, container, workload and
 * {@code app.kubernetes.io/name}, and the key of {@code ControlPlaneSpec#images()}.
 */
public enum Component {
    ETCD("etcd"),
    KUBE_APISERVER("kube-apiserver"),
    /** Runs beside the apiserver in its pod; has an image of its own. */
    KONNECTIVITY_SERVER("konnectivity-server"),
    KUBE_CONTROLLER_MANAGER("kube-controller-manager"),
    KUBE_SCHEDULER("kube-scheduler");

    private final String id;

    Component(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
