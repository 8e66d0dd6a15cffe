package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.ProjectTokenVerifier;
import io.edgeplane.seedmanager.api.Secrets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * Issues, lists, revokes and verifies project tokens. A token reads {@code ep_<id>_<secret>}: the id
 * finds the row, the whole string's digest is compared in constant time.
 */
@Singleton
public class ProjectTokenService implements ProjectTokenVerifier {
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    private static final String PREFIX = "ep_";

    private final ProjectRepository projects;
    private final ProjectTokenRepository tokens;

    public ProjectTokenService(ProjectRepository projects, ProjectTokenRepository tokens) {
        this.projects = projects;
        this.tokens = tokens;
    }

    @Transactional
    public TokenView issue(Caller caller, String project, CreateProjectTokenRequest request) {
        caller.requireWritable(project);
        requireProject(project);
        Instant expiresAt = expiry(request.expiresAt(), Instant.now());
        if (expiresAt == null) {
            throw InvalidInputException.of("expiresAt", "must be in the future and at most 365 days away");
        }
        String id = Secrets.random(12);
        String secret = PREFIX + id + "_" + Secrets.random(40);
        ProjectToken token = new ProjectToken(id, project, request.role().name(), request.description(), Secrets.sha256(secret),
                caller.subject(), now(), expiresAt, null);
        tokens.save(token);
        return TokenView.of(token, secret);
    }

    /** Resolves the expiry a caller asked for; null means the default lifetime. Returns null if out of range. */
    static @Nullable Instant expiry(@Nullable Instant requested, Instant now) {
        if (requested == null) {
            return now.plus(DEFAULT_LIFETIME);
        }
        if (!requested.isAfter(now) || requested.isAfter(now.plus(MAX_LIFETIME))) {
            return null;
        }
        return requested.truncatedTo(ChronoUnit.MICROS);
    }

    @Transactional
    public Page<TokenView> list(Caller caller, String project, PageRequest page) {
        caller.requireVisible(project);
        requireProject(project);
        return page.page(tokens.listAfter(project, page.after() == null ? "" : page.after(), page.fetchSize()), ProjectToken::id)
                .map(t -> TokenView.of(t, null));
    }

    @Transactional
    public void revoke(Caller caller, String project, String id) {
        caller.requireWritable(project);
        requireProject(project);
        if (tokens.findById(id).filter(t -> t.project().equals(project)).isEmpty()) {
            throw new NotFoundException("token", id);
        }
        tokens.revoke(project, id, now());
    }

    @Override
    @Transactional
    public Optional<Caller> verify(String presented) {
        if (!presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = presented.indexOf('_', PREFIX.length());
        if (end < 0) {
            return Optional.empty();
        }
        String id = presented.substring(PREFIX.length(), end);
        Instant now = Instant.now();
        return tokens.findById(id)
                .filter(t -> Secrets.sameDigest(t.secretHash(), Secrets.sha256(presented)))
                .filter(t -> t.usableAt(now))
                .map(t -> new Caller("token:" + t.id(), t.project(), Caller.Role.valueOf(t.role().toUpperCase(Locale.ROOT))));
    }

    private void requireProject(String project) {
        if (!projects.existsById(project)) {
            throw new NotFoundException("project", project);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
