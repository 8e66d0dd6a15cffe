package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.KonnectivityServerFlags;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tunnel server beside the apiserver in its pod: the apiserver reaches it on a Unix socket in
 * a volume they share, devices' agents on {@link PodLayout#TUNNEL_AGENT_PORT} through the
 * apiserver's Service. Only this container mounts the tunnel Secret.
 */
final class TunnelServerContainer {
    static final String NAME = Component.KONNECTIVITY_SERVER.id();
    static final String AGENT_PORT_NAME = "tunnel";
    private static final String HEALTH_PORT_NAME = "tunnel-health";
    private static final String CREDENTIALS_VOLUME = "tunnel";
    static final String SOCKET_VOLUME = "tunnel-socket";

    private TunnelServerContainer() {
    }

    static Container container(ControlPlaneSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(NAME);
        command.addAll(flags(spec));
        return new ContainerBuilder()
                .withName(NAME)
                .withImage(spec.image(NAME))
                .withImagePullPolicy("IfNotPresent")
                .withCommand(command)
                .withEnv(PodHardening.PATH)
                .withPorts(new ContainerPortBuilder().withName(AGENT_PORT_NAME).withContainerPort(PodLayout.TUNNEL_AGENT_PORT)
                                .withProtocol("TCP").build(),
                        new ContainerPortBuilder().withName(HEALTH_PORT_NAME).withContainerPort(PodLayout.TUNNEL_HEALTH_PORT)
                                .withProtocol("TCP").build())
                .withVolumeMounts(socketMount(),
                        new VolumeMountBuilder().withName(CREDENTIALS_VOLUME).withMountPath(PodLayout.TUNNEL_DIR).withReadOnly(true).build())
                // Liveness only: the server's readiness means "an agent is connected", which a cluster without devices never is.
                .withLivenessProbe(ComponentPod.httpGet("HTTP", "/healthz", HEALTH_PORT_NAME, 10, 6))
                .withResources(new ResourceRequirementsBuilder()
                        .withRequests(new TreeMap<>(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")))).build())
                .withSecurityContext(PodHardening.containerSecurityContext())
                .build();
    }

    /** The volumes only this container mounts. */
    static List<Volume> volumes() {
        return List.of(new VolumeBuilder().withName(CREDENTIALS_VOLUME)
                .withNewSecret().withSecretName(TunnelSecretBuilder.NAME).withDefaultMode(0440).endSecret().build());
    }

    /** The socket directory both containers mount; memory-backed, gone with the pod. */
    static Volume socketVolume() {
        return new VolumeBuilder().withName(SOCKET_VOLUME).withNewEmptyDir().withMedium("Memory").endEmptyDir().build();
    }

    static VolumeMount socketMount() {
        return new VolumeMountBuilder().withName(SOCKET_VOLUME).withMountPath(PodLayout.TUNNEL_SOCKET_DIR).build();
    }

    static List<String> flags(ControlPlaneSpec spec) {
        return KonnectivityServerFlags.build(spec.namespace(), PodLayout.TUNNEL_SOCKET, PodLayout.ALL_ADDRESSES,
                PodLayout.ALL_ADDRESSES,
                new KonnectivityServerFlags.Ports(PodLayout.TUNNEL_AGENT_PORT, PodLayout.TUNNEL_ADMIN_PORT, PodLayout.TUNNEL_HEALTH_PORT),
                PodLayout.TUNNEL_DIR + "/" + TunnelSecretBuilder.CERTIFICATE, PodLayout.TUNNEL_DIR + "/" + TunnelSecretBuilder.KEY,
                PodLayout.TUNNEL_DIR + "/" + TunnelSecretBuilder.KUBECONFIG);
    }
}
