package io.edgeplane.seedmanager.workload;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The body of {@code POST .../workloads}: one workload, or {@code {"workloads":[...]}} deployed
 * together. Which one is told by the fields present.
 */
@Serdeable
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({@JsonSubTypes.Type(WorkloadDeployment.class), @JsonSubTypes.Type(WorkloadBatch.class)})
@Schema(description = "One workload, or several deployed together", oneOf = {WorkloadDeployment.class, WorkloadBatch.class})
public sealed interface DeployWorkloadsRequest permits WorkloadDeployment, WorkloadBatch {
    /** What Bean Validation cannot say of the body alone (names or nodes given twice, reserved environment names), by field path. */
    List<FieldProblem> problems();
}
