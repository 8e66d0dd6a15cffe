package io.edgeplane.seedmanager.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppRepository extends CrudRepository<App, String> {

    Optional<App> findByProjectAndNameAndVersion(String project, String name, String version);

    boolean existsByProjectAndName(String project, String name);

    /** The version, locked against concurrent deploys until this transaction ends (registration replaces it). */
    @Query("SELECT * FROM apps WHERE project = :project AND name = :name AND version = :version FOR UPDATE")
    Optional<App> lockForReplace(String project, String name, String version);

    /** The version, kept from being replaced until this transaction ends (a deploy resolves it). */
    @Query("SELECT * FROM apps WHERE project = :project AND name = :name AND version = :version FOR SHARE")
    Optional<App> lockForUse(String project, String name, String version);

    /** Inserts a new version; 0 when another registration of the same version won the race. */
    @Query("""
            INSERT INTO apps (id, project, name, version, title, description, spec, created_at, updated_at)
            VALUES (:id, :project, :name, :version, :title, :description, :spec, :now, :now)
            ON CONFLICT (project, name, version) DO NOTHING""")
    long insert(String id, String project, String name, String version, String title, String description, String spec, Instant now);

    @Query("UPDATE apps SET title = :title, description = :description, spec = :spec, updated_at = :now WHERE id = :id")
    long replace(String id, String title, String description, String spec, Instant now);

    /** Sorted by name, then version; {@code name} (exact) filters when given. */
    @Query("""
            SELECT * FROM apps WHERE project = :project AND (CAST(:name AS TEXT) IS NULL OR name = :name)
              AND (name > :afterName OR (name = :afterName AND version > :afterVersion))
            ORDER BY name, version LIMIT :limit""")
    List<App> listAfter(String project, @Nullable String name, String afterName, String afterVersion, int limit);

    /** {@code cluster/workload} of the workloads whose live or staged version is this app version. */
    @Query("""
            SELECT c.name || '/' || w.name FROM workloads w JOIN clusters c ON c.id = w.cluster_id
            WHERE c.project = :project AND w.app_name = :name AND (w.app_version = :version OR w.staged_app_version = :version)
            ORDER BY 1 LIMIT :limit""")
    List<String> usedBy(String project, String name, String version, int limit);
}
