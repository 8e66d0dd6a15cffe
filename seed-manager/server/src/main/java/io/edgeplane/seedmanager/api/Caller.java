package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;

/**
 * Who is calling: the admin, or a token bound to one project with one role. Every check that
 * crosses a project answers 404, so a tenant cannot even learn that another project exists.
 *
 * @param subject audit name of the credential ({@code admin} or {@code token:<id>})
 * @param project the only project a project token may see; null for the admin
 */
public record Caller(String subject, @Nullable String project, Role role) {
    public enum Role { ADMIN, OWNER, VIEWER }

    public static Caller admin() {
        return new Caller("admin", null, Role.ADMIN);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw ApiException.forbidden("this operation needs the admin token");
        }
    }

    public boolean canSee(String projectName) {
        return isAdmin() || projectName.equals(project);
    }

    public void requireVisible(String projectName) {
        if (!canSee(projectName)) {
            throw ApiException.notFound("project", projectName);
        }
    }

    public void requireWritable(String projectName) {
        requireVisible(projectName);
        if (role == Role.VIEWER) {
            throw ApiException.forbidden("a viewer token cannot change anything");
        }
    }
}
