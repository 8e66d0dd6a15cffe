package io.edgeplane.seedmanager.persistence;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (stopped, restarting, network cut) from a query that
 * failed: the first is an outage the seed manager rides out, answering 503 and retrying, the
 * second a fault worth a stack trace.
 */
public final class DatabaseOutage {
    private DatabaseOutage() {
    }

    /** Whether {@code failure} or one of its causes says the database could not be reached or went away. */
    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException
                    || t instanceof io.micronaut.transaction.jdbc.exceptions.CannotGetJdbcConnectionException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            // Setting up or restoring a connection (auto-commit, read-only) fails only on a connection that broke: when a
            // query hits a dead server, the pool swaps in a closed stand-in, and restoring it replaces the query's own error.
            if (t instanceof ConnectionException && !(t instanceof NoConnectionException)) {
                return true;
            }
            // SQLSTATE class 08: connection exceptions; 57P01..57P03: the server is shutting down or not yet accepting.
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, which names what was unreachable (pool timeout, connection refused, shutdown). */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
