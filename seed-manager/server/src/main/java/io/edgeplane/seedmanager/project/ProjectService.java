package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Projects; checks who may do what (the controller does not). */
@Singleton
public class ProjectService {
    private final ProjectRepository projects;
    private final ClusterRepository clusters;
    private final ProjectSettings settings;

    public ProjectService(ProjectRepository projects, ClusterRepository clusters, ProjectSettings settings) {
        this.projects = projects;
        this.clusters = clusters;
        this.settings = settings;
    }

    @Transactional
    public ProjectView create(Caller caller, CreateProjectRequest request) {
        caller.requireAdmin();
        String name = request.name();
        if (projects.existsById(name)) {
            throw new ConflictException("project " + name + " already exists");
        }
        Integer quota = request.quota() != null ? request.quota().clusters() : settings.defaultClusterQuota();
        return ProjectView.of(projects.save(new Project(name, request.displayName(), quota, Instant.now().truncatedTo(ChronoUnit.MICROS))));
    }

    @Transactional
    public ProjectView get(Caller caller, String name) {
        caller.requireVisible(name);
        return ProjectView.of(find(name));
    }

    /** Changes what the request carries: the display name (owners and the admin) and the quota (the admin only). */
    @Transactional
    public ProjectView update(Caller caller, String name, UpdateProjectRequest request) {
        caller.requireWritable(name);
        if (request.quota() != null) {
            caller.requireAdmin();
        }
        Project project = find(name);
        Project updated = project.with(request.displayName() != null ? request.displayName() : project.displayName(),
                request.quota() != null ? request.quota().clusters() : project.clusterQuota());
        return ProjectView.of(projects.update(updated));
    }

    /** The admin lists every project; a project token lists only its own. */
    @Transactional
    public Page<ProjectView> list(Caller caller, PageRequest page) {
        String after = page.after() == null ? "" : page.after();
        List<Project> rows = caller.isAdmin()
                ? projects.listAfter(after, page.fetchSize())
                : Optional.ofNullable(caller.project()).filter(p -> p.compareTo(after) > 0)
                        .flatMap(projects::findById).stream().toList();
        return page.page(rows, Project::name).map(ProjectView::of);
    }

    @Transactional
    public void delete(Caller caller, String name) {
        caller.requireVisible(name);
        caller.requireAdmin();
        find(name);
        if (clusters.existsByProject(name)) {
            throw new ConflictException("project " + name + " still has clusters; delete them first");
        }
        projects.deleteById(name);
    }

    private Project find(String name) {
        return projects.findById(name).orElseThrow(() -> new NotFoundException("project", name));
    }
}
