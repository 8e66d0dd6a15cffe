package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.binaries.BinariesDirectory;
import io.edgeplane.seedmanager.binaries.Platform;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPkiFactory;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPkiRequest;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.edgeplane.seedmanager.cluster.controlplane.pki.StoredPki;
import io.edgeplane.seedmanager.datacenter.Datacenter;
import io.edgeplane.seedmanager.datacenter.Seed;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a cluster's control plane is: its PKI (created once and stored with the CA keys and
 * encryption keys sealed, leaves renewed well before expiry), its ports, and its spec from the seed. Only the cluster
 * reconciler creates and renews ({@link #ensure}); everyone else reads ({@link #resolve}).
 */
@Singleton
public class ClusterTargets {
    static final String SERVICE_CIDR = "10.96.0.0/16";
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final ClusterRepository clusters;
    private final ClusterPorts ports;
    private final SeedRegistry seed;
    private final BinariesDirectory binaries;
    private final MasterKey masterKey;
    private final ClusterPkiFactory pkiFactory;
    private final ObjectMapper json;
    private final ControlPlaneRuntime runtime;

    public ClusterTargets(ClusterRepository clusters, ClusterPorts ports, SeedRegistry seed, BinariesDirectory binaries,
                          MasterKey masterKey, ClusterPkiFactory pkiFactory, ObjectMapper json, ControlPlaneRuntime runtime) {
        this.runtime = runtime;
        this.clusters = clusters;
        this.ports = ports;
        this.seed = seed;
        this.binaries = binaries;
        this.masterKey = masterKey;
        this.pkiFactory = pkiFactory;
        this.json = json;
    }

    /**
     * The cluster reconciler's steps pki and ports, under the cluster's lease: claims the ports
     * the runtime needs, creates the PKI or renews leaves due soon (and gives a cluster created before
     * encryption at rest its first key), stores both, and returns the target.
     */
    public ControlPlaneTarget ensure(Cluster cluster) {
        Seed active = seed.current();
        Datacenter datacenter = datacenter(active, cluster);
        Map<String, Integer> held = ports.ensure(cluster.id(), runtime.hostNeeds().ports());
        ControlPlaneSpec spec = spec(cluster, active, datacenter, held);
        ClusterPkiRequest request = pkiRequest(cluster, active, spec);
        ClusterPki pki;
        if (cluster.pki() == null) {
            pki = pkiFactory.create(request);
            store(cluster, pki);
        } else {
            ClusterPki stored = stored(cluster);
            pki = stored.renewLeavesDueBefore(Instant.now().plus(RENEW_BEFORE), request).withEncryptionKeysIfMissing();
            if (pki != stored) {
                store(cluster, pki);
            }
        }
        return new ControlPlaneTarget(cluster.id(), spec, pki, held, binaries.dir(Platform.ofSeed(cluster.version())));
    }

    /**
     * The cluster's control plane as the cluster reconciler stored it; reads only, for work beside
     * the control plane (kubeconfigs, devices, workloads). Fails while it has no PKI or ports yet.
     */
    public ControlPlaneTarget resolve(Cluster cluster) {
        if (cluster.pki() == null) {
            throw new IllegalStateException("cluster " + cluster.project() + "/" + cluster.name() + " has no PKI yet");
        }
        Seed active = seed.current();
        Datacenter datacenter = datacenter(active, cluster);
        Map<String, Integer> held = ports.held(cluster.id());
        if (!held.keySet().containsAll(runtime.hostNeeds().ports())) {
            throw new IllegalStateException("cluster " + cluster.project() + "/" + cluster.name() + " has no ports yet");
        }
        ControlPlaneSpec spec = spec(cluster, active, datacenter, held);
        return new ControlPlaneTarget(cluster.id(), spec, stored(cluster), held, binaries.dir(Platform.ofSeed(cluster.version())));
    }

    /** A step of an encryption-key rotation, under the cluster's lease: the PKI with other encryption keys. */
    public void storeEncryptionKeys(Cluster cluster, ClusterPki pki) {
        store(cluster, pki);
    }

    private static Datacenter datacenter(Seed active, Cluster cluster) {
        return active.datacenter(cluster.datacenter())
                .orElseThrow(() -> new IllegalStateException("datacenter " + cluster.datacenter() + " is no longer in the seed"));
    }

    private ControlPlaneSpec spec(Cluster cluster, Seed active, Datacenter datacenter, Map<String, Integer> held) {
        ControlPlaneRuntime.Placement placement = runtime.placement(cluster.version(), held);
        return ControlPlaneSpecs.of(cluster, active, datacenter, placement.apiserverPort(), SERVICE_CIDR, placement.images());
    }

    private ClusterPkiRequest pkiRequest(Cluster cluster, Seed active, ControlPlaneSpec spec) {
        ControlPlaneRuntime.CertificateNames names = runtime.certificateNames(spec);
        List<String> apiserverSans = new ArrayList<>(ClusterPkiRequest.defaultApiserverSans(active.externalAddress(), SERVICE_CIDR));
        apiserverSans.addAll(names.apiserver());
        return new ClusterPkiRequest(cluster.id(), apiserverSans, names.etcd(), CA_LIFETIME, LEAF_LIFETIME);
    }

    private ClusterPki stored(Cluster cluster) {
        return ClusterPki.fromStored(read(cluster.pki()), masterKey, cluster.id());
    }

    private void store(Cluster cluster, ClusterPki pki) {
        try {
            clusters.storePki(cluster.id(), json.writeValueAsString(pki.toStored(masterKey)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoredPki read(String stored) {
        try {
            return json.readValue(stored, StoredPki.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
