package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantListener;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Context;
import jakarta.inject.Inject;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The kubelets' serving CSRs of every watched cluster: each one of a device is reviewed as it
 * appears (and again at every resync, until decided), and its device reconciled once its state
 * changed (asked, approved, signed), so that the device's status shows it without a list of
 * every CSR of the cluster per device and pass.
 */
@Context
public class ServingCsrWatches implements TenantListener<CertificateSigningRequest> {
    private final ServingCsrApproval approval;
    private final Function<String, Optional<KubernetesClient>> clients;
    private final BiConsumer<String, String> wake;

    @Inject
    public ServingCsrWatches(TenantCache cache, MachineDeploymentRepository machines, ClusterRepository clusters,
                             ClusterConnections connections, MachineDeploymentReconciler reconciler, MachineWakes wakes) {
        this(cache, (clusterId, node) -> machines.findByClusterIdAndName(clusterId, node).map(reconciler::describe),
                clusterId -> clusters.findById(clusterId).map(cluster -> connections.open(cluster).client()), wakes::wake);
    }

    /**
     * @param devices the seed manager's devices
     * @param clients the current client of a cluster
     * @param wake    reconciles the device of a node in a cluster now
     */
    ServingCsrWatches(TenantCache cache, ServingCsrApproval.Devices devices, Function<String, Optional<KubernetesClient>> clients,
                      BiConsumer<String, String> wake) {
        this.approval = new ServingCsrApproval(devices);
        this.clients = clients;
        this.wake = wake;
        cache.listen(TenantKinds.SERVING_CSRS, this);
    }

    @Override
    public void added(String clusterId, CertificateSigningRequest csr) {
        review(clusterId, csr);
        TenantKinds.servingNode(csr).ifPresent(node -> wake.accept(clusterId, node));
    }

    @Override
    public void updated(String clusterId, CertificateSigningRequest before, CertificateSigningRequest after) {
        review(clusterId, after);
        // A resync hands over the same version again: nothing the device shows changed.
        if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
            TenantKinds.servingNode(after).ifPresent(node -> wake.accept(clusterId, node));
        }
    }

    @Override
    public void deleted(String clusterId, CertificateSigningRequest csr) {
        approval.forget(clusterId, csr);
    }

    private void review(String clusterId, CertificateSigningRequest csr) {
        if (TenantKinds.servingNode(csr).isPresent() && ServingCsrs.pending(csr)) {
            clients.apply(clusterId).ifPresent(client -> approval.review(clusterId, client, csr));
        } else {
            approval.forget(clusterId, csr);
        }
    }
}
