package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

@Singleton
public class ProjectService {
    private final ProjectRepository projects;
    private final ClusterRepository clusters;

    public ProjectService(ProjectRepository projects, ClusterRepository clusters) {
        this.projects = projects;
        this.clusters = clusters;
    }

    @Transactional
    public Project create(Caller caller, CreateProjectRequest request) {
        caller.requireAdmin();
        String name = request.name();
        if (projects.existsById(name)) {
            throw new ConflictException("project " + name + " already exists");
        }
        return projects.save(new Project(name, request.displayName(), Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    @Transactional
    public Project get(Caller caller, String name) {
        caller.requireVisible(name);
        return projects.findById(name).orElseThrow(() -> new NotFoundException("project", name));
    }

    /** The admin lists every project; a project token lists only its own. */
    @Transactional
    public Page<Project> list(Caller caller, PageRequest page) {
        String after = page.after() == null ? "" : page.after();
        List<Project> rows = caller.isAdmin()
                ? projects.listAfter(after, page.fetchSize())
                : Optional.ofNullable(caller.project()).filter(p -> p.compareTo(after) > 0)
                        .flatMap(projects::findById).stream().toList();
        return page.page(rows, Project::name);
    }

    @Transactional
    public void delete(Caller caller, String name) {
        caller.requireVisible(name);
        caller.requireAdmin();
        if (!projects.existsById(name)) {
            throw new NotFoundException("project", name);
        }
        if (clusters.existsByProject(name)) {
            throw new ConflictException("project " + name + " still has clusters; delete them first");
        }
        projects.deleteById(name);
    }
}
