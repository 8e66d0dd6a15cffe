package io.edgeplane.seedmanager.cluster;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClusterPortRepository extends GenericRepository<ClusterPort, Integer> {

    List<ClusterPort> findByClusterId(String clusterId);

    /** 1 if the port was free in the database and is now this component's, 0 if someone holds it. */
    @Query("INSERT INTO cluster_ports (port, cluster_id, component) VALUES (:port, :clusterId, :component) ON CONFLICT DO NOTHING")
    long claim(int port, String clusterId, String component);
}
