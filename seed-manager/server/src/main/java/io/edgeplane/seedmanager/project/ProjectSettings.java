package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Project defaults from configuration.
 *
 * @param defaultClusterQuota the cluster quota a project gets when it is created without one; null for no limit
 */
@ConfigurationProperties("edgeplane.projects")
public record ProjectSettings(@Nullable Integer defaultClusterQuota) {
    public ProjectSettings {
        if (defaultClusterQuota != null && (defaultClusterQuota < 0 || defaultClusterQuota > ProjectQuota.MAX_CLUSTERS)) {
            throw new InvalidConfigurationException("EDGEPLANE_PROJECTS_DEFAULT_CLUSTER_QUOTA must be from 0 to "
                    + ProjectQuota.MAX_CLUSTERS + ", got " + defaultClusterQuota);
        }
    }
}
