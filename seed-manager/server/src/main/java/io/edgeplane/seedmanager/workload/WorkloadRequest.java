package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.RequestFields;
import io.edgeplane.seedmanager.app.AppRequest;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST .../workloads} body: one workload, or {@code {"workloads":[...]}} deployed
 * together. Parsing reports the problems of the body itself; the service adds those it finds
 * against the registry and the cluster (unknown app, node or configuration field) through each
 * item's reader, and {@link #check()} then reports them all at once.
 */
public final class WorkloadRequest {
    static final int MAX_BATCH = 50;
    static final int MAX_NODES = 256;
    private static final Set<String> ITEM_FIELDS = Set.of("name", "title", "app", "version", "nodes", "configuration", "env",
            "staged", "instantlyApply");

    private final RequestFields root;
    private final List<Item> items;
    private final boolean batch;

    private WorkloadRequest(RequestFields root, List<Item> items, boolean batch) {
        this.root = root;
        this.items = items;
        this.batch = batch;
    }

    /**
     * One workload of the request. {@code nodes} is null when left out (every device of the
     * cluster); {@code configuration} is null when it is not an object. {@code path} prefixes its
     * fields ({@code workloads[1].}) in a batch.
     */
    public record Item(RequestFields fields, String path, @Nullable String name, @Nullable String title, @Nullable String app,
                       @Nullable String version, @Nullable List<String> nodes, @Nullable Map<String, Object> configuration,
                       Map<String, String> env, boolean staged, boolean instantlyApply) {
    }

    public static WorkloadRequest parse(@Nullable Map<String, Object> body) {
        if (body != null && body.containsKey("workloads")) {
            RequestFields root = RequestFields.of(body, Set.of("workloads"));
            List<RequestFields> readers = root.objects("workloads", ITEM_FIELDS, MAX_BATCH);
            if (body.get("workloads") instanceof List<?> list && list.isEmpty()) {
                root.problem("workloads", "must list at least one workload");
            }
            List<Item> items = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < readers.size(); i++) {
                Item item = item(readers.get(i), "workloads[" + i + "].");
                if (item.name() != null && !names.add(item.name())) {
                    item.fields().problem("name", "another workload of this request is named " + item.name());
                }
                items.add(item);
            }
            return new WorkloadRequest(root, items, true);
        }
        RequestFields root = RequestFields.of(body, ITEM_FIELDS);
        return new WorkloadRequest(root, List.of(item(root, "")), false);
    }

    private static Item item(RequestFields fields, String path) {
        String name = AppRequest.shortName(fields, "name");
        String title = fields.string("title", false, 200);
        String app = AppRequest.shortName(fields, "app");
        String version = fields.string("version", true, 64);
        List<String> nodes = fields.strings("nodes", MAX_NODES, 253);
        if (nodes != null) {
            if (nodes.isEmpty()) {
                fields.problem("nodes", "must name at least one MachineDeployment (or be left out for every device of the cluster)");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (!seen.add(nodes.get(i))) {
                    fields.problem("nodes[" + i + "]", nodes.get(i) + " is listed twice");
                }
            }
        } else if (fields.present("nodes")) {
            nodes = List.of(); // invalid, already reported; keeps "every device" from being assumed
        }
        Map<String, Object> configuration = fields.freeObject("configuration");
        Map<String, String> env = AppRequest.environment(fields, "env");
        boolean staged = fields.bool("staged", false);
        boolean instantlyApply = fields.bool("instantlyApply", false);
        return new Item(fields, path, name, title, app, version, nodes, configuration, env, staged, instantlyApply);
    }

    public List<Item> items() {
        return items;
    }

    /** True for {@code {"workloads":[...]}}: the answer is a list too. */
    public boolean batch() {
        return batch;
    }

    /** Throws a 422 listing every problem of every item found so far. */
    public void check() {
        root.check();
    }
}
