package io.edgeplane.seedmanager.workload.device;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a device's agent last reported in its {@code DeviceWorkloads} status, and when the
 * apiserver received it ({@code heardAt}: the time of the agent's last status write as the
 * apiserver recorded it, so a device's clock does not matter).
 */
public record DeviceReport(String node, Instant heardAt, long acknowledged, List<WorkloadReport> workloads, List<LocalAction> actions,
                           LinkReport tunnel, LinkReport podNetwork, OnboardingReport onboarding) {
    /** A device heard from within this long counts as connected, even before its kubelet reports the node Ready again. */
    public static final Duration FRESH = Duration.ofSeconds(45);

    /** One workload as the device runs it. */
    public record WorkloadReport(String name, long generation, String specHash, String version, boolean run, String state,
                                 String message) {
    }

    /** An action made on the device with its local command, not yet acknowledged by the seed manager. */
    public record LocalAction(long seq, String workload, String action, Instant at, String cause, long basedOnGeneration,
                              String specHash, String version) {
    }

    /**
     * A link of the device (its tunnel agent, its pod network) as its device agent sees it: {@code connected} or
     * {@code disconnected} since a time, and why when disconnected. Null when the agent keeps no such link.
     */
    public record LinkReport(String state, Instant since, String reason) {
        static LinkReport of(Object reported) {
            Map<String, Object> link = map(reported);
            return link.isEmpty() || text(link.get("state")) == null ? null
                    : new LinkReport(text(link.get("state")), instant(text(link.get("since"))), Optional.ofNullable(text(link.get("reason"))).orElse(""));
        }
    }

    /**
     * The device's onboarding check as its agent reports it: the request it ran for, when it ended (null while the
     * first run of that request is under way) and each check's outcome. Null when the agent reports none.
     */
    public record OnboardingReport(long request, Instant checkedAt, List<CheckReport> checks) {
        static OnboardingReport of(Object reported) {
            Map<String, Object> o = map(reported);
            if (o.isEmpty() || number(o.get("request")) < 1) {
                return null;
            }
            List<CheckReport> checks = new ArrayList<>();
            for (Object item : list(o.get("checks"))) {
                Map<String, Object> c = map(item);
                if (text(c.get("name")) != null) {
                    checks.add(new CheckReport(text(c.get("name")), Boolean.TRUE.equals(c.get("passed")),
                            Optional.ofNullable(text(c.get("message"))).orElse("")));
                }
            }
            return new OnboardingReport(number(o.get("request")), instant(text(o.get("checkedAt"))), List.copyOf(checks));
        }

        public Optional<CheckReport> check(String name) {
            return checks.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /** One check of the onboarding check. */
    public record CheckReport(String name, boolean passed, String message) {
    }

    public DeviceReport(String node, Instant heardAt, long acknowledged, List<WorkloadReport> workloads, List<LocalAction> actions) {
        this(node, heardAt, acknowledged, workloads, actions, null, null, null);
    }

    public boolean connected(Instant now) {
        return heardAt != null && heardAt.plus(FRESH).isAfter(now);
    }

    public Optional<WorkloadReport> workload(String name) {
        return workloads.stream().filter(w -> name.equals(w.name())).findFirst();
    }

    /** The report in {@code resource}, or empty when its agent has never written a status. */
    public static Optional<DeviceReport> of(GenericKubernetesResource resource) {
        Map<String, Object> status = map(resource.getAdditionalProperties().get("status"));
        Instant heard = heardAt(resource);
        if (status.isEmpty() || heard == null) {
            return Optional.empty();
        }
        Map<String, Object> spec = map(resource.getAdditionalProperties().get("spec"));
        List<WorkloadReport> workloads = new ArrayList<>();
        for (Object item : list(status.get("workloads"))) {
            Map<String, Object> w = map(item);
            workloads.add(new WorkloadReport(text(w.get("name")), number(w.get("generation")), text(w.get("specHash")),
                    text(w.get("version")), Boolean.TRUE.equals(w.get("run")), text(w.get("state")), text(w.get("message"))));
        }
        long acknowledged = number(spec.get("actionsAcknowledged"));
        List<LocalAction> actions = new ArrayList<>();
        for (Object item : list(status.get("actions"))) {
            Map<String, Object> a = map(item);
            long seq = number(a.get("seq"));
            Instant at = instant(text(a.get("at")));
            if (seq <= acknowledged || at == null || text(a.get("workload")) == null || text(a.get("action")) == null) {
                continue;
            }
            actions.add(new LocalAction(seq, text(a.get("workload")), text(a.get("action")), at,
                    Optional.ofNullable(text(a.get("cause"))).orElse(""), number(a.get("basedOnGeneration")), text(a.get("specHash")),
                    text(a.get("version"))));
        }
        actions.sort(Comparator.comparingLong(LocalAction::seq));
        return Optional.of(new DeviceReport(resource.getMetadata().getName(), heard, acknowledged, workloads, actions,
                LinkReport.of(status.get("tunnel")), LinkReport.of(status.get("podNetwork")), OnboardingReport.of(status.get("onboarding"))));
    }

    /** When the apiserver last took a status write of the agent. */
    static Instant heardAt(GenericKubernetesResource resource) {
        if (resource.getMetadata().getManagedFields() == null) {
            return null;
        }
        Instant latest = null;
        for (ManagedFieldsEntry entry : resource.getMetadata().getManagedFields()) {
            if (DeviceWorkloadsResource.AGENT_MANAGER.equals(entry.getManager()) && "status".equals(entry.getSubresource())) {
                Instant time = instant(entry.getTime());
                if (time != null && (latest == null || time.isAfter(latest))) {
                    latest = time;
                }
            }
        }
        return latest;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
