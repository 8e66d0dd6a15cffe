package io.edgeplane.seedmanager.workload.device;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code device_actions} table: each local action of a device, decided once. */
@Singleton
@Transactional
public class DeviceActionRecords {
    private final JdbcOperations jdbc;

    public DeviceActionRecords(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A decided action. {@code generationAfter} is the workload's generation the adoption produced (null: nothing changed). */
    public record Decided(String node, long seq, String workload, String action, Instant doneAt, String cause, long basedOnGeneration,
                          @Nullable String specHash, DeviceActionOutcome outcome, String message, @Nullable Long generationAfter,
                          Instant decidedAt) {
    }

    public Optional<Decided> find(String clusterId, String node, long seq) {
        return jdbc.prepareStatement("SELECT * FROM device_actions WHERE cluster_id = ? AND node = ? AND seq = ?", statement -> {
            statement.setString(1, clusterId);
            statement.setString(2, node);
            statement.setLong(3, seq);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(decided(rows)) : Optional.<Decided>empty();
            }
        });
    }

    /** Records the decision; false when another pass recorded one for the same action first. */
    public boolean insert(String clusterId, Decided d) {
        return jdbc.prepareStatement("""
                INSERT INTO device_actions (cluster_id, node, seq, workload, action, done_at, cause, based_on_generation, spec_hash,
                                            outcome, message, generation_after, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", statement -> {
            statement.setString(1, clusterId);
            statement.setString(2, d.node());
            statement.setLong(3, d.seq());
            statement.setString(4, d.workload());
            statement.setString(5, d.action());
            statement.setTimestamp(6, Timestamp.from(d.doneAt()));
            statement.setString(7, d.cause());
            statement.setLong(8, d.basedOnGeneration());
            statement.setString(9, d.specHash());
            statement.setString(10, d.outcome().name());
            statement.setString(11, d.message());
            if (d.generationAfter() == null) {
                statement.setNull(12, Types.BIGINT);
            } else {
                statement.setLong(12, d.generationAfter());
            }
            statement.setTimestamp(13, Timestamp.from(d.decidedAt()));
            return statement.executeUpdate() == 1;
        });
    }

    /**
     * The generation the last adopted action of this device on this workload, made at
     * {@code basedOnGeneration}, left it at: a later action the device made before it heard of that
     * adoption quotes the same generation, and is still no conflict with the operator.
     */
    public Optional<Long> generationAfterOwnAdoption(String clusterId, String node, String workload, long basedOnGeneration) {
        return jdbc.prepareStatement("""
                SELECT generation_after FROM device_actions
                WHERE cluster_id = ? AND node = ? AND workload = ? AND based_on_generation = ? AND outcome = 'adopted'
                  AND generation_after IS NOT NULL
                ORDER BY seq DESC LIMIT 1""", statement -> {
            statement.setString(1, clusterId);
            statement.setString(2, node);
            statement.setString(3, workload);
            statement.setLong(4, basedOnGeneration);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.<Long>empty();
            }
        });
    }

    /** The latest decisions about a workload's actions, newest first. */
    public List<Decided> latest(String clusterId, String workload, int limit) {
        return jdbc.prepareStatement("""
                SELECT * FROM device_actions WHERE cluster_id = ? AND workload = ? ORDER BY decided_at DESC, seq DESC LIMIT ?""",
                statement -> {
                    statement.setString(1, clusterId);
                    statement.setString(2, workload);
                    statement.setInt(3, limit);
                    List<Decided> found = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            found.add(decided(rows));
                        }
                    }
                    return found;
                });
    }

    private static Decided decided(ResultSet row) throws SQLException {
        long after = row.getLong("generation_after");
        return new Decided(row.getString("node"), row.getLong("seq"), row.getString("workload"), row.getString("action"),
                row.getTimestamp("done_at").toInstant(), row.getString("cause"), row.getLong("based_on_generation"),
                row.getString("spec_hash"), DeviceActionOutcome.valueOf(row.getString("outcome")), row.getString("message"),
                row.wasNull() ? null : after, row.getTimestamp("decided_at").toInstant());
    }
}
