package io.edgeplane.seedmanager.cluster.controlplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * How fast a tenant cluster gives up on a silent node. Unset values keep the Kubernetes defaults
 * (grace period 50 s, eviction after 300 s), and their flags are left off the command lines.
 *
 * @param gracePeriodSeconds how long a node may be silent before it is marked NotReady/unreachable
 *                           (controller-manager {@code --node-monitor-grace-period})
 * @param evictionSeconds    how long pods without their own NoExecute tolerations stay on such a node
 *                           (apiserver {@code --default-not-ready-toleration-seconds} and
 *                           {@code --default-unreachable-toleration-seconds}); Edgeplane workloads
 *                           tolerate both taints without a limit, so this only affects other pods
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeHealth(@Nullable Integer gracePeriodSeconds, @Nullable Integer evictionSeconds) {
    public static final int MIN_GRACE_PERIOD_SECONDS = 10;
    public static final int MAX_GRACE_PERIOD_SECONDS = 600;
    public static final int MIN_EVICTION_SECONDS = 0;
    public static final int MAX_EVICTION_SECONDS = 86_400;
    /** Both unset: the Kubernetes defaults. */
    public static final NodeHealth DEFAULTS = new NodeHealth(null, null);

    public NodeHealth {
        if (gracePeriodSeconds != null
                && (gracePeriodSeconds < MIN_GRACE_PERIOD_SECONDS || gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS)) {
            throw new IllegalArgumentException("gracePeriodSeconds must be from " + MIN_GRACE_PERIOD_SECONDS + " to "
                    + MAX_GRACE_PERIOD_SECONDS + ", got " + gracePeriodSeconds);
        }
        if (evictionSeconds != null && (evictionSeconds < MIN_EVICTION_SECONDS || evictionSeconds > MAX_EVICTION_SECONDS)) {
            throw new IllegalArgumentException("evictionSeconds must be from " + MIN_EVICTION_SECONDS + " to "
                    + MAX_EVICTION_SECONDS + ", got " + evictionSeconds);
        }
    }

    public boolean isDefault() {
        return gracePeriodSeconds == null && evictionSeconds == null;
    }
}
