package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UpstreamException;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.flags.Kubeconfigs;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Admin kubeconfigs. Each gets its own user name and its own ClusterRoleBinding to cluster-admin
 * in the tenant cluster; revoking deletes that binding (the certificate still authenticates but may
 * do nothing), and the certificate itself expires after a short lifetime. Issuing and revoking talk
 * to the tenant apiserver on the request path: they are documented as live calls.
 */
@Singleton
public class ClusterCredentials {
    private final ClusterService clusters;
    private final ClusterTargets targets;
    private final ControlPlaneRuntime runtime;
    private final ClusterCredentialRepository credentials;
    private final Duration lifetime;

    public ClusterCredentials(ClusterService clusters, ClusterTargets targets, ControlPlaneRuntime runtime,
                              ClusterCredentialRepository credentials,
                              @Value("${edgeplane.kubeconfig.lifetime:1h}") Duration lifetime) {
        this.clusters = clusters;
        this.targets = targets;
        this.runtime = runtime;
        this.credentials = credentials;
        this.lifetime = lifetime;
    }

    /** Issues a kubeconfig valid for {@code requested} (at most the configured lifetime; null = that lifetime). */
    public String issue(Caller caller, String project, String name, @Nullable Duration requested) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, name);
        Duration validFor = requested == null ? lifetime : requested;
        if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(lifetime) > 0) {
            throw InvalidInputException.of("lifetime", "must be a positive duration of at most " + lifetime + " (e.g. 15m)");
        }
        if (!ClusterPhase.Running.name().equals(cluster.phase()) || cluster.pki() == null) {
            throw new ConflictException("cluster " + project + "/" + name + " is " + cluster.phase() + "; kubeconfigs are issued once it is Running");
        }
        ControlPlaneTarget target = targets.resolve(cluster);
        String endpoint = runtime.endpoint(target);
        String id = Secrets.random(12);
        String username = "edgeplane:admin:" + id;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var credential = target.pki().issueClient(username, List.of(), validFor);
        try (KubernetesClient client = TenantClients.admin(target, endpoint)) {
            client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                    .withNewMetadata().withName(username).addToLabels("edgeplane.io/credential", id).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(username).endSubject()
                    .build()).serverSideApply();
        } catch (KubernetesClientException e) {
            throw unreachable(cluster, e);
        }
        credentials.save(new ClusterCredential(id, cluster.id(), username, caller.subject(), now, credential.notAfter(), null));
        return Kubeconfigs.clientCertificate(endpoint, target.pki().certificatePem("ca"), username,
                credential.certificatePem(), credential.privateKeyPem());
    }

    public Page<KubeconfigView> list(Caller caller, String project, String name, PageRequest page) {
        Cluster cluster = clusters.find(caller, project, name);
        String after = page.after() == null ? "" : page.after();
        List<KubeconfigView> rows = credentials.findByClusterIdOrderByIssuedAt(cluster.id()).stream()
                .map(KubeconfigView::of)
                .filter(k -> k.sortKey().compareTo(after) > 0)
                .limit(page.fetchSize())
                .toList();
        return page.page(rows, KubeconfigView::sortKey);
    }

    public void revoke(Caller caller, String project, String name, String id) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, name);
        ClusterCredential credential = credentials.findById(id).filter(c -> c.clusterId().equals(cluster.id()))
                .orElseThrow(() -> new NotFoundException("kubeconfig", id));
        if (credential.revokedAt() != null) {
            return;
        }
        ControlPlaneTarget target = targets.resolve(cluster);
        try (KubernetesClient client = TenantClients.admin(target, runtime.endpoint(target))) {
            client.rbac().clusterRoleBindings().withName(credential.username()).delete();
        } catch (KubernetesClientException e) {
            throw unreachable(cluster, e);
        }
        credentials.update(new ClusterCredential(credential.id(), credential.clusterId(), credential.username(), credential.issuedBy(),
                credential.issuedAt(), credential.expiresAt(), Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    private static UpstreamException unreachable(Cluster cluster, KubernetesClientException e) {
        return new UpstreamException("the apiserver of cluster " + cluster.project() + "/" + cluster.name()
                + " refused or did not answer: " + e.getMessage());
    }
}
