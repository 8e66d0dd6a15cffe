package io.edgeplane.seedmanager.project;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProjectRepository extends CrudRepository<Project, String> {

    @Query("SELECT * FROM projects WHERE name > :after ORDER BY name LIMIT :limit")
    List<Project> listAfter(String after, int limit);

    /** The project, locked until the transaction ends: creations counted against its quota queue up behind each other. */
    @Query("SELECT * FROM projects WHERE name = :name FOR UPDATE")
    Optional<Project> findByIdForUpdate(String name);
}
