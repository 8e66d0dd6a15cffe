package io.edgeplane.e2e.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet-wide deploy as an operator writes it: one app, {@code beacon}, and per cluster as many
 * workloads of it as the API's limit of devices per workload needs, each keyed {@code cluster/name}.
 */
final class FleetWorkloads {
    static final String PROJECT = "/api/v1/projects/fleet";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetWorkloads() {
    }

    /** The app's version as registered: one container of {@code image}. */
    static String app(String version, String image) {
        ObjectNode container = JSON.createObjectNode().put("name", "beacon").put("image", image);
        container.set("env", JSON.createObjectNode().put("PORT", "8080"));   // what the real device's image listens on
        container.set("resources", JSON.createObjectNode().put("cpuRequest", "10m").put("memoryLimit", "32Mi"));
        ObjectNode body = JSON.createObjectNode().put("name", "beacon").put("version", version).put("title", "Beacon " + version);
        body.set("containers", JSON.createArrayNode().add(container));
        body.set("inputs", JSON.createArrayNode());
        body.set("outputs", JSON.createArrayNode());
        return body.toString();
    }

    /** Per cluster, one workload per {@code perWorkload} devices. */
    static Map<String, List<String>> split(Map<String, List<String>> devices, int perWorkload) {
        Map<String, List<String>> workloads = new LinkedHashMap<>();
        devices.forEach((cluster, names) -> {
            for (int i = 0; i < names.size(); i += perWorkload) {
                workloads.put(cluster + "/beacon-" + (i / perWorkload + 1), names.subList(i, Math.min(names.size(), i + perWorkload)));
            }
        });
        return workloads;
    }

    /** Per cluster, the body of one batch request deploying {@code version} to all its workloads. */
    static Map<String, String> batches(Map<String, List<String>> workloads, String version, boolean staged) {
        Map<String, ArrayNode> batches = new LinkedHashMap<>();
        workloads.forEach((key, nodes) -> {
            ObjectNode workload = JSON.createObjectNode().put("name", name(key)).put("app", "beacon").put("version", version);
            nodes.forEach(workload.putArray("nodes")::add);
            workload.put("staged", staged).put("instantlyApply", staged);
            batches.computeIfAbsent(cluster(key), c -> JSON.createArrayNode()).add(workload);
        });
        Map<String, String> bodies = new LinkedHashMap<>();
        batches.forEach((cluster, batch) -> {
            ObjectNode body = JSON.createObjectNode();
            body.set("workloads", batch);
            bodies.put(cluster, body.toString());
        });
        return bodies;
    }

    static String clusterPath(String cluster) {
        return PROJECT + "/clusters/" + cluster;
    }

    static String path(String key) {
        return clusterPath(cluster(key)) + "/workloads/" + name(key);
    }

    static String cluster(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
