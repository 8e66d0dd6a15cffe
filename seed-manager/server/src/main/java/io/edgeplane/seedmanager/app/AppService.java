package io.edgeplane.seedmanager.app;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.project.ProjectRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The app registry of each project. A version may be replaced until a workload uses it; then it is immutable. */
@Singleton
public class AppService {
    private static final int USERS_SHOWN = 5;

    private final AppRepository apps;
    private final ProjectRepository projects;
    private final AppJson json;

    public AppService(AppRepository apps, ProjectRepository projects, AppJson json) {
        this.apps = apps;
        this.projects = projects;
        this.json = json;
    }

    /** The registered version and whether it is new (false: an unused version was replaced). */
    public record Registered(AppView app, boolean created) {
    }

    @Transactional
    public Registered register(Caller caller, String project, AppRequest request) {
        caller.requireWritable(project);
        requireProject(project);
        InvalidInputException.throwIfAny(request.problems());
        Instant now = now();
        String spec = json.write(request.spec());
        App existing = apps.lockForReplace(project, request.name(), request.version()).orElse(null);
        if (existing == null) {
            if (apps.insert("a" + Secrets.random(10), project, request.name(), request.version(), request.titleOrName(),
                    description(request), spec, now) == 0) {
                throw new ConflictException("app " + request.name() + " " + request.version() + " was registered by another call just now; retry");
            }
            return new Registered(find(project, request.name(), request.version()), true);
        }
        List<String> users = apps.usedBy(project, request.name(), request.version(), USERS_SHOWN + 1);
        if (!users.isEmpty()) {
            String names = String.join(", ", users.subList(0, Math.min(USERS_SHOWN, users.size())))
                    + (users.size() > USERS_SHOWN ? ", ..." : "");
            throw new ConflictException("app " + request.name() + " " + request.version() + " is used by workloads " + names
                    + "; a version in use is immutable: register a new version");
        }
        apps.replace(existing.id(), request.titleOrName(), description(request), spec, now);
        return new Registered(find(project, request.name(), request.version()), false);
    }

    @Transactional
    public Page<AppView> list(Caller caller, String project, @Nullable String name, PageRequest page) {
        caller.requireVisible(project);
        requireProject(project);
        String after = page.after() == null ? "" : page.after();
        int slash = after.indexOf('/');
        String afterName = slash < 0 ? after : after.substring(0, slash);
        String afterVersion = slash < 0 ? "" : after.substring(slash + 1);
        List<App> rows = apps.listAfter(project, name == null || name.isEmpty() ? null : name, afterName, afterVersion, page.fetchSize());
        return page.page(rows, a -> a.name() + "/" + a.version()).map(a -> AppView.of(a, json.spec(a)));
    }

    @Transactional
    public AppView get(Caller caller, String project, String name, String version) {
        caller.requireVisible(project);
        requireProject(project);
        return find(project, name, version);
    }

    private AppView find(String project, String name, String version) {
        App app = apps.findByProjectAndNameAndVersion(project, name, version)
                .orElseThrow(() -> new NotFoundException("app", name + " version " + version + " in project " + project));
        return AppView.of(app, json.spec(app));
    }

    private static String description(AppRequest request) {
        return request.description() == null ? "" : request.description();
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
