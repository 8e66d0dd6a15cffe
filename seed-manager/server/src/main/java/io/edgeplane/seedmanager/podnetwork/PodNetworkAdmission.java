package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import io.edgeplane.seedmanager.cluster.PodCidrRules;
import io.edgeplane.seedmanager.machine.MachineDeployment;
import io.edgeplane.seedmanager.machine.MachineDeploymentRepository;
import io.edgeplane.seedmanager.machine.PodRanges;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Decides, after the TLS handshake proved the client holds a certificate of the cluster's CA,
 * whether it is a device of that cluster the relay serves: a node's certificate, of a
 * MachineDeployment that exists, is not being deleted and has its pod range, and issued no earlier
 * than that machine was created. Reads the database: never call it on an event loop.
 */
@Singleton
class PodNetworkAdmission {
    /**
     * The CSR signer backdates a kubelet's certificate by this much (as the product's own issuer
     * does), so a certificate of the device registered right after its machine was created starts
     * up to this long before.
     */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final ClusterRepository clusters;
    private final MachineDeploymentRepository machines;
    private final PodRanges podRanges;

    PodNetworkAdmission(ClusterRepository clusters, MachineDeploymentRepository machines, PodRanges podRanges) {
        this.clusters = clusters;
        this.machines = machines;
        this.podRanges = podRanges;
    }

    Admitted admit(String clusterId, X509Certificate client) throws SessionRefused {
        Cluster cluster = clusters.findById(clusterId)
                .orElseThrow(() -> new SessionRefused("cluster-id=" + clusterId, "the cluster no longer exists"));
        String clusterRef = cluster.project() + "/" + cluster.name();
        if (cluster.deleteRequested()) {
            throw new SessionRefused("cluster=" + clusterRef, "the cluster is being deleted");
        }
        String node;
        try {
            node = NodeIdentity.nodeName(client);
        } catch (IllegalArgumentException e) {
            throw new SessionRefused("cluster=" + clusterRef, e.getMessage());
        }
        String machineRef = clusterRef + "/" + node;
        String subject = "machine=" + machineRef;
        MachineDeployment machine = machines.findByClusterIdAndName(clusterId, node)
                .orElseThrow(() -> new SessionRefused(subject, "the cluster has no MachineDeployment " + node));
        if (machine.deleteRequested()) {
            throw new SessionRefused(subject, "the MachineDeployment is being deleted");
        }
        Optional<String> range = podRanges.of(machine);
        if (range.isEmpty()) {
            throw new SessionRefused(subject, "the MachineDeployment has no pod range yet");
        }
        Ipv4Cidr podRange = Ipv4Cidr.parse(range.get());
        if (podRange.prefix() != PodCidrRules.DEVICE_PREFIX) {
            throw new SessionRefused(subject, "its pod range " + podRange + " is not a /" + PodCidrRules.DEVICE_PREFIX);
        }
        requireIssuedForThisMachine(subject, client, machine);
        return new Admitted(clusterId, machineRef, node, machine.id(), podRange, client.getNotAfter().toInstant());
    }

    /**
     * A certificate from before the machine existed is an earlier device's of the same name (removed,
     * its certificate still valid): it must not speak for the new one. Certificates carry whole
     * seconds, so the creation time is compared at that precision.
     */
    private static void requireIssuedForThisMachine(String subject, X509Certificate client, MachineDeployment machine)
            throws SessionRefused {
        Instant notBefore = client.getNotBefore().toInstant();
        Instant earliest = machine.createdAt().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        if (notBefore.isBefore(earliest)) {
            throw new SessionRefused(subject, "the client certificate is valid from " + notBefore + ", before the MachineDeployment was"
                    + " created at " + machine.createdAt() + ": it is an earlier device's of the same name");
        }
    }
}
