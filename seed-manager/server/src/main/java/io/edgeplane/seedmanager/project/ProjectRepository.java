package io.edgeplane.seedmanager.project;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProjectRepository extends CrudRepository<Project, String> {

    @Query("SELECT * FROM projects WHERE name > :after ORDER BY name LIMIT :limit")
    List<Project> listAfter(String after, int limit);
}
