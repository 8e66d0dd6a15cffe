package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotation;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotationCodec;
import io.edgeplane.seedmanager.datacenter.Datacenter;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.edgeplane.seedmanager.project.Project;
import io.edgeplane.seedmanager.project.ProjectRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Records cluster intent; the {@link ClusterReconciler} makes it real. Never talks to a cluster.
 * Checks who may do what (the controller does not).
 */
@Singleton
public class ClusterService {
    private final ClusterRepository clusters;
    private final ProjectRepository projects;
    private final SeedRegistry seed;
    private final KubernetesVersions versions;
    private final ClusterStatusCodec codec;
    private final ControlPlaneRuntime runtime;
    private final EncryptionKeyRotationCodec rotations;

    public ClusterService(ClusterRepository clusters, ProjectRepository projects, SeedRegistry seed,
                          KubernetesVersions versions, ClusterStatusCodec codec, ControlPlaneRuntime runtime,
                          EncryptionKeyRotationCodec rotations) {
        this.rotations = rotations;
        this.runtime = runtime;
        this.clusters = clusters;
        this.projects = projects;
        this.seed = seed;
        this.versions = versions;
        this.codec = codec;
    }

    /** The cluster as the API shows it: its stored status, and its devices' tunnels where the runtime has tunnels. */
    public ClusterView view(Cluster cluster) {
        return ClusterView.of(cluster, codec.read(cluster.status()), runtime.tunnels() ? clusters.tunnels(cluster.id()) : null,
                clusters.encryptionKeyRotation(cluster.id()).map(rotations::read).map(EncryptionKeyRotation::shown).orElse(null));
    }

    /** The problems of a datacenter, version and pod range the request's shape allowed but this seed manager cannot serve. */
    private List<FieldProblem> domainProblems(@Nullable String datacenter, @Nullable String version, @Nullable String podCidr) {
        List<FieldProblem> problems = new ArrayList<>();
        if (datacenter != null) {
            Datacenter dc = seed.current().datacenter(datacenter).orElse(null);
            if (dc == null) {
                problems.add(new FieldProblem("datacenter", "no datacenter " + datacenter + " in the active seed"));
            } else if (!dc.provider().supportsClusters()) {
                problems.add(new FieldProblem("datacenter", "datacenter " + datacenter + " is not an edge datacenter"));
            }
        }
        if (version != null && !versions.isSupported(version)) {
            problems.add(new FieldProblem("version", "unsupported version " + version + "; supported: " + versions.supported()));
        }
        if (podCidr != null) {
            PodCidrRules.problem(podCidr, ClusterTargets.SERVICE_CIDR).ifPresent(p -> problems.add(new FieldProblem("podCidr", p)));
        }
        return problems;
    }

    /**
     * Records a new cluster. The project row is locked while its clusters are counted, so two
     * creations at once cannot both take the last place of the project's quota.
     */
    @Transactional
    public ClusterView create(Caller caller, String project, CreateClusterRequest request) {
        caller.requireWritable(project);
        Project owner = projects.findByIdForUpdate(project).orElseThrow(() -> new NotFoundException("project", project));
        InvalidInputException.throwIfAny(domainProblems(request.datacenter(), request.version(), request.podCidr()));
        String name = request.name();
        if (clusters.findByProjectAndName(project, name).isPresent()) {
            throw new ConflictException("cluster " + project + "/" + name + " already exists");
        }
        Integer quota = owner.clusterQuota();
        if (quota != null) {
            long existing = clusters.countByProject(project);
            if (existing >= quota) {
                throw new ConflictException("project " + project + " has " + existing + " of its " + quota
                        + " clusters (quota.clusters); delete a cluster or ask the admin to raise the quota");
            }
        }
        NodeHealth nodeHealth = request.nodeHealth() == null ? NodeHealth.DEFAULTS : request.nodeHealth().toNodeHealth();
        String podCidr = request.podCidr() == null ? PodCidrRules.DEFAULT : request.podCidr();
        Instant now = now();
        Cluster cluster = new Cluster("c" + Secrets.random(10), project, name, request.datacenter(),
                request.version() == null ? versions.defaultVersion() : request.version(), nodeHealth.gracePeriodSeconds(),
                nodeHealth.evictionSeconds(), podCidr, 1, 0, ClusterPhase.Creating,
                codec.write(ClusterStatus.empty()), null, false, null, null, now, now, now);
        clusters.save(cluster);
        return ClusterView.of(cluster, ClusterStatus.empty(), null, null);
    }

    @Transactional
    public ClusterView get(Caller caller, String project, String name) {
        Cluster cluster = find(caller, project, name);
        return view(cluster);
    }

    @Transactional
    public Page<ClusterView> list(Caller caller, String project, PageRequest page) {
        caller.requireVisible(project);
        if (!projects.existsById(project)) {
            throw new NotFoundException("project", project);
        }
        List<Cluster> rows = clusters.listAfter(project, page.after() == null ? "" : page.after(), page.fetchSize());
        return page.page(rows, Cluster::name).map(this::view);
    }

    /** A version change: upgrades only, to a supported version; reconciled component by component. */
    @Transactional
    public ClusterView upgrade(Caller caller, String project, String name, UpgradeClusterRequest request) {
        caller.requireWritable(project);
        Cluster cluster = find(caller, project, name);
        String version = request.version();
        InvalidInputException.throwIfAny(domainProblems(null, version, null));
        if (cluster.deleteRequested()) {
            throw new ConflictException("cluster " + project + "/" + name + " is being deleted");
        }
        if (KubernetesVersions.compare(version, cluster.version()) < 0) {
            throw new InvalidInputException(List.of(new FieldProblem("version",
                    "downgrades are not supported (" + cluster.version() + " to " + version + ")")));
        }
        if (KubernetesVersions.minorsBetween(cluster.version(), version) > 1) {
            // The version skew policy: control planes move one minor version at a time.
            throw new InvalidInputException(List.of(new FieldProblem("version",
                    "upgrade one minor version at a time (" + cluster.version() + " to " + version + " skips a minor version)")));
        }
        if (version.equals(cluster.version())) {
            return view(cluster);
        }
        // A new desired state gets a fresh failure clock: a Failed cluster may be fixed by an upgrade.
        Cluster updated = copy(cluster, version, false, ClusterPhase.Updating, codec.write(codec.read(cluster.status()).restartClock()));
        clusters.update(updated);
        return view(updated);
    }

    /** Marks the cluster for deletion; the reconciler removes what it created, then the row. */
    @Transactional
    public ClusterView delete(Caller caller, String project, String name) {
        caller.requireWritable(project);
        Cluster cluster = find(caller, project, name);
        if (cluster.deleteRequested()) {
            return view(cluster);
        }
        // Deleting has its own failure clock: a Failed cluster shows Deleting until its deletion fails too.
        Cluster updated = copy(cluster, cluster.version(), true, ClusterPhase.Deleting, codec.write(codec.read(cluster.status()).restartClock()));
        clusters.update(updated);
        return view(updated);
    }

    /** The cluster, if the caller may see it (404 otherwise). */
    public Cluster find(Caller caller, String project, String name) {
        caller.requireVisible(project);
        return clusters.findByProjectAndName(project, name).orElseThrow(() -> new NotFoundException("cluster", project + "/" + name));
    }

    private static Cluster copy(Cluster c, String version, boolean delete, ClusterPhase phase, String status) {
        Instant now = now();
        return new Cluster(c.id(), c.project(), c.name(), c.datacenter(), version, c.nodeGracePeriodSeconds(),
                c.nodeEvictionSeconds(), c.podCidr(), c.generation() + 1, c.observedGeneration(),
                phase, status, c.pki(), delete, c.leaseOwner(), c.leaseUntil(), now, c.createdAt(), now);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
