package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ApiServerEndpoints;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ApiServerFlags;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;

/**
 * The tenant kube-apiserver Deployment, reached by devices through {@link ApiServerServiceBuilder};
 * its tunnel server runs beside it, and everything it opens towards devices goes through that.
 */
public final class ApiServerDeploymentBuilder {
    private static final String PORT_NAME = "https";

    private ApiServerDeploymentBuilder() {
    }

    /** Annotates the pod with the tunnel credentials' serial: a renewed set rolls the pod onto it. */
    public static final String TUNNEL_SERIAL_ANNOTATION = "edgeplane.io/tunnel-credentials";

    /**
     * Annotates the pod with the names (never the material) of the encryption keys: a rotation step
     * rolls every apiserver onto it, and a finished rollout says all of them read the new set.
     */
    public static final String ENCRYPTION_KEYS_ANNOTATION = "edgeplane.io/encryption-keys";

    /**
     * @param tunnelSerial serial of the tunnel server's current credentials ({@link TunnelSecretBuilder})
     * @param encryptionKeys names of the keys in {@link EncryptionConfigSecretBuilder}'s Secret, in its order
     */
    public static Deployment build(ControlPlaneSpec spec, String tunnelSerial, List<String> encryptionKeys) {
        ComponentPod pod = new ComponentPod(spec, Component.KUBE_APISERVER, flags(spec))
                .port(PORT_NAME, ControlPlaneSpec.POD_APISERVER_PORT)
                .probes(ComponentPod.startup("HTTPS", "/livez", PORT_NAME),
                        ComponentPod.liveness("HTTPS", "/livez", PORT_NAME),
                        ComponentPod.readiness("HTTPS", "/readyz", PORT_NAME))
                .requests("250m", "512Mi")
                .volume(new VolumeBuilder().withName("egress-selector")
                                .withNewConfigMap().withName(EgressSelectorConfigMapBuilder.NAME).endConfigMap().build(),
                        new VolumeMountBuilder().withName("egress-selector").withMountPath(PodLayout.EGRESS_DIR).withReadOnly(true).build())
                .volume(new VolumeBuilder().withName("encryption-config")
                                .withNewSecret().withSecretName(EncryptionConfigSecretBuilder.NAME).withDefaultMode(0440).endSecret().build(),
                        new VolumeMountBuilder().withName("encryption-config").withMountPath(PodLayout.ENCRYPTION_DIR).withReadOnly(true).build())
                .volume(TunnelServerContainer.socketVolume(), TunnelServerContainer.socketMount())
                .sidecar(TunnelServerContainer.container(spec), TunnelServerContainer.volumes())
                .annotation(TUNNEL_SERIAL_ANNOTATION, tunnelSerial)
                .annotation(ENCRYPTION_KEYS_ANNOTATION, String.join(",", encryptionKeys));
        if (spec.auditLogging()) {
            pod.volume(new VolumeBuilder().withName("audit-policy")
                                    .withNewConfigMap().withName(AuditPolicyConfigMapBuilder.NAME).endConfigMap().build(),
                            new VolumeMountBuilder().withName("audit-policy").withMountPath(PodLayout.AUDIT_POLICY_DIR)
                                    .withReadOnly(true).build())
                    // Bounded by the rotation flags (maxsize x maxbackup); gone with the pod.
                    .volume(new VolumeBuilder().withName("audit-log").withNewEmptyDir().endEmptyDir().build(),
                            new VolumeMountBuilder().withName("audit-log").withMountPath(PodLayout.AUDIT_LOG_DIR).build());
        }
        return ComponentDeployment.build(spec, Component.KUBE_APISERVER, ComponentDeployment.surgeFirst(), pod.template());
    }

    /**
     * No advertise address: a pod IP is unreachable from devices and the port they dial is the
     * Service's, so the apiserver publishes no endpoint of its own.
     */
    static List<String> flags(ControlPlaneSpec spec) {
        ApiServerEndpoints endpoints = new ApiServerEndpoints(PodLayout.ALL_ADDRESSES,
                ControlPlaneSpec.POD_APISERVER_PORT,
                null,
                EtcdCluster.clientUrls(spec),
                spec.auditLogging() ? PodLayout.AUDIT_LOG_FILE : null,
                spec.auditLogging() ? PodLayout.AUDIT_POLICY_FILE : null,
                PodLayout.EGRESS_DIR + "/" + PodLayout.EGRESS_KEY,
                PodLayout.ENCRYPTION_DIR + "/" + PodLayout.ENCRYPTION_KEY);
        return ApiServerFlags.build(spec, PodLayout.PKI, endpoints);
    }
}
