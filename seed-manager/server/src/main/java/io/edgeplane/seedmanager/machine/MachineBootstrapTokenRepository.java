package io.edgeplane.seedmanager.machine;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MachineBootstrapTokenRepository extends CrudRepository<MachineBootstrapToken, String> {

    List<MachineBootstrapToken> findByMachineDeploymentIdOrderByExpiresAtDesc(String machineDeploymentId);

    void deleteByMachineDeploymentId(String machineDeploymentId);
}
