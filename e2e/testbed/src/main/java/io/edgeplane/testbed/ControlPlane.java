package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A whole test control plane: {@link ApiServer} plus kube-controller-manager (CSR signing with the
 * cluster CA, bootstrap signer, token cleaner, node lifecycle) and kube-scheduler, with the RBAC
 * that lets kubelets TLS-bootstrap from a bootstrap token and renew their client certificates.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final ApiServer apiServer;
    private final ManagedProcess controllerManager;
    private final ManagedProcess scheduler;

    private ControlPlane(ApiServer apiServer, ManagedProcess controllerManager, ManagedProcess scheduler) {
        this.apiServer = apiServer;
        this.controllerManager = controllerManager;
        this.scheduler = scheduler;
    }

    /**
     * @param nodeMonitorGracePeriod how long a silent node stays Ready; short in tests that cut devices off
     */
    public static ControlPlane start(KubernetesBinaries binaries, String bindAddress, Duration nodeMonitorGracePeriod) {
        ApiServer apiServer = ApiServer.start(binaries, bindAddress);
        Path dir = apiServer.dir();
        Path pki = dir.resolve("pki");
        ApiServer.write(dir.resolve("controller-manager.kubeconfig"),
                apiServer.kubeconfigFor("system:kube-controller-manager", List.of()));
        ApiServer.write(dir.resolve("scheduler.kubeconfig"), apiServer.kubeconfigFor("system:kube-scheduler", List.of()));
        allowKubeletBootstrap(apiServer.client());

        List<String> controllerManagerArgs = componentArgs(binaries, "kube-controller-manager", dir.resolve("controller-manager.kubeconfig"));
        controllerManagerArgs.addAll(List.of(
                "--cluster-signing-cert-file=" + pki.resolve("ca.crt"),
                "--cluster-signing-key-file=" + pki.resolve("ca.key"),
                "--root-ca-file=" + pki.resolve("ca.crt"),
                "--service-account-private-key-file=" + pki.resolve("sa.key"),
                "--use-service-account-credentials=true",
                "--controllers=*,bootstrapsigner,tokencleaner",
                "--node-monitor-grace-period=" + nodeMonitorGracePeriod.toSeconds() + "s",
                "--node-monitor-period=2s"));
        ManagedProcess controllerManager = ManagedProcess.start("kube-controller-manager", controllerManagerArgs,
                dir.resolve("kube-controller-manager.log"), Map.of());
        ManagedProcess scheduler = ManagedProcess.start("kube-scheduler",
                componentArgs(binaries, "kube-scheduler", dir.resolve("scheduler.kubeconfig")),
                dir.resolve("kube-scheduler.log"), Map.of());
        LOG.info("testbed control plane up at {}", apiServer.url());
        return new ControlPlane(apiServer, controllerManager, scheduler);
    }

    /** Command line shared by controller-manager and scheduler: one identity, loopback-only serving, no leader election. */
    private static List<String> componentArgs(KubernetesBinaries binaries, String component, Path kubeconfig) {
        return new java.util.ArrayList<>(List.of(
                binaries.binary(component).toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + Ports.free(),
                "--leader-elect=false"));
    }

    public ApiServer apiServer() {
        return apiServer;
    }

    public KubernetesClient client() {
        return apiServer.client();
    }

    /** Bootstrap tokens for hand-made kubelet bootstrap kubeconfigs. */
    public BootstrapToken newBootstrapToken(Duration ttl) {
        return BootstrapToken.create(apiServer.client(), ttl);
    }

    public boolean isAlive() {
        return controllerManager.isAlive() && scheduler.isAlive();
    }

    @Override
    public void close() {
        scheduler.stop();
        controllerManager.stop();
        apiServer.close();
    }

    /**
     * The bindings kubeadm creates: bootstrappers may file CSRs, which are auto-approved; nodes renew
     * themselves; the apiserver may use the kubelets' API (logs, exec, port-forward).
     */
    private static void allowKubeletBootstrap(KubernetesClient client) {
        bind(client, "edgeplane:kubelet-bootstrap", "system:node-bootstrapper", "Group", "system:bootstrappers");
        bind(client, "edgeplane:node-autoapprove-bootstrap",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient", "Group", "system:bootstrappers");
        bind(client, "edgeplane:node-autoapprove-certificate-rotation",
                "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", "Group", "system:nodes");
        bind(client, "edgeplane:apiserver-kubelet-client", "system:kubelet-api-admin", "User", "kube-apiserver-kubelet-client");
    }

    private static void bind(KubernetesClient client, String name, String role, String kind, String subject) {
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind(kind).withName(subject).endSubject()
                .build()).serverSideApply();
    }
}
