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
 * Resolves what a cluster's control plane should be: its PKI (created once and stored with the
 * CA keys sealed, leaves renewed well before expiry), its ports, and its spec from the seed.
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

    public ControlPlaneTarget resolve(Cluster cluster) {
        Seed active = seed.current();
        Datacenter datacenter = active.datacenter(cluster.datacenter())
                .orElseThrow(() -> new IllegalStateException("datacenter " + cluster.datacenter() + " is no longer in the seed"));
        Map<String, Integer> held = ports.ensure(cluster.id(), runtime.hostPorts());
        ControlPlaneSpec spec = ControlPlaneSpecs.of(cluster, active, datacenter, runtime.apiserverPort(held), SERVICE_CIDR,
                runtime.images(cluster.version()));
        List<String> apiserverSans = new ArrayList<>(ClusterPkiRequest.defaultApiserverSans(active.externalAddress(), SERVICE_CIDR));
        apiserverSans.addAll(runtime.extraApiserverSans(spec));
        ClusterPkiRequest request = new ClusterPkiRequest(cluster.id(), apiserverSans, runtime.etcdSans(spec), CA_LIFETIME, LEAF_LIFETIME);
        ClusterPki pki = pki(cluster, request);
        return new ControlPlaneTarget(cluster.id(), spec, pki, held, binaries.dir(Platform.ofSeed(cluster.version())));
    }

    private ClusterPki pki(Cluster cluster, ClusterPkiRequest request) {
        if (cluster.pki() == null) {
            ClusterPki created = pkiFactory.create(request);
            store(cluster, created);
            return created;
        }
        ClusterPki stored = ClusterPki.fromStored(read(cluster.pki()), masterKey, cluster.id());
        ClusterPki renewed = stored.renewLeavesDueBefore(Instant.now().plus(RENEW_BEFORE), request);
        if (renewed != stored) {
            store(cluster, renewed);
        }
        return renewed;
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
