package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.workload.Workload;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The one read the bundle export needs from the workloads table (the API's repository writes it). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BundleWorkloads extends GenericRepository<Workload, String> {

    @Query("SELECT * FROM workloads WHERE cluster_id = :clusterId AND name = :name")
    Optional<Workload> find(String clusterId, String name);
}
