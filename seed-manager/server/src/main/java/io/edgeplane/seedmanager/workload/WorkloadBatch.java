package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.FieldProblem;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Several workloads deployed together: all of them, or none when one is refused. */
@Serdeable
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, description = "Several workloads deployed together, all or none; staged ones with instantlyApply are applied together")
public record WorkloadBatch(
        @NotNull @Size(min = 1, max = MAX_BATCH, message = "must list from 1 to " + MAX_BATCH + " workloads")
        List<@Valid @NotNull WorkloadDeployment> workloads) implements DeployWorkloadsRequest {

    static final int MAX_BATCH = 50;

    /** Names given twice, nodes listed twice, reserved environment names, each under {@code workloads[i].}. */
    @Override
    public List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < workloads.size(); i++) {
            String path = "workloads[" + i + "].";
            WorkloadDeployment w = workloads.get(i);
            if (!names.add(w.name())) {
                problems.add(new FieldProblem(path + "name", "another workload of this request is named " + w.name()));
            }
            problems.addAll(w.problems(path));
        }
        return problems;
    }
}
