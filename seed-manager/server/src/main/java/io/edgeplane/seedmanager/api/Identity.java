package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Who the presented token is, so that a client (the web console) shows only what it may do.
 *
 * @param subject audit name of the credential ({@code admin}, or {@code token:} and the token id)
 * @param role    {@code admin}, {@code owner} or {@code viewer}
 * @param project the one project a project token sees; absent for the admin
 */
@Serdeable
@Schema(description = "who the presented token is")
public record Identity(String subject, IdentityRole role, @Nullable String project) {
    public enum IdentityRole { admin, owner, viewer }

    static Identity of(Caller caller) {
        IdentityRole role = switch (caller.role()) {
            case ADMIN -> IdentityRole.admin;
            case OWNER -> IdentityRole.owner;
            case VIEWER -> IdentityRole.viewer;
        };
        return new Identity(caller.subject(), role, caller.project());
    }
}
