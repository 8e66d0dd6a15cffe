package io.edgeplane.seedmanager.machine;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A device's own /24 of its cluster's pod range, held for the device's life. */
@MappedEntity("machine_pod_cidrs")
public record MachinePodCidr(@Id String machineDeploymentId, String clusterId, String cidr) {
}
