package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.ClusterStatus.ComponentCondition;
import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneId;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.PublishedApiServer;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelCredentials;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelEndpoint;
import io.edgeplane.seedmanager.cluster.controlplane.flags.Kubeconfigs;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Control planes as pods on a seed cluster: one namespace per cluster, objects from the pure
 * builders, each applied by one generic server-side apply. Deleting removes the namespace.
 */
@Singleton
@Requires(property = "edgeplane.runtime", value = "pods")
public class PodsRuntime implements ControlPlaneRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PodsRuntime.class);
    private static final String FIELD_MANAGER = "edgeplane";

    private final KubernetesClient seed;
    private final Map<String, String> images;
    private final ComponentRequests requests;

    public PodsRuntime(PodsRuntimeConfig config) {
        this.images = Map.copyOf(config.images());
        for (Component component : Component.values()) {
            if (!images.containsKey(component.id())) {
                throw new IllegalStateException("edgeplane.pods-runtime.images." + component.id() + " is required for the pods runtime");
            }
        }
        this.requests = ComponentRequests.parse(config.requests());
        this.seed = SeedClusterClient.build(config.kubeconfig());
    }

    /** Nothing on the seed host: the seed cluster schedules the pods and pulls the images. */
    @Override
    public HostNeeds hostNeeds() {
        return new HostNeeds(List.of(), false);
    }

    /** The apiserver's port inside its pod; {@code {version}} in a configured image stands for the cluster's Kubernetes version. */
    @Override
    public Placement placement(String version, Map<String, Integer> heldPorts) {
        Map<String, String> resolved = new TreeMap<>();
        images.forEach((component, image) -> resolved.put(component, image.replace(PodsRuntimeConfig.VERSION, version)));
        return new Placement(ControlPlaneSpec.POD_APISERVER_PORT, resolved);
    }

    /** The in-cluster Service names of the apiserver, and etcd's member and client Service names. */
    @Override
    public CertificateNames certificateNames(ControlPlaneSpec spec) {
        String service = Component.KUBE_APISERVER.id();
        return new CertificateNames(List.of(service, service + "." + spec.namespace(), service + "." + spec.namespace() + ".svc"),
                EtcdCluster.serverNames(spec));
    }

    /**
     * Applies every object in dependency order. A workload that already runs other containers (an
     * upgrade) is only changed once every workload before it has rolled out: etcd, then the
     * apiserver, then the controller-manager and scheduler, as the version skew policy requires.
     */
    @Override
    public List<ComponentCondition> ensure(ControlPlaneTarget target) {
        ControlPlaneSpec spec = target.spec();
        List<ComponentCondition> conditions = new ArrayList<>();
        String rollingOut = null;
        for (HasMetadata object : ControlPlaneObjects.all(spec, pkiFiles(target.pki()), kubeconfigs(target.pki(), spec),
                tunnelCredentials(target), target.pki().encryptionKeys(), requests)) {
            if (!(object instanceof StatefulSet || object instanceof Deployment)) {
                apply(object);
                continue;
            }
            String component = object instanceof StatefulSet ? "etcd" : object.getMetadata().getName();
            HasMetadata current = seed.resource(object).get();
            if (current != null && rollingOut != null && !Workloads.sameContainers(current, object)) {
                conditions.add(new ComponentCondition(component, false, "UpgradePending",
                        "waits for " + rollingOut + " to roll out", Instant.now()));
                continue;
            }
            HasMetadata applied = apply(object);
            conditions.add(condition(component, Workloads.available(applied, object instanceof StatefulSet ? spec.etcdReplicas() : 1)));
            if (rollingOut == null && !Workloads.rolledOut(applied)) {
                rollingOut = component;
            }
        }
        return conditions;
    }

    private HasMetadata apply(HasMetadata object) {
        return seed.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** The Service's address as devices dial it: the apiserver in its pod cannot know it. */
    @Override
    public Optional<PublishedApiServer> unpublishedApiServer(ControlPlaneTarget target) {
        return PublishedApiServer.of(endpoint(target));
    }

    @Override
    public boolean tunnels() {
        return true;
    }

    /** The seed's external address and the node port the seed cluster gave the Service's tunnel port, once it has. */
    @Override
    public Optional<TunnelEndpoint> tunnel(ControlPlaneTarget target) {
        ControlPlaneSpec spec = target.spec();
        return servicePort(spec, ApiServerServiceBuilder.TUNNEL_PORT_NAME)
                .map(port -> new TunnelEndpoint(spec.externalAddress(), port.getNodePort() != null ? port.getNodePort() : port.getPort()));
    }

    @Override
    public String endpoint(ControlPlaneTarget target) {
        ControlPlaneSpec spec = target.spec();
        return servicePort(spec, ApiServerServiceBuilder.APISERVER_PORT_NAME)
                .filter(port -> port.getNodePort() != null)
                .map(port -> "https://" + spec.externalAddress() + ":" + port.getNodePort())
                .orElse("https://" + spec.externalAddress() + ":" + spec.apiserverPort());
    }

    private Optional<ServicePort> servicePort(ControlPlaneSpec spec, String name) {
        Service service = seed.services().inNamespace(spec.namespace()).withName(Component.KUBE_APISERVER.id()).get();
        if (service == null || service.getSpec() == null || service.getSpec().getPorts() == null) {
            return Optional.empty();
        }
        return service.getSpec().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst();
    }

    /**
     * The set the tunnel Secret holds while it is good, else a new one. Read back rather than kept in
     * memory, so every replica of the seed manager and every restart keeps the same set.
     */
    private TunnelCredentials tunnelCredentials(ControlPlaneTarget target) {
        ControlPlaneSpec spec = target.spec();
        String reviewAt = "https://127.0.0.1:" + ControlPlaneSpec.POD_APISERVER_PORT;
        Secret current = seed.secrets().inNamespace(spec.namespace()).withName(TunnelSecretBuilder.NAME).get();
        return TunnelSecretBuilder.read(current)
                .filter(set -> set.goodFor(target.pki(), spec.externalAddress(), reviewAt, Instant.now()))
                .orElseGet(() -> {
                    LOG.info("cluster={}/{} step=tunnel-credentials issuing the tunnel server's credentials", spec.project(), spec.cluster());
                    return TunnelCredentials.issue(target.pki(), spec.externalAddress(), reviewAt);
                });
    }

    /**
     * Every apiserver replica reads the configuration when its pod starts, and the pod template names
     * the keys ({@link ApiServerDeploymentBuilder#ENCRYPTION_KEYS_ANNOTATION}), so a finished rollout of
     * a template naming these keys means every replica runs them. Replicas cannot be asked one by one:
     * their /metrics are behind the tenant's authentication, reachable only through the Service.
     */
    @Override
    public Optional<String> encryptionConfigPending(ControlPlaneTarget target) {
        ControlPlaneSpec spec = target.spec();
        String wanted = String.join(",", target.pki().encryptionKeys().keys().stream().map(EncryptionKeys.Key::name).toList());
        Deployment apiserver = seed.apps().deployments().inNamespace(spec.namespace()).withName(Component.KUBE_APISERVER.id()).get();
        if (apiserver == null) {
            return Optional.of("no kube-apiserver Deployment in " + spec.namespace());
        }
        Map<String, String> annotations = apiserver.getSpec().getTemplate().getMetadata().getAnnotations();
        if (annotations == null || !wanted.equals(annotations.get(ApiServerDeploymentBuilder.ENCRYPTION_KEYS_ANNOTATION))) {
            return Optional.of("the kube-apiserver Deployment does not name the encryption keys " + wanted + " yet");
        }
        return Workloads.rolledOut(apiserver) ? Optional.empty()
                : Optional.of("kube-apiserver replicas are rolling out onto the encryption keys " + wanted);
    }

    @Override
    public void delete(ControlPlaneId id) {
        seed.namespaces().withName(id.namespace()).delete();
        LOG.info("cluster={}/{} step=delete namespace {} deleted", id.project(), id.cluster(), id.namespace());
    }

    @PreDestroy
    void close() {
        seed.close();
    }

    /** The CA keys a pod never needs stay out of the Secret; the cluster CA key signs CSRs in the controller-manager. */
    private static Map<String, String> pkiFiles(ClusterPki pki) {
        Map<String, String> files = new TreeMap<>(pki.files());
        files.remove(CertificatePaths.ETCD_CA_KEY);
        files.remove(CertificatePaths.FRONT_PROXY_CA_KEY);
        return files;
    }

    private static Map<String, String> kubeconfigs(ClusterPki pki, ControlPlaneSpec spec) {
        String server = "https://" + Component.KUBE_APISERVER.id() + "." + spec.namespace() + ".svc:" + ControlPlaneSpec.POD_APISERVER_PORT;
        Map<String, String> files = new TreeMap<>();
        files.put(CertificatePaths.CONTROLLER_MANAGER_KUBECONFIG, Kubeconfigs.clientCertificate(server, pki.certificatePem("ca"),
                "system:kube-controller-manager", pki.certificatePem("controller-manager"), pki.privateKeyPem("controller-manager")));
        files.put(CertificatePaths.SCHEDULER_KUBECONFIG, Kubeconfigs.clientCertificate(server, pki.certificatePem("ca"),
                "system:kube-scheduler", pki.certificatePem("scheduler"), pki.privateKeyPem("scheduler")));
        return files;
    }

    private static ComponentCondition condition(String component, boolean ready) {
        return new ComponentCondition(component, ready, ready ? "Ready" : "NotReady", null, Instant.now());
    }
}
