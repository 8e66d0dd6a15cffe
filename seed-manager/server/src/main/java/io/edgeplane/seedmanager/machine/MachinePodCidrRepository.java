package io.edgeplane.seedmanager.machine;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MachinePodCidrRepository extends GenericRepository<MachinePodCidr, String> {

    Optional<MachinePodCidr> findById(String machineDeploymentId);

    List<MachinePodCidr> findByClusterId(String clusterId);

    /**
     * 1 if the range was free in the cluster and is now this device's, 0 if another device took it
     * (or this device got one meanwhile). Waits for a concurrent claim of the same range to commit
     * or roll back, so a 0 is final.
     */
    @Query("""
            INSERT INTO machine_pod_cidrs (machine_deployment_id, cluster_id, cidr) VALUES (:machineDeploymentId, :clusterId, :cidr)
            ON CONFLICT DO NOTHING""")
    long claim(String machineDeploymentId, String clusterId, String cidr);
}
