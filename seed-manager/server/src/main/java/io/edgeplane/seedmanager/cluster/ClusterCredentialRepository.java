package io.edgeplane.seedmanager.cluster;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClusterCredentialRepository extends CrudRepository<ClusterCredential, String> {
    List<ClusterCredential> findByClusterIdOrderByIssuedAt(String clusterId);
}
