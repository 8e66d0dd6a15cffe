package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import io.edgeplane.seedmanager.cluster.PodCidrRules;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hands each device the lowest free /24 of its cluster's pod range, once: the database's unique key
 * decides between replicas and threads that pick the same one (the loser picks again), and the
 * range stays the device's until its row is deleted.
 */
@Singleton
public class PodRanges {
    private static final Logger LOG = LoggerFactory.getLogger(PodRanges.class);
    // Each lost race means another device got a range, so this bounds the devices created at the same moment, not the cluster.
    private static final int ATTEMPTS = 100;

    private final MachinePodCidrRepository ranges;

    public PodRanges(MachinePodCidrRepository ranges) {
        this.ranges = ranges;
    }

    /** The device's pod range, if it has one yet; reads only. */
    public Optional<String> of(MachineDeployment machine) {
        return ranges.findById(machine.id()).map(MachinePodCidr::cidr);
    }

    /** The pod ranges of a cluster's devices, by MachineDeployment id; reads only. */
    public Map<String, String> ofCluster(String clusterId) {
        return ranges.findByClusterId(clusterId).stream()
                .collect(Collectors.toMap(MachinePodCidr::machineDeploymentId, MachinePodCidr::cidr));
    }

    /**
     * The device's pod range, after claiming the lowest free one if it has none (a device registered
     * before ranges existed gets its range here).
     *
     * @throws ConflictException when every /24 of the cluster's range is taken
     */
    @Transactional
    public String ensure(MachineDeployment machine, Cluster cluster) {
        Optional<String> had = of(machine);   // every reconcile asks: one row by key, not the cluster's
        if (had.isPresent()) {
            return had.get();
        }
        Ipv4Cidr range = Ipv4Cidr.parse(cluster.podCidr());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // One read answers both "has it one?" and "which are free?": read apart, another pass could give this device
            // the last free range in between, and the cluster would look full to a device that has a range.
            List<MachinePodCidr> taken = ranges.findByClusterId(cluster.id());
            Optional<String> held = taken.stream().filter(t -> t.machineDeploymentId().equals(machine.id())).map(MachinePodCidr::cidr)
                    .findFirst();
            if (held.isPresent()) {
                return held.get();
            }
            Ipv4Cidr candidate = lowestFree(range, taken).orElseThrow(() -> full(cluster, range, taken.size()));
            if (ranges.claim(machine.id(), cluster.id(), candidate.toString()) == 1) {
                LOG.info("machine={}/{}/{} podCidr={}", cluster.project(), cluster.name(), machine.name(), candidate);
                return candidate.toString();
            }
            LOG.debug("machine={}/{}/{} podCidr={} went to another device; picking again", cluster.project(), cluster.name(),
                    machine.name(), candidate);
        }
        throw new IllegalStateException("no pod range for machine " + machine.name() + " of " + cluster.ref() + " after "
                + ATTEMPTS + " attempts: other devices kept taking the free ones");
    }

    /** The first /24 of {@code range} no device holds. */
    static Optional<Ipv4Cidr> lowestFree(Ipv4Cidr range, List<MachinePodCidr> taken) {
        Set<Long> used = new HashSet<>();
        for (MachinePodCidr t : taken) {
            used.add(Ipv4Cidr.parse(t.cidr()).indexIn(range));
        }
        long count = range.subnetCount(PodCidrRules.DEVICE_PREFIX);
        for (long i = 0; i < count; i++) {
            if (!used.contains(i)) {
                return Optional.of(range.subnet(PodCidrRules.DEVICE_PREFIX, i));
            }
        }
        return Optional.empty();
    }

    private static ConflictException full(Cluster cluster, Ipv4Cidr range, int devices) {
        return new ConflictException("cluster " + cluster.project() + "/" + cluster.name() + " has no free pod range left: its podCidr "
                + range + " holds " + range.subnetCount(PodCidrRules.DEVICE_PREFIX) + " devices (a /" + PodCidrRules.DEVICE_PREFIX
                + " each) and all " + devices + " are taken; remove a device, or create a cluster with a wider podCidr");
    }
}
