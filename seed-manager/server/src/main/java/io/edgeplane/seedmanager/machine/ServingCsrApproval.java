package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Approves a kubelet's serving CSR as it appears, if its node is a device of the seed manager and
 * it asks for exactly that node's own identity, names and addresses ({@link ServingCsrCheck});
 * leaves any other one unapproved and says why, at warning level once per CSR and reason (a CSR
 * is reviewed again at every resync of the informer, which is how a failed approval is retried).
 */
final class ServingCsrApproval {
    private static final Logger LOG = LoggerFactory.getLogger(ServingCsrApproval.class);
    /** Refusals remembered for logging once; a flood of forged CSRs cannot grow the map without end. */
    private static final int MAX_REMEMBERED_REFUSALS = 10_000;

    /** The seed manager's devices. */
    @FunctionalInterface
    interface Devices {
        /** The device's MachineDeployment as log lines name it ({@code machine=p/c/name}); empty for a node that is no device. */
        Optional<String> machine(String clusterId, String node);
    }

    private final Devices devices;
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    ServingCsrApproval(Devices devices) {
        this.devices = devices;
    }

    /** Reviews a pending serving CSR of a device: approves it if it is the node's own. True when it approved it now. */
    boolean review(String clusterId, KubernetesClient client, CertificateSigningRequest csr) {
        Optional<String> node = TenantKinds.servingNode(csr);
        if (node.isEmpty() || !ServingCsrs.pending(csr)) {
            forget(clusterId, csr);
            return false;
        }
        Optional<String> machine = devices.machine(clusterId, node.get());
        if (machine.isEmpty()) {
            return false;   // not a node of a device: none of the seed manager's business
        }
        String name = csr.getMetadata().getName();
        // The node as the apiserver has it now, not as cached: its kubelet reports its addresses just
        // before it asks, and a cache a moment behind would refuse the node its own names.
        Node current = client.nodes().withName(node.get()).get();
        if (current == null) {
            LOG.debug("{} serving CSR {} waits for the node to register", machine.get(), name);
            return false;
        }
        Optional<String> refusal = ServingCsrs.refusal(csr, current);
        if (refusal.isPresent()) {
            logRefusal(clusterId, machine.get(), name, refusal.get());
            return false;
        }
        // Seen late (or at a resync), a CSR approved a moment ago may still look pending; the apiserver knows.
        CertificateSigningRequest fresh = client.certificates().v1().certificateSigningRequests().withName(name).get();
        if (fresh == null || !ServingCsrs.pending(fresh)) {
            return false;
        }
        client.certificates().v1().certificateSigningRequests().withName(name)
                .approve(new CertificateSigningRequestConditionBuilder()
                        .withType("Approved").withStatus("True").withReason("EdgeplaneNodeServing")
                        .withMessage("serving certificate of the node of MachineDeployment " + node.get()).build());
        LOG.info("{} serving CSR {} approved", machine.get(), name);
        return true;
    }

    /** The CSR was decided or is gone: a refusal of it is no longer remembered. */
    void forget(String clusterId, CertificateSigningRequest csr) {
        refused.remove(clusterId + "/" + csr.getMetadata().getName());
    }

    private void logRefusal(String clusterId, String machine, String name, String why) {
        if (refused.size() >= MAX_REMEMBERED_REFUSALS) {
            refused.clear();
        }
        if (why.equals(refused.put(clusterId + "/" + name, why))) {
            LOG.debug("{} serving CSR {} left unapproved, again: {}", machine, name, why);
        } else {
            LOG.warn("{} serving CSR {} left unapproved: {}", machine, name, why);
        }
    }
}
