package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * What the reconciler last observed of a device, stored as JSON beside it and shown by the API.
 *
 * @param lastHeartbeat      renewal time of the node's Lease (the kubelet's heartbeat) as of the device's last pass: an idle
 *                           device is passed once per {@link MachineSchedule#RESYNC}, so this lags by up to that long
 * @param servingCertificate Issued, Pending, or why a serving CSR was refused
 * @param message            the reason of the last failure, if any
 * @param tunnel             the device's tunnel as its agent reports it; null while nothing is known
 * @param podNetwork         the device's link to the pod network as its agent reports it; null while nothing is known
 *                           or the seed runs no pod network relay
 * @param conditions         the onboarding check's conditions ({@link OnboardingConditions}); null in a status stored before they existed
 * @param onboarded          the onboarding request the device passed, which gates placing new workloads on it; null while none
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineStatus(@Nullable String nodeName,
                            @Nullable String kubeletVersion,
                            List<String> addresses,
                            @Nullable Instant lastHeartbeat,
                            @Nullable String servingCertificate,
                            @Nullable String message,
                            @Nullable MachineLink tunnel,
                            @Nullable MachineLink podNetwork,
                            @Nullable List<MachineCondition> conditions,
                            @Nullable Long onboarded) {

    public static MachineStatus empty() {
        return new MachineStatus(null, null, List.of(), null, null, null, null, null, null, null);
    }

    /** The node as observed now, with what the seed keeps of the device beside it. */
    MachineStatus withNode(@Nullable String node, @Nullable String kubelet, List<String> nodeAddresses, @Nullable Instant heartbeat,
                           @Nullable String serving, @Nullable String reason) {
        return new MachineStatus(node, kubelet, nodeAddresses, heartbeat, serving, reason, tunnel, podNetwork, conditions, onboarded);
    }

    public MachineStatus withMessage(@Nullable String reason) {
        return new MachineStatus(nodeName, kubeletVersion, addresses, lastHeartbeat, servingCertificate, reason, tunnel, podNetwork,
                conditions, onboarded);
    }

    public MachineStatus withTunnel(@Nullable MachineLink state) {
        return new MachineStatus(nodeName, kubeletVersion, addresses, lastHeartbeat, servingCertificate, message, state, podNetwork,
                conditions, onboarded);
    }

    public MachineStatus withPodNetwork(@Nullable MachineLink state) {
        return new MachineStatus(nodeName, kubeletVersion, addresses, lastHeartbeat, servingCertificate, message, tunnel, state,
                conditions, onboarded);
    }

    public MachineStatus withOnboarding(List<MachineCondition> checked, @Nullable Long passedRequest) {
        return new MachineStatus(nodeName, kubeletVersion, addresses, lastHeartbeat, servingCertificate, message, tunnel, podNetwork,
                checked, passedRequest);
    }

    /** The conditions, none in a status stored before they existed. */
    public List<MachineCondition> conditionsOrNone() {
        return conditions == null ? List.of() : conditions;
    }
}
