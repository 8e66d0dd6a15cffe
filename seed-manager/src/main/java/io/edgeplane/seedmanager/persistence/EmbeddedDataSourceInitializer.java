package io.edgeplane.seedmanager.persistence;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import jakarta.inject.Singleton;

/**
 * Points the default datasource at the embedded server when no JDBC URL is configured. Runs before
 * Hikari's own defaults are computed, so nothing else needs to know which server is in use.
 */
@Singleton
public class EmbeddedDataSourceInitializer implements BeanInitializedEventListener<DatasourceConfiguration> {
    private final BeanProvider<EmbeddedPostgres> embedded;

    public EmbeddedDataSourceInitializer(BeanProvider<EmbeddedPostgres> embedded) {
        this.embedded = embedded;
    }

    @Override
    public DatasourceConfiguration onInitialized(BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration ds = event.getBean();
        if (ds.getConfiguredUrl() == null && "default".equals(ds.getName())) {
            EmbeddedPostgres server = embedded.get();
            ds.setUrl(server.start());
            ds.setUsername(server.username());
            ds.setPassword(server.password());
        }
        return ds;
    }
}
