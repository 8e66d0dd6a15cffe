package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Admission is checked once per connection; this re-checks open sessions against the database, so
 * that a removed device's connection (its certificate still valid) does not outlive its machine,
 * and a device whose pod range changed dials again and is routed by the new one.
 */
@Singleton
class PodNetworkSweep {
    private static final Logger LOG = LoggerFactory.getLogger(PodNetworkSweep.class);

    private final PodNetworkSessions sessions;
    private final RelayMachines machines;
    private final Clock clock;

    @Inject
    PodNetworkSweep(PodNetworkSessions sessions, RelayMachines machines) {
        this(sessions, machines, Clock.systemUTC());
    }

    PodNetworkSweep(PodNetworkSessions sessions, RelayMachines machines, Clock clock) {
        this.sessions = sessions;
        this.machines = machines;
        this.clock = clock;
    }

    /** Closes every session whose machine is gone, being deleted, has another pod range, or whose certificate expired. */
    void sweep() {
        Instant now = clock.instant();
        for (String clusterId : sessions.clusterIds()) {
            List<RelaySession> open = sessions.of(clusterId);
            if (open.isEmpty()) {
                continue;
            }
            Map<String, RelayMachine> byId;
            try {
                byId = machines.ofCluster(clusterId).stream().collect(Collectors.toMap(RelayMachine::id, Function.identity()));
            } catch (RuntimeException e) {
                LOG.warn("pod-network cluster-id={} cannot check its {} sessions; trying again at the next sweep", clusterId, open.size(), e);
                continue;
            }
            for (RelaySession session : open) {
                staleness(session.device(), byId.get(session.machineId()), now).ifPresent(session::close);
            }
        }
    }

    /** Why a session of {@code device} must end, given its machine as stored now (null: gone); empty when it may stay. */
    static Optional<String> staleness(Admitted device, RelayMachine machine, Instant now) {
        if (machine == null) {
            return Optional.of("its MachineDeployment is gone");
        }
        if (machine.clusterDeleteRequested()) {
            return Optional.of("its cluster is being deleted");
        }
        if (machine.deleteRequested()) {
            return Optional.of("its MachineDeployment is being deleted");
        }
        if (machine.podCidr() == null || !Ipv4Cidr.parse(machine.podCidr()).equals(device.podRange())) {
            return Optional.of("its pod range changed from " + device.podRange() + " to " + machine.podCidr());
        }
        if (!now.isBefore(device.certificateExpiry())) {
            return Optional.of("its client certificate expired at " + device.certificateExpiry());
        }
        return Optional.empty();
    }
}
