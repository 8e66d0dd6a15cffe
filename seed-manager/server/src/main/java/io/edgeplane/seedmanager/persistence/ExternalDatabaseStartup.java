package io.edgeplane.seedmanager.persistence;

import io.edgeplane.seedmanager.config.StartupPreflight;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Waits for an external database at start, before the schema is migrated: a seed manager started
 * together with its database (a reboot, a Kubernetes rollout) should not fail because it came up
 * first. Each failed attempt is logged; after {@code edgeplane.database.startup-timeout} the start is
 * refused with the last reason. Once running, an outage only turns /health DOWN.
 */
@Singleton
public class ExternalDatabaseStartup implements BeanInitializedEventListener<DatasourceConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalDatabaseStartup.class);
    private static final Duration PAUSE = Duration.ofSeconds(2);

    private final Duration timeout;
    private final BeanProvider<StartupPreflight> preflight;

    public ExternalDatabaseStartup(@Value("${edgeplane.database.startup-timeout:2m}") Duration timeout,
                                   BeanProvider<StartupPreflight> preflight) {
        this.timeout = timeout;
        this.preflight = preflight;
    }

    @Override
    public DatasourceConfiguration onInitialized(BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration ds = event.getBean();
        if (ds.getConfiguredUrl() != null && "default".equals(ds.getName())) {
            preflight.get();
            await(ds.getConfiguredUrl(), ds.getUsername(), ds.getPassword());
        }
        return ds;
    }

    /** Wrong credentials or a missing database do not get better by waiting (SQLSTATE classes 28 and 3D). */
    private static boolean isPermanent(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("28") || state.startsWith("3D"));
    }

    private void await(String url, String username, String password) {
        String shown = url.replaceFirst("\\?.*$", "");  // parameters may carry credentials
        Properties credentials = new Properties();
        if (username != null) {
            credentials.setProperty("user", username);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("connectTimeout", "5");
        long deadline = System.nanoTime() + timeout.toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            try (Connection ignored = DriverManager.getConnection(url, credentials)) {
                if (attempt > 1) {
                    LOG.info("database {} answers (attempt {})", shown, attempt);
                }
                return;
            } catch (SQLException e) {
                String reason = e.getMessage();
                if (isPermanent(e)) {
                    throw new DatabaseUnavailableException("the database " + shown + " refused the seed manager: " + reason
                            + " (DATASOURCES_DEFAULT_URL, DATASOURCES_DEFAULT_USERNAME, DATASOURCES_DEFAULT_PASSWORD)");
                }
                if (System.nanoTime() + PAUSE.toNanos() > deadline) {
                    throw new DatabaseUnavailableException("the database " + shown + " did not answer within " + timeout.toSeconds()
                            + " s (" + attempt + " attempts): " + reason
                            + " (DATASOURCES_DEFAULT_URL; wait longer with EDGEPLANE_DATABASE_STARTUP_TIMEOUT)");
                }
                LOG.warn("database {} unreachable (attempt {}): {}; retrying for up to {} s", shown, attempt, reason,
                        Duration.ofNanos(deadline - System.nanoTime()).toSeconds());
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatabaseUnavailableException("interrupted while waiting for the database " + shown);
            }
        }
    }
}
