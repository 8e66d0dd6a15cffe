package io.edgeplane.seedmanager.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler last observed, stored as JSON beside the cluster and shown by the API.
 *
 * @param endpoint           the apiserver URL devices and users reach
 * @param certificateExpiry  notAfter of each certificate, by PKI entry name
 * @param notReadySince      when the control plane last stopped converging (null while it is
 *                           ready): the clock for the Failed phase and the retry backoff
 * @param encryptionKeys     names of the keys Secrets in etcd are encrypted with, the writing key first (never material)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterStatus(List<ComponentCondition> conditions,
                            @Nullable String endpoint,
                            Map<String, Instant> certificateExpiry,
                            @Nullable String message,
                            @Nullable Instant notReadySince,
                            @Nullable List<String> encryptionKeys) {

    public static ClusterStatus empty() {
        return new ClusterStatus(List.of(), null, Map.of(), null, null, null);
    }

    /** The same observation with the failure clock restarted, e.g. because the desired state changed. */
    public ClusterStatus restartClock() {
        return new ClusterStatus(conditions, endpoint, certificateExpiry, message, null, encryptionKeys);
    }

    /** One component's health as the reconciler saw it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentCondition(String component, boolean ready, String reason, @Nullable String message, Instant since) {
    }
}
