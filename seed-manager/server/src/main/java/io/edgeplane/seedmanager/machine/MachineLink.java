package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One of the device's links that dial out to the seed, as its device agent last reported it: the tunnel (through which
 * the apiserver reaches its kubelet: logs, exec, port-forward) or the pod network (through which its pods reach other
 * devices' pods).
 *
 * @param state  {@code connected} or {@code disconnected}
 * @param since  when it last changed state, as the device saw it
 * @param reason why it is disconnected, in words for the operator
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineLink(String state, @Nullable Instant since, @Nullable String reason) {
    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";

    public boolean connected() {
        return CONNECTED.equals(state);
    }
}
