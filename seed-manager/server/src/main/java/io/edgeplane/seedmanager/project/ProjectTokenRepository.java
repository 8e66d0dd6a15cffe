package io.edgeplane.seedmanager.project;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProjectTokenRepository extends CrudRepository<ProjectToken, String> {

    @Query("SELECT * FROM project_tokens WHERE project = :project AND id > :after ORDER BY id LIMIT :limit")
    List<ProjectToken> listAfter(String project, String after, int limit);

    @Query("UPDATE project_tokens SET revoked_at = :at WHERE project = :project AND id = :id AND revoked_at IS NULL")
    long revoke(String project, String id, Instant at);
}
