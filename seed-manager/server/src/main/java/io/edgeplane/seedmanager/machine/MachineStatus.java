package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * What the reconciler last observed of a device, stored as JSON beside it and shown by the API.
 *
 * @param lastHeartbeat      renewal time of the node's Lease (the kubelet's heartbeat)
 * @param servingCertificate Issued, Pending, or why a serving CSR was refused
 * @param message            the reason of the last failure, if any
 * @param tunnel             the device's tunnel as its agent reports it; null while nothing is known
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineStatus(@Nullable String nodeName,
                            @Nullable String kubeletVersion,
                            List<String> addresses,
                            @Nullable Instant lastHeartbeat,
                            @Nullable String servingCertificate,
                            @Nullable String message,
                            @Nullable MachineTunnel tunnel) {

    public static MachineStatus empty() {
        return new MachineStatus(null, null, List.of(), null, null, null, null);
    }

    public MachineStatus withMessage(@Nullable String reason) {
        return new MachineStatus(nodeName, kubeletVersion, addresses, lastHeartbeat, servingCertificate, reason, tunnel);
    }

    public MachineStatus withTunnel(@Nullable MachineTunnel state) {
        return new MachineStatus(nodeName, kubeletVersion, addresses, lastHeartbeat, servingCertificate, message, state);
    }
}
