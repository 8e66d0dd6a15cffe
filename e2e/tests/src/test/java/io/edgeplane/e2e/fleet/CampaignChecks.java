package io.edgeplane.e2e.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What must hold after every round of the crash campaign, whatever was killed when: nothing
 * duplicated (control-plane processes, ports, tokens, pod ranges, tenant Deployments and objects,
 * audit rows) and nothing lost (every cluster and device an operator was answered for exists,
 * every deleted one is gone, every answered call is in the audit trail). Each problem is returned
 * as one line that names it.
 */
final class CampaignChecks {
    private static final Pattern CLUSTER_DIR = Pattern.compile("/data/clusters/([a-z0-9]+)/");
    private static final ResourceDefinitionContext DEVICE_WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("edgeplane.io").withVersion("v1alpha1").withKind("DeviceWorkloads").withPlural("deviceworkloads")
            .withNamespaced(true).build();

    private final SeedManagerProcess seed;
    private final List<String> problems = new ArrayList<>();

    private CampaignChecks(SeedManagerProcess seed) {
        this.seed = seed;
    }

    /**
     * @param clusters the clusters that must exist, with their devices
     * @param deleted  the clusters that must be gone
     * @param tenants  tenant clients of the clusters with simulated devices
     * @param ledger   what the operator asked and was answered
     */
    static List<String> verify(SeedManagerProcess seed, Map<String, Set<String>> clusters, Set<String> deleted,
                               Map<String, KubernetesClient> tenants, OperatorLedger ledger) throws Exception {
        CampaignChecks checks = new CampaignChecks(seed);
        Map<String, String> ids = checks.clusterIds();
        checks.clusters(clusters, deleted, ids);
        checks.processes(ids);
        checks.database(clusters, ids);
        tenants.forEach((cluster, client) -> checks.tenant(cluster, client, clusters.get(cluster)));
        checks.audit(ledger);
        return checks.problems;
    }

    private Map<String, String> clusterIds() throws Exception {
        return seed.query("SELECT name, id FROM clusters").stream().collect(Collectors.toMap(r -> r.get(0), r -> r.get(1)));
    }

    private void clusters(Map<String, Set<String>> clusters, Set<String> deleted, Map<String, String> ids) throws Exception {
        for (String cluster : clusters.keySet()) {
            if (!ids.containsKey(cluster)) {
                problems.add("lost: cluster " + cluster + " is gone");
            }
        }
        for (String cluster : deleted) {
            if (ids.containsKey(cluster)) {
                problems.add("not deleted: cluster " + cluster + " is still there");
            }
        }
        for (List<String> row : seed.query("SELECT c.name, count(m.id) FROM clusters c LEFT JOIN machine_deployments m ON m.cluster_id = c.id GROUP BY c.name")) {
            int expected = clusters.getOrDefault(row.get(0), Set.of()).size();
            if (Integer.parseInt(row.get(1)) != expected) {
                problems.add("devices: cluster " + row.get(0) + " has " + row.get(1) + ", the operator registered " + expected);
            }
        }
    }

    /** Each cluster's control plane runs once: one process per component, none for a deleted cluster. */
    private void processes(Map<String, String> ids) {
        Map<String, Map<String, Integer>> running = new TreeMap<>();
        for (ProcessHandle process : seed.processesOfThisRun()) {
            String commandLine = SeedManagerProcess.commandLine(process.pid());
            Matcher cluster = CLUSTER_DIR.matcher(commandLine);
            if (cluster.find()) {
                String binary = Path.of(commandLine.split(" ")[0]).getFileName().toString();
                running.computeIfAbsent(cluster.group(1), c -> new TreeMap<>()).merge(binary, 1, Integer::sum);
            }
        }
        Set<String> components = running.values().stream().flatMap(m -> m.keySet().stream()).collect(Collectors.toCollection(TreeSet::new));
        running.forEach((id, binaries) -> {
            if (!ids.containsValue(id)) {
                problems.add("leftover: control plane of removed cluster " + id + " still runs " + binaries.keySet());
            }
            binaries.forEach((binary, count) -> {
                if (count > 1) {
                    problems.add("duplicated: cluster " + id + " runs " + count + " " + binary);
                }
            });
        });
        ids.forEach((name, id) -> {
            Set<String> missing = new TreeSet<>(components);
            missing.removeAll(running.getOrDefault(id, Map.of()).keySet());
            if (!missing.isEmpty()) {
                problems.add("not running: cluster " + name + " lacks " + missing);
            }
        });
    }

    private void database(Map<String, Set<String>> clusters, Map<String, String> ids) throws Exception {
        List<List<String>> ports = seed.query("SELECT cluster_id, count(*) FROM cluster_ports GROUP BY cluster_id");
        Set<String> perCluster = ports.stream().map(r -> r.get(1)).collect(Collectors.toSet());
        if (perCluster.size() > 1) {
            problems.add("ports: clusters hold different numbers of ports " + ports);
        }
        ports.stream().filter(r -> !ids.containsValue(r.get(0))).forEach(r -> problems.add("ports: held by removed cluster " + r.get(0)));
        for (List<String> row : seed.query("SELECT machine_deployment_id, count(*) FROM machine_bootstrap_tokens WHERE expires_at > now()"
                + " GROUP BY machine_deployment_id HAVING count(*) > 1")) {
            problems.add("tokens: device " + row.get(0) + " holds " + row.get(1) + " valid bootstrap tokens");
        }
        int devices = clusters.values().stream().mapToInt(Set::size).sum();
        int ranges = Integer.parseInt(seed.query("SELECT count(*) FROM machine_pod_cidrs").get(0).get(0));
        if (ranges > devices) {
            problems.add("pod ranges: " + ranges + " held for " + devices + " devices");
        }
    }

    /** One DeviceWorkloads per device and at most one Deployment per workload and device in the tenant cluster. */
    private void tenant(String cluster, KubernetesClient client, Set<String> devices) {
        List<String> objects = client.genericKubernetesResources(DEVICE_WORKLOADS).inNamespace("edgeplane-workloads").list().getItems()
                .stream().map(o -> o.getMetadata().getName()).toList();
        if (!new TreeSet<>(objects).equals(new TreeSet<>(devices))) {
            problems.add("tenant " + cluster + ": " + objects.size() + " DeviceWorkloads for " + devices.size() + " devices");
        }
        duplicates(cluster, "Deployments", client.apps().deployments().inNamespace("edgeplane-workloads").list().getItems());
    }

    private void duplicates(String cluster, String kind, List<? extends HasMetadata> objects) {
        Function<HasMetadata, String> key = o -> o.getMetadata().getLabels() == null ? o.getMetadata().getName()
                : o.getMetadata().getLabels().get("edgeplane.io/workload") + " on " + o.getMetadata().getLabels().get("edgeplane.io/node");
        objects.stream().collect(Collectors.groupingBy(key, Collectors.counting())).forEach((k, n) -> {
            if (n > 1) {
                problems.add("tenant " + cluster + ": " + n + " " + kind + " for " + k);
            }
        });
    }

    /**
     * Every call the operator saw answered (below 500: the audit is written in the database, so
     * answers given while it was down cannot be there) has its row, and no call has more rows than
     * it was sent times.
     */
    private void audit(OperatorLedger ledger) throws Exception {
        Map<String, Map<Integer, Integer>> recorded = new TreeMap<>();
        for (List<String> row : seed.query("SELECT action, result, count(*) FROM audit_events GROUP BY action, result")) {
            recorded.computeIfAbsent(row.get(0), a -> new TreeMap<>()).put(Integer.parseInt(row.get(1)), Integer.parseInt(row.get(2)));
        }
        Map<String, Map<Integer, Integer>> asked = ledger.tally();
        asked.forEach((action, answers) -> {
            Map<Integer, Integer> rows = recorded.getOrDefault(action, Map.of());
            answers.forEach((status, count) -> {
                if (status > 0 && status < 500 && rows.getOrDefault(status, 0) < count) {
                    problems.add("audit lost: " + action + " answered " + status + " " + count + " time(s), recorded "
                            + rows.getOrDefault(status, 0));
                }
            });
            int landed = ledger.landedUnanswered().getOrDefault(action, 0);
            int answeredDone = answers.entrySet().stream().filter(a -> a.getKey() >= 200 && a.getKey() < 300).mapToInt(Map.Entry::getValue).sum();
            int rowsDone = rows.entrySet().stream().filter(r -> r.getKey() >= 200 && r.getKey() < 300).mapToInt(Map.Entry::getValue).sum();
            if (rowsDone < answeredDone + landed) {
                problems.add("audit lost: " + action + " changed something " + (answeredDone + landed) + " time(s) (" + landed
                        + " whose answer a crash lost), recorded " + rowsDone);
            }
            int sent = answers.values().stream().mapToInt(Integer::intValue).sum();
            int written = rows.values().stream().mapToInt(Integer::intValue).sum();
            if (written > sent) {
                problems.add("audit duplicated: " + action + " sent " + sent + " time(s), recorded " + written);
            }
        });
        recorded.keySet().stream().filter(a -> !asked.containsKey(a)).forEach(a -> problems.add("audit: unknown action " + a));
    }
}
