package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.api.Names;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The body of {@code POST .../workloads/apply}: the workloads whose ready staged versions go live together. */
@Serdeable
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, description = "Workloads whose ready staged versions are applied together, all or none")
public record ApplyWorkloadsRequest(
        @Schema(example = "[\"camera\", \"detector\"]")
        @NotNull @Size(min = 1, max = MAX_NAMES, message = "must name from 1 to " + MAX_NAMES + " workloads")
        List<@NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE) String> names) {

    static final int MAX_NAMES = 100;

    /** Names listed twice. */
    List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                problems.add(new FieldProblem("names[" + i + "]", names.get(i) + " is listed twice"));
            }
        }
        return problems;
    }
}
