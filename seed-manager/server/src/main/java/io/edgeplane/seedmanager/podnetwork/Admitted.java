package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;

import java.time.Instant;

/**
 * A device connection the relay accepted: whose it is and which pod range it may send from and receive for.
 *
 * @param clusterId         the cluster (routes never leave it)
 * @param machine           {@code project/cluster/node}, as log lines name it
 * @param node              the node name (= MachineDeployment name)
 * @param machineId         the MachineDeployment's id: a machine deleted and created again under that name is another one
 * @param podRange          the device's /24
 * @param certificateExpiry the client certificate's notAfter: the kubelet rotates it, and the device dials again with the new one
 */
record Admitted(String clusterId, String machine, String node, String machineId, Ipv4Cidr podRange, Instant certificateExpiry) {
}
