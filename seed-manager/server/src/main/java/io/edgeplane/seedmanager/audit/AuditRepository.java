package io.edgeplane.seedmanager.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Insert and read only: the table is append-only (a trigger refuses updates and deletes). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditRepository extends GenericRepository<AuditEvent, Long> {

    AuditEvent save(AuditEvent event);

    @Query("SELECT * FROM audit_events WHERE id < :before ORDER BY id DESC LIMIT :limit")
    List<AuditEvent> listBefore(long before, int limit);
}
