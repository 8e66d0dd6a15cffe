package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A MachineDeployment as the API shows it; the SSH credential never leaves the database. {@code podCidr} is the device's
 * own part of its cluster's pod range (null only for a device registered before ranges existed, until its next reconcile).
 * {@code conditions} are its onboarding check's, {@code Onboarded} among them gating new workloads; {@code onboardingRequest}
 * counts the checks asked for, {@code onboardedRequest} is the one the device passed (null while none).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MachineDeploymentView(String name, String cluster, String os, String arch, int replicas,
                                    Map<String, String> labels, List<TaintView> taints, @Schema(type = "object") @Nullable SshView ssh,
                                    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.244.3.0/24",
                                            description = "the device's own /24 of the cluster's podCidr, its pods' addresses")
                                    @Nullable String podCidr,
                                    MachinePhase phase, @Nullable String nodeName, @Nullable String kubeletVersion,
                                    List<String> addresses, @Nullable Instant lastHeartbeat,
                                    @Nullable String servingCertificate, @Nullable String message,
                                    @Schema(type = "object") @Nullable MachineLink tunnel,
                                    @Schema(type = "object") @Nullable MachineLink podNetwork,
                                    long onboardingRequest,
                                    @Nullable Long onboardedRequest,
                                    List<MachineCondition> conditions,
                                    long generation, long observedGeneration, Instant createdAt) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TaintView(String key, String value, String effect) {
    }

    /** Where and how to reach the device, without its credential (only its kind). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SshView(String host, int port, String user, @Nullable String hostKeyFingerprint, boolean knownHosts,
                          String credential) {
    }
}
