package io.edgeplane.cli.commands;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The paths of the lists a watch follows (the generated client has no streaming call to take them from). */
final class ApiPaths {

    private ApiPaths() {
    }

    static String clusters(String project) {
        return "/api/v1/projects/" + segment(project) + "/clusters";
    }

    static String machineDeployments(String project, String cluster) {
        return clusters(project) + "/" + segment(cluster) + "/machinedeployments";
    }

    static String provisioningLog(String project, String cluster, String name) {
        return machineDeployments(project, cluster) + "/" + segment(name) + "/provisioning-log";
    }

    static String workloads(String project, String cluster) {
        return clusters(project) + "/" + segment(cluster) + "/workloads";
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
