package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;

import java.security.Principal;

/**
 * Who is calling: the admin, or a token bound to one project with one role. Every check that
 * crosses a project answers 404, so a tenant cannot even learn that another project exists.
 * <p>
 * It is a {@link Principal} because that is what it is, and because OpenAPI generators leave
 * principals out of the document: controllers take it as a parameter without it becoming part of
 * the contract.
 *
 * @param subject audit name of the credential ({@code admin} or {@code token:<id>})
 * @param project the only project a project token may see; null for the admin
 */
public record Caller(String subject, @Nullable String project, Role role) implements Principal {
    public enum Role { ADMIN, OWNER, VIEWER }

    public static Caller admin() {
        return new Caller("admin", null, Role.ADMIN);
    }

    @Override
    public String getName() {
        return subject;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw new ForbiddenException("this operation needs the admin token");
        }
    }

    public boolean canSee(String projectName) {
        return isAdmin() || projectName.equals(project);
    }

    public void requireVisible(String projectName) {
        if (!canSee(projectName)) {
            throw new NotFoundException("project", projectName);
        }
    }

    public void requireWritable(String projectName) {
        requireVisible(projectName);
        if (role == Role.VIEWER) {
            throw new ForbiddenException("a viewer token cannot change anything");
        }
    }
}
