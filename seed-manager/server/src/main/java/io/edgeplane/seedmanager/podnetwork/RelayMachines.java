package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.machine.MachineDeployment;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Reads for the sweep: one query per cluster, whatever its number of sessions. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface RelayMachines extends GenericRepository<MachineDeployment, String> {

    /** The cluster's machines with their pod ranges (see PodRanges) and whether they or the cluster are being deleted. */
    @Query("""
            SELECT m.id, m.delete_requested, c.delete_requested AS cluster_delete_requested, p.cidr AS pod_cidr
            FROM machine_deployments m
            JOIN clusters c ON c.id = m.cluster_id
            LEFT JOIN machine_pod_cidrs p ON p.machine_deployment_id = m.id
            WHERE m.cluster_id = :clusterId""")
    List<RelayMachine> ofCluster(String clusterId);
}
