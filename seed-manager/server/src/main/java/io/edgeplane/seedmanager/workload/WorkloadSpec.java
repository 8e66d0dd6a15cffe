package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.app.AppSpec;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * One version of a workload, resolved at deploy time so that it no longer depends on the app
 * registry: the app's containers with the workload's extra {@code env} applied, the merged
 * configuration (delivered to the containers as {@code /etc/edgeplane/app/app.yaml}), and the
 * device (node) names it runs on.
 */
@Serdeable
public record WorkloadSpec(String appName,
                           String appVersion,
                           List<AppSpec.Container> containers,
                           Map<String, Object> configuration,
                           List<String> nodes) {

    /** Every image of this version, in container order, without duplicates. */
    public List<String> images() {
        return containers.stream().map(AppSpec.Container::image).distinct().toList();
    }
}
