package io.edgeplane.seedmanager.metrics;

import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the fleet in two grouped queries: objects by phase or state, and due rows per kind. A
 * seed manager with 10,000 devices answers both from the tables' small rows in milliseconds.
 */
@Singleton
public class FleetCounts {
    private static final String BY_PHASE = """
            SELECT 'cluster' AS kind, phase AS value, count(*) AS n FROM clusters GROUP BY phase
            UNION ALL SELECT 'machine', phase, count(*) FROM machine_deployments GROUP BY phase
            UNION ALL SELECT 'workload', state, count(*) FROM workloads GROUP BY state""";
    private static final String DUE = """
            SELECT 'cluster' AS kind, count(*) AS n, min(next_reconcile_at) AS oldest FROM clusters
                WHERE next_reconcile_at <= now() AND (lease_until IS NULL OR lease_until < now())
            UNION ALL SELECT 'machine', count(*), min(next_reconcile_at) FROM machine_deployments
                WHERE next_reconcile_at <= now() AND (lease_until IS NULL OR lease_until < now())
            UNION ALL SELECT 'workload', count(*), min(next_reconcile_at) FROM workloads
                WHERE next_reconcile_at <= now() AND (lease_until IS NULL OR lease_until < now())""";

    private final JdbcOperations jdbc;

    public FleetCounts(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param byPhase   per kind, how many objects are in each phase (or state) present
     * @param due       per kind, how many rows are due and unclaimed
     * @param oldestDue per kind, how long the longest-waiting due row has waited (zero when none)
     * @param taken     when the counts were taken
     */
    public record Snapshot(Map<ReconcileKind, Map<String, Long>> byPhase, Map<ReconcileKind, Long> due,
                           Map<ReconcileKind, Duration> oldestDue, Instant taken) {
        static Snapshot empty() {
            return new Snapshot(Map.of(), Map.of(), Map.of(), Instant.EPOCH);
        }

        public long count(ReconcileKind kind, String phase) {
            return byPhase.getOrDefault(kind, Map.of()).getOrDefault(phase, 0L);
        }
    }

    @Transactional(readOnly = true)
    public Snapshot take() {
        Instant now = Instant.now();
        Map<ReconcileKind, Map<String, Long>> byPhase = new EnumMap<>(ReconcileKind.class);
        jdbc.prepareStatement(BY_PHASE, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byPhase.computeIfAbsent(ReconcileKind.valueOf(rows.getString("kind")), k -> new HashMap<>())
                            .put(rows.getString("value"), rows.getLong("n"));
                }
            }
            return null;
        });
        Map<ReconcileKind, Long> due = new EnumMap<>(ReconcileKind.class);
        Map<ReconcileKind, Duration> oldest = new EnumMap<>(ReconcileKind.class);
        jdbc.prepareStatement(DUE, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ReconcileKind kind = ReconcileKind.valueOf(rows.getString("kind"));
                    due.put(kind, rows.getLong("n"));
                    oldest.put(kind, age(rows.getTimestamp("oldest"), now));
                }
            }
            return null;
        });
        return new Snapshot(byPhase, due, oldest, now);
    }

    private static Duration age(Timestamp oldest, Instant now) throws SQLException {
        if (oldest == null) {
            return Duration.ZERO;
        }
        Duration age = Duration.between(oldest.toInstant(), now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
