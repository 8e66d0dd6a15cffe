package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** One line of an SSH delivery's output; {@code seq} orders lines and lets a reader continue where it stopped. */
@Serdeable
@MappedEntity("machine_provisioning_logs")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProvisioningLogLine(@Id @GeneratedValue Long seq, @JsonIgnore String machineDeploymentId, long attempt, String line, Instant at) {
}
