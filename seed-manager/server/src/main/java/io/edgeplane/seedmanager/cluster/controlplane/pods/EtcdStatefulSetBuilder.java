package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EtcdFlags;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

import java.util.List;

/** The etcd members of one cluster: a StatefulSet with a persistent volume per member. */
public final class EtcdStatefulSetBuilder {
    /** Plenty for a tenant cluster of edge devices; etcd's own default quota is 2 GiB. */
    public static final String DEFAULT_STORAGE = "1Gi";
    private static final String DATA_VOLUME = "data";

    private EtcdStatefulSetBuilder() {
    }

    public static StatefulSet build(ControlPlaneSpec spec) {
        List<String> flags = EtcdFlags.build(spec, PodLayout.PKI, EtcdCluster.endpoints(spec));
        ComponentPod pod = new ComponentPod(spec, Component.ETCD, flags)
                .env(new EnvVarBuilder().withName("POD_NAME")
                        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
                        .build())
                .port("client", PodLayout.ETCD_CLIENT_PORT)
                .port("peer", PodLayout.ETCD_PEER_PORT)
                .port("metrics", PodLayout.ETCD_METRICS_PORT)
                .mount(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(PodLayout.ETCD_VOLUME_DIR).build())
                // Readiness needs quorum; liveness only that this member serves, so a lost quorum restarts nothing.
                .probes(ComponentPod.startup("HTTP", "/livez", "metrics"),
                        ComponentPod.liveness("HTTP", "/livez", "metrics"),
                        ComponentPod.readiness("HTTP", "/readyz", "metrics"))
                .requests("100m", "256Mi");
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(EtcdCluster.NAME)
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, Component.ETCD))
                .endMetadata()
                .withNewSpec()
                .withReplicas(spec.etcdReplicas())
                .withServiceName(EtcdCluster.NAME)
                // All members must run before any is ready: ordered start would wait forever for etcd-0.
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(ControlPlaneLabels.selector(spec, Component.ETCD)).endSelector()
                .withTemplate(pod.template())
                .withVolumeClaimTemplates(dataClaim(spec))
                .endSpec()
                .build();
    }

    private static PersistentVolumeClaim dataClaim(ControlPlaneSpec spec) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(DATA_VOLUME)
                .withLabels(ControlPlaneLabels.component(spec, Component.ETCD))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(DEFAULT_STORAGE)).endResources()
                .endSpec()
                .build();
    }
}
