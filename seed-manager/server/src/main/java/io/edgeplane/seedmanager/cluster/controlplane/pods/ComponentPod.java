package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod template every control-plane component shares: one hardened container running the
 * component binary with its flags, no service-account token (the components authenticate with
 * their own certificates), no Service environment variables.
 */
final class ComponentPod {
    private final ControlPlaneSpec spec;
    private final Component component;
    private final List<String> flags;
    private final List<ContainerPort> ports = new ArrayList<>();
    private final List<EnvVar> env = new ArrayList<>(List.of(PodHardening.PATH));
    private final List<Volume> volumes = new ArrayList<>();
    private final List<VolumeMount> mounts = new ArrayList<>();
    private Probe startup;
    private Probe liveness;
    private Probe readiness;
    private Map<String, Quantity> requests = Map.of();
    private final List<Container> sidecars = new ArrayList<>();
    private final Map<String, String> annotations = new TreeMap<>();

    ComponentPod(ControlPlaneSpec spec, Component component, List<String> flags) {
        this.spec = spec;
        this.component = component;
        this.flags = List.copyOf(flags);
        volume(PkiVolume.volume(flags), PkiVolume.mount());
    }

    ComponentPod port(String name, int port) {
        ports.add(new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build());
        return this;
    }

    ComponentPod env(EnvVar variable) {
        env.add(variable);
        return this;
    }

    ComponentPod volume(Volume volume, VolumeMount mount) {
        volumes.add(volume);
        mounts.add(mount);
        return this;
    }

    /** Another container in the pod, with the volumes only it mounts. */
    ComponentPod sidecar(Container container, List<Volume> itsVolumes) {
        sidecars.add(container);
        volumes.addAll(itsVolumes);
        return this;
    }

    /** A pod annotation: changing it rolls the workload (e.g. to restart onto renewed credentials). */
    ComponentPod annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    /** Mounted, but the volume itself comes from elsewhere (a StatefulSet's claim template). */
    ComponentPod mount(VolumeMount mount) {
        mounts.add(mount);
        return this;
    }

    ComponentPod probes(Probe startup, Probe liveness, Probe readiness) {
        this.startup = startup;
        this.liveness = liveness;
        this.readiness = readiness;
        return this;
    }

    ComponentPod requests(String cpu, String memory) {
        this.requests = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
        return this;
    }

    /** Replicas of a highly available control plane prefer different seed nodes, so one node failure keeps quorum. */
    PodTemplateSpec template() {
        Affinity affinity = spec.highlyAvailable() ? spreadOverNodes() : null;
        List<String> command = new ArrayList<>();
        command.add(component.id());
        command.addAll(flags);
        Container container = new ContainerBuilder()
                .withName(component.id())
                .withImage(spec.image(component.id()))
                .withImagePullPolicy("IfNotPresent")
                .withCommand(command)
                .withEnv(env)
                .withPorts(ports)
                .withVolumeMounts(mounts)
                .withStartupProbe(startup)
                .withLivenessProbe(liveness)
                .withReadinessProbe(readiness)
                .withResources(new ResourceRequirementsBuilder().withRequests(new TreeMap<>(requests)).build())
                .withSecurityContext(PodHardening.containerSecurityContext())
                .build();
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(ControlPlaneLabels.component(spec, component))
                .withAnnotations(annotations.isEmpty() ? null : new TreeMap<>(annotations)).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(PodHardening.podSecurityContext())
                .withAffinity(affinity)
                .withContainers(containers(container))
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private List<Container> containers(Container main) {
        List<Container> all = new ArrayList<>();
        all.add(main);
        all.addAll(sidecars);
        return all;
    }

    private Affinity spreadOverNodes() {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(ControlPlaneLabels.selector(spec, component)).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    /** An HTTP(S) GET probe on a named container port. */
    static Probe httpGet(String scheme, String path, String port, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withScheme(scheme).withPath(path).withPort(new IntOrString(port)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(15)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** Startup: up to four minutes (etcd quorum, first apiserver start); liveness checks only begin afterwards. */
    static Probe startup(String scheme, String path, String port) {
        return httpGet(scheme, path, port, 10, 24);
    }

    static Probe liveness(String scheme, String path, String port) {
        return httpGet(scheme, path, port, 10, 8);
    }

    static Probe readiness(String scheme, String path, String port) {
        return httpGet(scheme, path, port, 5, 3);
    }
}
