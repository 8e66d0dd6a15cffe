package io.edgeplane.seedmanager.persistence;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** An unreachable database is told from a failed query by the exception's cause chain. */
class DatabaseOutageTest {

    @Test
    void aPoolThatCannotConnectOrAServerThatWentAwayIsAnOutage() {
        SQLTransientConnectionException pool = new SQLTransientConnectionException("HikariPool-1 - Connection is not available");
        pool.initCause(new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
        CannotGetJdbcConnectionException wrapped = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", pool);

        assertThat(DatabaseOutage.isCause(new RuntimeException("pass failed", wrapped))).isTrue();
        assertThat(DatabaseOutage.reason(wrapped)).isEqualTo("Connection to 127.0.0.1:5432 refused");
        assertThat(DatabaseOutage.isCause(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        // A pooled connection the server closed, found as a transaction starts (Hikari's closed-connection state).
        assertThat(DatabaseOutage.isCause(new RuntimeException("Could not set JDBC Connection read-only",
                new SQLException("Connection is closed", "08003")))).isTrue();
        // The query broke (08006), the pool closed the connection, and restoring its auto-commit failed without a state.
        assertThat(DatabaseOutage.isCause(new io.micronaut.data.connection.exceptions.ConnectionException(
                "Could not set JDBC Connection read-only: Connection is closed", new SQLException("Connection is closed")))).isTrue();
        // The transaction manager's own type, raised before any SQL state exists.
        assertThat(DatabaseOutage.isCause(new io.micronaut.transaction.jdbc.exceptions.CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection"))).isTrue();
    }

    @Test
    void aQueryThatFailedIsNot() {
        assertThat(DatabaseOutage.isCause(new RuntimeException(new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(DatabaseOutage.isCause(new IllegalStateException("cluster is gone"))).isFalse();
        assertThat(DatabaseOutage.isCause(new io.micronaut.data.connection.exceptions.NoConnectionException())).as("a caller outside any connection")
                .isFalse();
        assertThat(DatabaseOutage.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
