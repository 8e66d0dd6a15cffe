package io.edgeplane.seedmanager.cluster;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A port held by one component of one cluster (process runtime). */
@MappedEntity("cluster_ports")
public record ClusterPort(@Id Integer port, String clusterId, String component) {
}
