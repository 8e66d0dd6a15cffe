package io.edgeplane.seedmanager.persistence;

import io.edgeplane.seedmanager.config.StartupPreflight;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanDestroyedEvent;
import io.micronaut.context.event.BeanDestroyedEventListener;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/**
 * Points the default datasource at the embedded server when no JDBC URL is configured. Runs before
 * Hikari's own defaults are computed, so nothing else needs to know which server is in use; and
 * after the {@link StartupPreflight}, so a refused start never started a server. Stops the server
 * once the pool is closed: Micronaut does not know the pool depends on it, and stopping it as an
 * ordinary bean could come first and break the pool's last connections.
 */
@Singleton
public class EmbeddedDataSourceInitializer implements BeanInitializedEventListener<DatasourceConfiguration>,
        BeanDestroyedEventListener<DataSource> {
    private final BeanProvider<EmbeddedPostgres> embedded;
    private final BeanProvider<StartupPreflight> preflight;
    private volatile EmbeddedPostgres started;

    public EmbeddedDataSourceInitializer(BeanProvider<EmbeddedPostgres> embedded, BeanProvider<StartupPreflight> preflight) {
        this.embedded = embedded;
        this.preflight = preflight;
    }

    @Override
    public DatasourceConfiguration onInitialized(BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration ds = event.getBean();
        if (ds.getConfiguredUrl() == null && "default".equals(ds.getName())) {
            preflight.get();
            EmbeddedPostgres server = embedded.get();
            started = server;
            ds.setUrl(server.start());
            ds.setUsername(server.username());
            ds.setPassword(server.password());
        }
        return ds;
    }

    @Override
    public void onDestroyed(BeanDestroyedEvent<DataSource> event) {
        EmbeddedPostgres server = started;
        if (server != null) {
            server.stop();
        }
    }
}
