package io.edgeplane.seedmanager.watch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The change feed in PostgreSQL (see {@code 009-watch-changes.sql}): numbering committed changes, reading
 * a scope's changes after a seq, a scope's current rows, and forgetting old changes. Rows come back as
 * the feature's own entities, so a change renders exactly as a GET of the row would.
 */
@Singleton
public class ChangeFeed {
    static final String PENDING_CHANNEL = "edgeplane_watch_pending";
    static final String CHANGES_CHANNEL = "edgeplane_watch";
    private static final int SEQUENCE_BATCH = 1000;

    private final JdbcOperations jdbc;

    public ChangeFeed(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @ReadOnly
    public FeedPosition position() {
        return jdbc.prepareStatement("SELECT last, pruned_through FROM watch_sequence", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new FeedPosition(rs.getLong(1), rs.getLong(2));
            }
        });
    }

    /**
     * Numbers the committed, unnumbered changes in the order they were recorded and notifies the watchers
     * of each scope touched. The row lock on {@code watch_sequence} makes replicas take turns, so a
     * number is never visible before a smaller one. Returns how many were numbered.
     */
    @Transactional
    public int sequencePending() {
        long last = jdbc.prepareStatement("SELECT last FROM watch_sequence FOR UPDATE", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        Set<String> keys = new LinkedHashSet<>();
        int numbered = jdbc.prepareStatement("""
                WITH pending AS (
                    SELECT id, row_number() OVER (ORDER BY id) AS n FROM watch_changes
                    WHERE seq IS NULL ORDER BY id LIMIT ?)
                UPDATE watch_changes c SET seq = ? + p.n FROM pending p WHERE c.id = p.id
                RETURNING c.kind, c.scope""", ps -> {
            ps.setInt(1, SEQUENCE_BATCH);
            ps.setLong(2, last);
            int count = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1) + ":" + rs.getString(2));
                    count++;
                }
            }
            return count;
        });
        if (numbered == 0) {
            return 0;
        }
        jdbc.prepareStatement("UPDATE watch_sequence SET last = ?", ps -> {
            ps.setLong(1, last + numbered);
            return ps.executeUpdate();
        });
        for (String key : keys) {
            // Delivered at commit, to every replica: only the watchers of these scopes look.
            jdbc.prepareStatement("SELECT pg_notify(?, ?)", ps -> {
                ps.setString(1, CHANGES_CHANNEL);
                ps.setString(2, key);
                ps.execute();
                return null;
            });
        }
        return numbered;
    }

    /** Up to {@code limit} changes of one scope after {@code after}, oldest first. */
    @ReadOnly
    public <E> List<Change<E>> changesAfter(WatchedTable table, String scope, long after, int limit, Class<E> type) {
        String sql = "SELECT c.seq AS watch_seq, c.type AS watch_type, (jsonb_populate_record(NULL::" + table.table()
                + ", c.row_data)).* FROM watch_changes c WHERE c.kind = ? AND c.scope = ? AND c.seq > ? ORDER BY c.seq LIMIT ?";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setString(1, table.table());
            ps.setString(2, scope);
            ps.setLong(3, after);
            ps.setInt(4, limit);
            List<Change<E>> changes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change<>(rs.getLong("watch_seq"), ChangeType.valueOf(rs.getString("watch_type")),
                            jdbc.readEntity(rs, type)));
                }
            }
            return changes;
        });
    }

    /** Up to {@code limit} current rows of one scope whose name sorts after {@code afterName}, by name. */
    @ReadOnly
    public <E> List<E> rowsAfter(WatchedTable table, String scope, String afterName, int limit, Class<E> type) {
        String sql = "SELECT * FROM " + table.table() + " WHERE " + table.scopeColumn() + " = ? AND name > ? ORDER BY name LIMIT ?";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setString(1, scope);
            ps.setString(2, afterName);
            ps.setInt(3, limit);
            return entities(ps, type);
        });
    }

    /** One current row by id, if it still exists. */
    @ReadOnly
    public <E> Optional<E> row(WatchedTable table, String id, Class<E> type) {
        return jdbc.prepareStatement("SELECT * FROM " + table.table() + " WHERE id = ?", ps -> {
            ps.setString(1, id);
            return entities(ps, type).stream().findFirst();
        });
    }

    /** Up to {@code limit} lines a device's deliveries wrote after {@code after}, in order. */
    @ReadOnly
    public <L> List<L> logLinesAfter(String machineDeploymentId, long after, int limit, Class<L> type) {
        return jdbc.prepareStatement("SELECT * FROM machine_provisioning_logs WHERE machine_deployment_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                ps -> {
                    ps.setString(1, machineDeploymentId);
                    ps.setLong(2, after);
                    ps.setInt(3, limit);
                    return entities(ps, type);
                });
    }

    /** Forgets numbered changes older than {@code retention}; a watch resuming before them must list again. */
    @Transactional
    public int prune(Duration retention) {
        return jdbc.prepareStatement("""
                WITH horizon AS (
                    SELECT max(seq) AS seq FROM watch_changes WHERE seq IS NOT NULL AND at < now() - make_interval(secs => ?)),
                gone AS (
                    DELETE FROM watch_changes WHERE seq <= (SELECT seq FROM horizon) RETURNING seq)
                UPDATE watch_sequence SET pruned_through = GREATEST(pruned_through, (SELECT seq FROM horizon))
                WHERE (SELECT seq FROM horizon) IS NOT NULL
                RETURNING (SELECT count(*) FROM gone)""", ps -> {
            ps.setDouble(1, retention.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    private <E> List<E> entities(PreparedStatement ps, Class<E> type) throws SQLException {
        List<E> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(jdbc.readEntity(rs, type));
            }
        }
        return rows;
    }
}
