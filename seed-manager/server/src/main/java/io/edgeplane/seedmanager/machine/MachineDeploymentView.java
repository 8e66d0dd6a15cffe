package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A MachineDeployment as the API shows it; the SSH credential never leaves the database. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MachineDeploymentView(String name, String cluster, String os, String arch, int replicas,
                                    Map<String, String> labels, List<TaintView> taints, @Schema(type = "object") @Nullable SshView ssh,
                                    MachinePhase phase, @Nullable String nodeName, @Nullable String kubeletVersion,
                                    List<String> addresses, @Nullable Instant lastHeartbeat,
                                    @Nullable String servingCertificate, @Nullable String message, @Nullable MachineTunnel tunnel,
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
