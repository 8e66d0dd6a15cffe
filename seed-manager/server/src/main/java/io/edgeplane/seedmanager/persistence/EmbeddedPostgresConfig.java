package io.edgeplane.seedmanager.persistence;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Settings of the embedded PostgreSQL server, used only when no JDBC URL is configured.
 *
 * @param binDir   a PostgreSQL installation's bin directory to use instead of the bundled binaries
 * @param port     TCP port on 127.0.0.1; 0 picks a free one at every start
 * @param osUser   unprivileged system user that runs the server when the seed manager runs as root
 * @param database database created for Edgeplane
 */
@ConfigurationProperties("edgeplane.postgres")
public record EmbeddedPostgresConfig(@Nullable String binDir, int port, String osUser, String database) {
}
