package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Keeps the process runtime to one seed manager per database. Control planes of the process runtime
 * are processes on the machine that claimed them, so a second such seed manager on the same
 * database would start every cluster twice, on two machines. Every seed manager holds a PostgreSQL
 * session advisory lock on a dedicated connection: the process runtime exclusively, the pods runtime
 * (replicas share the work through their claims) shared. A start that cannot take it is refused;
 * the lock ends with the connection, so a killed seed manager never leaves it behind.
 */
@Context
public class ReplicaGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaGuard.class);
    /** "Edgeplan" in ASCII: one key for every Edgeplane database, apart from other applications' locks. */
    static final long LOCK = 0x456467_65706c616eL;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private final DatasourceConfiguration datasource;
    private final boolean exclusive;
    private final Thread keeper;
    private volatile Connection connection;
    private volatile boolean running = true;

    public ReplicaGuard(@Named("default") DatasourceConfiguration datasource,
                        @Value("${edgeplane.runtime:process}") String runtime) {
        this.datasource = datasource;
        this.exclusive = !"pods".equals(runtime);
        try {
            connection = connect();
            if (!take(connection)) {
                close(connection);
                throw new InvalidConfigurationException(exclusive
                        ? "another seed manager uses this database: the process runtime (EDGEPLANE_RUNTIME=process) runs"
                        + " control planes on one machine and allows one seed manager per database; run several"
                        + " replicas with the pods runtime"
                        : "a seed manager with the process runtime uses this database: it allows no other seed manager;"
                        + " stop it before starting replicas with the pods runtime");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the seed manager's lock on the database", e);
        }
        keeper = new Thread(this::keep, "replica-guard");
        keeper.setDaemon(true);
        keeper.start();
    }

    @PreDestroy
    void release() {
        running = false;
        keeper.interrupt();
        close(connection);
    }

    /** The lock lives as long as its connection: after an outage, take it again on a new one. */
    private void keep() {
        while (running) {
            try {
                Thread.sleep(CHECK_EVERY.toMillis());
                if (connection.isValid(2)) {
                    continue;
                }
                close(connection);
                Connection fresh = connect();
                if (take(fresh)) {
                    connection = fresh;
                    LOG.info("seed manager lock on the database taken again after the connection was lost");
                } else {
                    close(fresh);
                    LOG.error("another seed manager took this database while the connection was lost; stop one of them:"
                            + " the process runtime allows one seed manager per database");
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.debug("database unreachable; the seed manager lock is taken again when it answers", e);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(datasource.getJdbcUrl(), datasource.getUsername(), datasource.getPassword());
    }

    private boolean take(Connection c) throws SQLException {
        String function = exclusive ? "pg_try_advisory_lock" : "pg_try_advisory_lock_shared";
        try (PreparedStatement s = c.prepareStatement("SELECT " + function + "(?)")) {
            s.setLong(1, LOCK);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static void close(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("seed manager lock connection close failed", e);
        }
    }
}
