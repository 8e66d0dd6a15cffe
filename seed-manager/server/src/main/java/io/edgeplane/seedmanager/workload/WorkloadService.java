package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.app.App;
import io.edgeplane.seedmanager.app.AppJson;
import io.edgeplane.seedmanager.app.AppRepository;
import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's operations on workloads. Each one moves the workload through
 * {@link WorkloadStateMachine#live}, refuses with a 409 when there is no edge, bumps the
 * generation and makes the workload due for reconcile; the reconciler does the rest.
 * A request naming several workloads changes all of them or none.
 */
@Singleton
public class WorkloadService {
    private static final int MAX_CONFIGURATION = 256 * 1024;

    private final WorkloadRepository workloads;
    private final AppRepository apps;
    private final AppJson appJson;
    private final ClusterService clusters;
    private final WorkloadJson json;
    private final WorkloadViews views;

    public WorkloadService(WorkloadRepository workloads, AppRepository apps, AppJson appJson, ClusterService clusters,
                           WorkloadJson json, WorkloadViews views) {
        this.workloads = workloads;
        this.apps = apps;
        this.appJson = appJson;
        this.clusters = clusters;
        this.json = json;
        this.views = views;
    }

    /** One workload of a deploy, with the path its fields are named under ({@code workloads[1].}, or nothing alone). */
    private record Item(WorkloadDeployment deployment, String path) {
        static List<Item> of(DeployWorkloadsRequest request) {
            if (request instanceof WorkloadDeployment one) {
                return List.of(new Item(one, ""));
            }
            WorkloadBatch batch = (WorkloadBatch) request;
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < batch.workloads().size(); i++) {
                items.add(new Item(batch.workloads().get(i), "workloads[" + i + "]."));
            }
            return items;
        }

        String name() {
            return deployment.name();
        }
    }

    /** A deploy item resolved against the registry and the cluster. */
    private record Resolved(Item item, String appTitle, WorkloadSpec spec) {
    }

    /** The values an operation writes; everything else of the row stays as it is. */
    private record Change(String title, @Nullable String appVersion, @Nullable String liveSpec, @Nullable String stagedAppVersion,
                          @Nullable String stagedSpec, boolean stagedInstantlyApply, @Nullable String stagedRequest,
                          @Nullable String stagedState, boolean run, WorkloadState state, boolean deleteRequested) {
        static Change of(Workload w) {
            return new Change(w.title(), w.appVersion(), w.liveSpec(), w.stagedAppVersion(), w.stagedSpec(), w.stagedInstantlyApply(),
                    w.stagedRequest(), w.stagedState(), w.run(), WorkloadState.valueOf(w.state()), w.deleteRequested());
        }

        Change withoutStaged() {
            return new Change(title, appVersion, liveSpec, null, null, false, null, null, run, state, deleteRequested);
        }
    }

    /**
     * Standard and staged deploys (and updates: the same name again), one workload or a batch, in
     * request order. The problems of the body and those found against the registry and the cluster
     * are reported together, and nothing is written unless there are none.
     */
    @Transactional
    public List<WorkloadView> deploy(Caller caller, String project, String clusterName, DeployWorkloadsRequest request) {
        caller.requireWritable(project);
        Cluster cluster = writableCluster(caller, project, clusterName);
        List<String> devices = workloads.deviceNames(cluster.id());
        List<FieldProblem> invalid = new ArrayList<>(request.problems());
        List<Item> items = Item.of(request);
        List<Resolved> resolved = new ArrayList<>();
        for (Item item : items) {
            resolve(cluster, devices, item, invalid).ifPresent(resolved::add);
        }
        InvalidInputException.throwIfAny(invalid);

        // Rows are locked in name order, so concurrent batches cannot deadlock.
        List<Resolved> byName = new ArrayList<>(resolved);
        byName.sort(Comparator.comparing(r -> r.item().name()));
        Map<String, Workload> existing = new HashMap<>();
        List<FieldProblem> conflicts = new ArrayList<>();
        for (Resolved r : byName) {
            Item item = r.item();
            workloads.lock(cluster.id(), item.name()).ifPresent(w -> {
                existing.put(w.name(), w);
                if (w.deleteRequested()) {
                    conflicts.add(new FieldProblem(item.path() + "name", "workload " + w.name()
                            + " is being undeployed; deploy it again once it is gone"));
                } else if (!w.appName().equals(item.deployment().app())) {
                    conflicts.add(new FieldProblem(item.path() + "app", "workload " + w.name() + " runs app " + w.appName()
                            + "; a workload keeps its app (undeploy it first, or choose another name)"));
                }
            });
        }
        refuseIf(conflicts);

        String stagedRequest = "r" + Secrets.random(10);
        Instant now = now();
        Map<String, Workload> written = new HashMap<>();
        for (Resolved r : byName) {
            Workload before = existing.get(r.item().name());
            written.put(r.item().name(), r.item().deployment().isStaged()
                    ? stage(cluster, before, r, stagedRequest, now)
                    : deploy(cluster, before, r, now));
        }
        return resolved.stream().map(r -> views.view(cluster, written.get(r.item().name()))).toList();
    }

    private Workload deploy(Cluster cluster, @Nullable Workload before, Resolved r, Instant now) {
        String spec = json.write(r.spec());
        String message = "deploy of " + describe(r.spec()) + " accepted; waiting to be passed to the cluster";
        if (before == null) {
            return insert(cluster, r, WorkloadState.pending_deploy, r.spec().appVersion(), spec, null, null, false, null, message, now);
        }
        WorkloadState next = transition(before, WorkloadEvent.DEPLOY);
        return operate(before, new Change(title(r, before), r.spec().appVersion(), spec, null, null, false, null, null, true, next,
                false), message, now);
    }

    private Workload stage(Cluster cluster, @Nullable Workload before, Resolved r, String stagedRequest, Instant now) {
        String spec = json.write(r.spec());
        boolean instantly = r.item().deployment().isInstantlyApply();
        String message = "staged " + describe(r.spec()) + " accepted; its images are pre-pulled onto " + String.join(", ", r.spec().nodes())
                + (instantly ? ", then it is applied together with the rest of its request" : ", then it waits for apply");
        String stagedState = WorkloadState.received.name();
        if (before == null) {
            return insert(cluster, r, WorkloadState.staged, null, null, r.spec().appVersion(), spec, instantly, stagedRequest,
                    message, now);
        }
        WorkloadState next = transition(before, WorkloadEvent.STAGE);
        if (before.stagedState() != null) {
            stagedState = WorkloadStateMachine.staged(WorkloadState.valueOf(before.stagedState()), WorkloadEvent.STAGE)
                    .orElse(WorkloadState.received).name();
        }
        Change c = Change.of(before);
        return operate(before, new Change(title(r, before), c.appVersion(), c.liveSpec(), r.spec().appVersion(), spec, instantly,
                stagedRequest, stagedState, c.run(), next, false), message, now);
    }

    /** Makes the ready staged versions of the named workloads live, all or none; refusals are named {@code names[i]}. */
    @Transactional
    public List<WorkloadView> applyAll(Caller caller, String project, String clusterName, ApplyWorkloadsRequest request) {
        caller.requireWritable(project);
        Cluster cluster = writableCluster(caller, project, clusterName);
        InvalidInputException.throwIfAny(request.problems());
        return apply(cluster, request.names(), true);
    }

    /** Makes the ready staged version of one workload live. */
    @Transactional
    public WorkloadView apply(Caller caller, String project, String clusterName, String name) {
        caller.requireWritable(project);
        return apply(writableCluster(caller, project, clusterName), List.of(name), false).get(0);
    }

    private List<WorkloadView> apply(Cluster cluster, List<String> names, boolean batch) {
        List<Workload> rows = lockAll(cluster, names, batch);
        List<FieldProblem> refusals = new ArrayList<>();
        for (Workload w : rows) {
            Optional<String> refusal = applyRefusal(w);
            if (refusal.isPresent() && !batch) {
                throw new ConflictException(refusal.get());
            }
            refusal.ifPresent(reason -> refusals.add(new FieldProblem("names[" + names.indexOf(w.name()) + "]", reason)));
        }
        refuseIf(refusals);
        Instant now = now();
        Map<String, Workload> written = new HashMap<>();
        for (Workload w : rows) {
            WorkloadState next = transition(w, WorkloadEvent.APPLY);
            Change c = Change.of(w);
            WorkloadSpec staged = json.spec(w.stagedSpec());
            written.put(w.name(), operate(w, new Change(c.title(), w.stagedAppVersion(), w.stagedSpec(), null, null, false, null, null,
                    true, next, false), "apply of " + describe(staged) + " accepted; waiting to be passed to the cluster", now));
        }
        return names.stream().map(n -> views.view(cluster, written.get(n))).toList();
    }

    private Optional<String> applyRefusal(Workload w) {
        if (w.deleteRequested()) {
            return Optional.of("workload " + w.name() + " is being undeployed");
        }
        if (w.stagedSpec() == null) {
            return Optional.of("nothing is staged for workload " + w.name() + "; deploy a version with staged=true first");
        }
        if (!WorkloadState.ready.name().equals(w.stagedState())) {
            WorkloadSpec staged = json.spec(w.stagedSpec());
            return Optional.of("the staged version " + describe(staged) + " of workload " + w.name() + " is " + w.stagedState()
                    + " (" + views.summary(staged, json.status(w)) + "); it can be applied once it is ready");
        }
        WorkloadState from = WorkloadState.valueOf(w.state());
        return WorkloadStateMachine.live(from, WorkloadEvent.APPLY).isPresent() ? Optional.empty()
                : Optional.of(WorkloadStateMachine.refusal(from, WorkloadEvent.APPLY));
    }

    @Transactional
    public WorkloadView start(Caller caller, String project, String clusterName, String name) {
        return runWish(caller, project, clusterName, name, WorkloadEvent.START);
    }

    @Transactional
    public WorkloadView stop(Caller caller, String project, String clusterName, String name) {
        return runWish(caller, project, clusterName, name, WorkloadEvent.STOP);
    }

    private WorkloadView runWish(Caller caller, String project, String clusterName, String name, WorkloadEvent event) {
        caller.requireWritable(project);
        Cluster cluster = writableCluster(caller, project, clusterName);
        Workload w = lockOne(cluster, name);
        refuseIfDeleting(w);
        WorkloadState next = transition(w, event);
        boolean run = event == WorkloadEvent.START;
        Change c = Change.of(w);
        Workload updated = operate(w, new Change(c.title(), c.appVersion(), c.liveSpec(), c.stagedAppVersion(), c.stagedSpec(),
                c.stagedInstantlyApply(), c.stagedRequest(), c.stagedState(), run, next, false),
                (run ? "start" : "stop") + " accepted; waiting to be passed to the cluster", now());
        return views.view(cluster, updated);
    }

    /** An undeploy; {@code accepted} is false when only the staged version was removed (nothing left to wait for). */
    public record Undeployed(WorkloadView workload, boolean accepted) {
    }

    /**
     * {@code stagedOnly}: removes the staged version (the reconciler removes its pre-pull pods);
     * when nothing else exists that undeploys the whole workload. Otherwise the workload is marked
     * for removal: the reconciler removes every object of it from the cluster, then the row.
     */
    @Transactional
    public Undeployed undeploy(Caller caller, String project, String clusterName, String name, boolean stagedOnly) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        Workload w = lockOne(cluster, name);
        if (w.deleteRequested()) {
            return new Undeployed(views.view(cluster, w), true);
        }
        Change c = Change.of(w);
        if (stagedOnly) {
            if (w.stagedSpec() == null) {
                throw new ConflictException("workload " + name + " has no staged version");
            }
            WorkloadSpec staged = json.spec(w.stagedSpec());
            if (w.liveSpec() != null) {
                Workload updated = operate(w, c.withoutStaged(), "staged version " + describe(staged)
                        + " removed; its pre-pulled images stay on the devices", now());
                return new Undeployed(views.view(cluster, updated), false);
            }
        }
        Workload updated = operate(w, new Change(c.title(), c.appVersion(), c.liveSpec(), c.stagedAppVersion(), c.stagedSpec(),
                c.stagedInstantlyApply(), c.stagedRequest(), c.stagedState(), c.run(), c.state(), true),
                "undeploy requested; every object of the workload is removed from the cluster", now());
        return new Undeployed(views.view(cluster, updated), true);
    }

    @Transactional
    public Page<WorkloadView> list(Caller caller, String project, String clusterName, @Nullable String name, @Nullable String node,
                                   @Nullable WorkloadState state, PageRequest page) {
        Cluster cluster = clusters.find(caller, project, clusterName);
        List<Workload> rows = workloads.listAfter(cluster.id(), page.after() == null ? "" : page.after(), emptyToNull(name),
                emptyToNull(node), state == null ? null : state.name(), page.fetchSize());
        return page.page(rows, Workload::name).map(w -> views.view(cluster, w));
    }

    @Transactional
    public WorkloadView get(Caller caller, String project, String clusterName, String name) {
        Cluster cluster = clusters.find(caller, project, clusterName);
        return views.view(cluster, workloads.findByClusterIdAndName(cluster.id(), name)
                .orElseThrow(() -> notFound(cluster, name)));
    }

    /** Checks an item against the registry and the cluster; its problems are added to {@code problems}. */
    private Optional<Resolved> resolve(Cluster cluster, List<String> devices, Item item, List<FieldProblem> problems) {
        WorkloadDeployment d = item.deployment();
        String at = item.path();
        App app = apps.lockForUse(cluster.project(), d.app(), d.version()).orElse(null);
        if (app == null) {
            if (apps.existsByProjectAndName(cluster.project(), d.app())) {
                problems.add(new FieldProblem(at + "version", "app " + d.app() + " has no version " + d.version()
                        + " in project " + cluster.project()));
            } else {
                problems.add(new FieldProblem(at + "app", "no app " + d.app() + " in project " + cluster.project() + "; register it first"));
            }
            return Optional.empty();
        }
        List<String> nodes = d.nodes();
        if (nodes == null) {
            if (devices.isEmpty()) {
                problems.add(new FieldProblem(at + "nodes", "cluster " + cluster.project() + "/" + cluster.name()
                        + " has no MachineDeployments to deploy to; register its devices first"));
            }
            nodes = devices;
        } else {
            for (int i = 0; i < nodes.size(); i++) {
                if (!devices.contains(nodes.get(i))) {
                    problems.add(new FieldProblem(at + "nodes[" + i + "]", "no MachineDeployment " + nodes.get(i) + " in cluster "
                            + cluster.project() + "/" + cluster.name() + " (or it is being deprovisioned)"));
                }
            }
        }
        AppSpec spec = appJson.spec(app);
        Map<String, Object> configuration = ConfigurationValidation.merge(spec, d.givenConfiguration());
        ConfigurationValidation.problems(spec, configuration)
                .forEach(p -> problems.add(new FieldProblem(at + p.field(), p.message())));
        if (json.write(configuration).length() > MAX_CONFIGURATION) {
            problems.add(new FieldProblem(at + ConfigurationValidation.FIELD, "must be at most " + MAX_CONFIGURATION + " bytes as JSON"));
        }
        List<AppSpec.Container> containers = spec.containers().stream().map(c -> {
            Map<String, String> env = new TreeMap<>(c.env() == null ? Map.of() : c.env());
            env.putAll(d.environment());
            return new AppSpec.Container(c.name(), c.image(), env, c.ports() == null ? List.of() : c.ports(), c.resources());
        }).toList();
        return Optional.of(new Resolved(item, app.title(),
                new WorkloadSpec(app.name(), app.version(), containers, configuration, nodes.stream().sorted().toList())));
    }

    private Workload insert(Cluster cluster, Resolved r, WorkloadState state, @Nullable String appVersion, @Nullable String liveSpec,
                            @Nullable String stagedAppVersion, @Nullable String stagedSpec, boolean instantly,
                            @Nullable String stagedRequest, String message, Instant now) {
        Workload w = new Workload("w" + Secrets.random(10), cluster.id(), r.item().name(), title(r, null), r.spec().appName(),
                appVersion, liveSpec, stagedAppVersion, stagedSpec, instantly, stagedRequest,
                stagedSpec == null ? null : WorkloadState.received.name(), true, state.name(),
                json.write(WorkloadStatus.empty().withMessage(message)), 1, 0, false, null, null, now, now, now);
        return workloads.save(w);
    }

    private Workload operate(Workload w, Change c, String message, Instant now) {
        workloads.operate(w.id(), c.title(), c.appVersion(), c.liveSpec(), c.stagedAppVersion(), c.stagedSpec(),
                c.stagedInstantlyApply(), c.stagedRequest(), c.stagedState(), c.run(), c.state().name(), c.deleteRequested(),
                message, now);
        return workloads.findById(w.id()).orElseThrow();
    }

    /** The next state for an operation, or a 409 explaining why it is not allowed now. */
    private static WorkloadState transition(Workload w, WorkloadEvent operation) {
        WorkloadState from = WorkloadState.valueOf(w.state());
        return WorkloadStateMachine.live(from, operation).orElseThrow(() -> new ConflictException(
                "workload " + w.name() + ": " + WorkloadStateMachine.refusal(from, operation)));
    }

    private List<Workload> lockAll(Cluster cluster, List<String> names, boolean batch) {
        List<String> sorted = names.stream().sorted().toList();
        Map<String, Workload> rows = new HashMap<>();
        List<FieldProblem> missing = new ArrayList<>();
        for (String name : sorted) {
            Optional<Workload> row = workloads.lock(cluster.id(), name);
            if (row.isPresent()) {
                rows.put(name, row.get());
            } else if (batch) {
                missing.add(new FieldProblem("names[" + names.indexOf(name) + "]", "no workload " + name + " in cluster "
                        + cluster.project() + "/" + cluster.name()));
            } else {
                throw notFound(cluster, name);
            }
        }
        InvalidInputException.throwIfAny(missing);
        return sorted.stream().map(rows::get).toList();
    }

    private Workload lockOne(Cluster cluster, String name) {
        return workloads.lock(cluster.id(), name).orElseThrow(() -> notFound(cluster, name));
    }

    private Cluster writableCluster(Caller caller, String project, String clusterName) {
        Cluster cluster = clusters.find(caller, project, clusterName);
        if (cluster.deleteRequested()) {
            throw new ConflictException("cluster " + project + "/" + clusterName + " is being deleted");
        }
        return cluster;
    }

    private static void refuseIfDeleting(Workload w) {
        if (w.deleteRequested()) {
            throw new ConflictException("workload " + w.name() + " is being undeployed");
        }
    }

    /** One 409 naming every refusal (its detail is the refusal itself when there is one). */
    private static void refuseIf(List<FieldProblem> refusals) {
        if (!refusals.isEmpty()) {
            String detail = refusals.size() == 1 ? refusals.get(0).message()
                    : refusals.size() + " workloads cannot take this operation now; nothing was changed";
            throw new ConflictException(detail, refusals);
        }
    }

    private static String title(Resolved r, @Nullable Workload before) {
        if (r.item().deployment().title() != null) {
            return r.item().deployment().title();
        }
        return before != null ? before.title() : r.appTitle();
    }

    private static String describe(WorkloadSpec spec) {
        return spec.appName() + " " + spec.appVersion();
    }

    private static NotFoundException notFound(Cluster cluster, String name) {
        return new NotFoundException("workload", cluster.project() + "/" + cluster.name() + "/" + name);
    }

    private static @Nullable String emptyToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
