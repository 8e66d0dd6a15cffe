package io.edgeplane.seedmanager.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a device is passed next though nothing about it changes. Changes wake it at once (node,
 * serving CSRs, device report: the watches, which also notice a report turning stale); what
 * changes with time alone comes due at its own time: the tunnel token falling due for renewal, the
 * agent's report turning stale in a cluster whose reports are not watched (its links then show
 * disconnected). Anything else waits for the resync, which also refreshes the heartbeat shown.
 */
final class MachineSchedule {
    /** The longest a device goes without a pass; its status' heartbeat lags the kubelet's by up to this. */
    static final Duration RESYNC = Duration.ofSeconds(60);

    private MachineSchedule() {
    }

    /** The earliest of the resync and the given due times that are still ahead. */
    static Instant next(Instant now, List<Optional<Instant>> due) {
        Instant resync = now.plus(RESYNC);
        return due.stream().flatMap(Optional::stream).filter(at -> at.isAfter(now) && at.isBefore(resync)).min(Instant::compareTo)
                .orElse(resync);
    }
}
