package io.edgeplane.seedmanager.machine;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProvisioningLogRepository extends CrudRepository<ProvisioningLogLine, Long> {

    List<ProvisioningLogLine> findByMachineDeploymentIdAndSeqGreaterThanOrderBySeq(String machineDeploymentId, long seq);
}
