package io.edgeplane.seedmanager.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One mutating API call: who (actor), what (action), on which object (target), with which outcome
 * (result: the HTTP status), and when.
 */
@Serdeable
@MappedEntity("audit_events")
public record AuditEvent(@Id @GeneratedValue @Nullable Long id, Instant at, String actor, String action,
                         String target, String result) {
}
