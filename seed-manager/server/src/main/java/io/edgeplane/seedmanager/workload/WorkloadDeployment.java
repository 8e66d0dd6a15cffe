package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.api.Names;
import io.edgeplane.seedmanager.app.AppRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One workload of a deploy: a new one, or a new version of one already there (the same name again).
 * {@link #problems} adds what Bean Validation cannot say of the body alone; the service adds what
 * needs the registry and the cluster (the app version, the devices, the app's configuration schema).
 */
@Serdeable
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, description = "A workload to deploy, or a new version of one (the same name again)")
public record WorkloadDeployment(
        @Schema(description = "the workload's name, a DNS-1123 label of at most 40 characters other than apply", example = "web")
        @NotNull @Size(min = 1, max = AppRequest.MAX_NAME) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
        String name,
        @Schema(description = "a human-readable name; kept from the previous version, else the app's title, when absent")
        @Nullable @Size(max = 200)
        String title,
        @Schema(description = "the registered app", example = "hello-http")
        @NotNull @Size(min = 1, max = AppRequest.MAX_NAME) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
        String app,
        @Schema(description = "the registered version of the app", example = "1.2.0")
        @NotNull @Size(min = 1, max = 64) @Pattern(regexp = AppRequest.VERSION, message = AppRequest.VERSION_MESSAGE)
        String version,
        @Schema(description = "the MachineDeployments (devices) to run on; every device of the cluster when absent")
        @Nullable @Size(min = 1, max = MAX_NODES, message = "must name from 1 to " + MAX_NODES
                + " MachineDeployments (or be left out for every device of the cluster)")
        List<@NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE) String> nodes,
        @Schema(description = "put over the app's defaultConfiguration key by key, and checked against its configurationSchema",
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
        @Nullable
        Map<String, Object> configuration,
        @Schema(description = "environment variables added to every container; EDGEPLANE_* are reserved")
        @Nullable @Size(max = AppRequest.MAX_ENV)
        Map<String, @NotNull @Size(max = AppRequest.MAX_ENV_VALUE) String> env,
        @Schema(description = "pre-pull the images onto the devices first, then wait for apply (or apply automatically with "
                + "instantlyApply)", defaultValue = "false")
        @Nullable
        Boolean staged,
        @Schema(description = "with staged: apply as soon as every image of every workload of this request is on its devices",
                defaultValue = "false")
        @Nullable
        Boolean instantlyApply) implements DeployWorkloadsRequest {

    static final int MAX_NODES = 256;

    public boolean isStaged() {
        return Boolean.TRUE.equals(staged);
    }

    public boolean isInstantlyApply() {
        return Boolean.TRUE.equals(instantlyApply);
    }

    /** The extra environment, sorted; empty when absent. */
    public Map<String, String> environment() {
        return env == null ? Map.of() : new TreeMap<>(env);
    }

    /** The configuration given; empty when absent. */
    public Map<String, Object> givenConfiguration() {
        return configuration == null ? Map.of() : configuration;
    }

    @Override
    public List<FieldProblem> problems() {
        return problems("");
    }

    /** Nodes listed twice, reserved names, named under {@code path} ({@code workloads[1].}). */
    List<FieldProblem> problems(String path) {
        List<FieldProblem> problems = new ArrayList<>();
        if (WorkloadController.RESERVED_NAME.equals(name)) {
            // .../workloads/apply is the batch apply; a workload of that name could not be addressed.
            problems.add(new FieldProblem(path + "name", "apply is reserved"));
        }
        if (nodes != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (!seen.add(nodes.get(i))) {
                    problems.add(new FieldProblem(path + "nodes[" + i + "]", nodes.get(i) + " is listed twice"));
                }
            }
        }
        problems.addAll(AppRequest.environmentProblems(env, path + "env"));
        return problems;
    }
}
