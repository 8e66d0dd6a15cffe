package io.edgeplane.seedmanager.binaries;

import io.edgeplane.seedmanager.cluster.ClusterClaims;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Coordination through PostgreSQL. A turn is a session advisory lock on a connection of its own,
 * held for the whole preparation (minutes), so it ends with its holder however that dies; sums are
 * rows of {@code binaries_components}.
 */
@Singleton
public class DatabaseBinariesCoordination implements BinariesCoordination {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBinariesCoordination.class);
    /** "Edge": the two-key space of advisory locks, apart from the seed managers' one-key lock. */
    static final int LOCK_CLASS = 0x45646765;

    private final DatasourceConfiguration datasource;
    private final JdbcOperations jdbc;
    private final String owner;

    public DatabaseBinariesCoordination(@Named("default") DatasourceConfiguration datasource, JdbcOperations jdbc,
                                        ClusterClaims claims) {
        this(datasource, jdbc, claims.owner());
    }

    DatabaseBinariesCoordination(DatasourceConfiguration datasource, JdbcOperations jdbc, String owner) {
        this.datasource = datasource;
        this.jdbc = jdbc;
        this.owner = owner;
    }

    @Override
    public Optional<Turn> tryTurn(Platform platform) throws BinariesFetcher.BinariesFetchException {
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(datasource.getJdbcUrl(), datasource.getUsername(), datasource.getPassword());
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                s.setInt(1, LOCK_CLASS);
                s.setInt(2, key(platform));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        Connection held = connection;
                        return Optional.of(() -> close(held));
                    }
                }
            }
            close(connection);
            return Optional.empty();
        } catch (SQLException e) {
            close(connection);
            throw new BinariesFetcher.BinariesFetchException("cannot ask the database whose turn it is to prepare " + platform
                    + ": " + e.getMessage());
        }
    }

    @Override
    @Transactional
    public List<Disagreement> agree(Platform platform, Map<String, String> sums) {
        Map<String, Recorded> recorded = recorded(platform);
        List<Disagreement> disagreements = new ArrayList<>();
        for (Map.Entry<String, String> sum : new TreeMap<>(sums).entrySet()) {
            Recorded known = recorded.get(sum.getKey());
            if (known == null || known.by().equals(owner) && !known.sha256().equals(sum.getValue())) {
                record(platform, sum.getKey(), sum.getValue());
            } else if (!known.sha256().equals(sum.getValue())) {
                disagreements.add(new Disagreement(sum.getKey(), sum.getValue(), known.sha256(), known.by()));
            }
        }
        return disagreements;
    }

    /** Rows of every component of the platform, locked so that two recorders of one component take turns. */
    private Map<String, Recorded> recorded(Platform platform) {
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)", s -> {
            s.setInt(1, LOCK_CLASS + 1);
            s.setInt(2, key(platform));
            s.execute();
            return null;
        });
        return jdbc.prepareStatement("""
                SELECT component, sha256, recorded_by FROM binaries_components WHERE kubernetes_version = ? AND platform = ?""", s -> {
            s.setString(1, platform.version());
            s.setString(2, platform.name());
            Map<String, Recorded> rows = new TreeMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), new Recorded(r.getString(2), r.getString(3)));
                }
            }
            return rows;
        });
    }

    private void record(Platform platform, String component, String sha256) {
        jdbc.prepareStatement("""
                INSERT INTO binaries_components (kubernetes_version, platform, component, sha256, recorded_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (kubernetes_version, platform, component)
                DO UPDATE SET sha256 = EXCLUDED.sha256, recorded_at = now() WHERE binaries_components.recorded_by = EXCLUDED.recorded_by""", s -> {
            s.setString(1, platform.version());
            s.setString(2, platform.name());
            s.setString(3, component);
            s.setString(4, sha256);
            s.setString(5, owner);
            return s.executeUpdate();
        });
    }

    private static int key(Platform platform) {
        return (platform.version() + "/" + platform.name()).hashCode();
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("binaries turn connection close failed", e);
        }
    }

    private record Recorded(String sha256, String by) {
    }
}
