package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.UpstreamException;
import io.edgeplane.seedmanager.app.ImageReference;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterService;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;
import io.edgeplane.seedmanager.cluster.controlplane.pki.StoredPki;
import io.edgeplane.seedmanager.datacenter.Datacenter;
import io.edgeplane.seedmanager.datacenter.NodeSettings;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.edgeplane.seedmanager.machine.MachineDeployment;
import io.edgeplane.seedmanager.machine.MachineDeploymentRepository;
import io.edgeplane.seedmanager.workload.Workload;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Exports a workload's live version as an offline bundle for one of its devices. Only the admin
 * and project owners may: a bundle runs code on a device, so it is a write, not a read. The images
 * are fetched from their registries (HTTPS verified; plain HTTP only for the datacenter's
 * insecureRegistries) for the device's architecture, and the bundle is signed with the cluster CA's
 * key. Everything is written to a private temporary directory, which {@link Bundle#close()} removes.
 */
@Singleton
public class WorkloadBundles {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadBundles.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration BLOB_TIMEOUT = Duration.ofMinutes(30);

    private final ClusterService clusters;
    private final BundleWorkloads workloads;
    private final MachineDeploymentRepository machines;
    private final SeedRegistry seed;
    private final MasterKey masterKey;
    private final ObjectMapper json;

    public WorkloadBundles(ClusterService clusters, BundleWorkloads workloads, MachineDeploymentRepository machines, SeedRegistry seed,
                           MasterKey masterKey, ObjectMapper json) {
        this.clusters = clusters;
        this.workloads = workloads;
        this.machines = machines;
        this.seed = seed;
        this.masterKey = masterKey;
        this.json = json;
    }

    /** A finished bundle file; closing it deletes it. */
    public record Bundle(Path file, String fileName, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            deleteTree(dir);
        }
    }

    public Bundle export(Caller caller, String project, String clusterName, String name, String requestedNode) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        Workload workload = workloads.find(cluster.id(), name)
                .orElseThrow(() -> new NotFoundException("workload", project + "/" + clusterName + "/" + name));
        if (workload.deleteRequested()) {
            throw new ConflictException("workload " + name + " is being deleted");
        }
        if (workload.liveSpec() == null) {
            throw new ConflictException("workload " + name + " has no live version (only a staged one); apply or deploy it before exporting a bundle");
        }
        WorkloadSpec spec = read(workload.liveSpec(), WorkloadSpec.class);
        String node = node(name, spec, requestedNode);
        MachineDeployment machine = machines.findByClusterIdAndName(cluster.id(), node)
                .orElseThrow(() -> new ConflictException("device " + node + " of workload " + name + " is no machine deployment of cluster "
                        + project + "/" + clusterName + " any more"));
        if (cluster.pki() == null) {
            throw new ConflictException("cluster " + project + "/" + clusterName + " has no keys yet; try again once it is provisioned");
        }
        ClusterPki pki = ClusterPki.fromStored(read(cluster.pki(), StoredPki.class), masterKey, cluster.id());
        Optional<NodeSettings> settings = seed.current().datacenter(cluster.datacenter()).map(Datacenter::node);
        List<String> insecure = settings.map(NodeSettings::insecureRegistries).orElse(List.of());
        RegistryReader reader = new RegistryReader(insecure, CONNECT_TIMEOUT, REQUEST_TIMEOUT, BLOB_TIMEOUT);
        Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path dir = createDir();
        try {
            List<BundleWriter.Image> images = new ArrayList<>();
            for (String image : bundledImages(spec, settings.map(NodeSettings::pauseImage).orElse(null))) {
                ImageReference reference = parse(image);
                long started = System.nanoTime();
                PulledImage pulled = reader.pull(reference, machine.arch(), dir.resolve("blobs"));
                Path layout = dir.resolve("image-" + (images.size() + 1) + ".tar");
                ImageLayoutTar.write(pulled, layout, created);
                images.add(new BundleWriter.Image(reference, pulled.manifest().digest(), layout));
                LOG.info("cluster={}/{} workload={} node={} image={} digest={} fetched for the bundle in {} ms", project, clusterName, name,
                        node, reference, pulled.manifest().digest(), (System.nanoTime() - started) / 1_000_000);
            }
            BundleWriter.Contents contents = new BundleWriter.Contents(project + "/" + clusterName, pki.certificate("ca"),
                    PemEncoding.parsePrivateKey(pki.privateKeyPem("ca")), name, node, spec, created, images);
            Path file = dir.resolve("bundle.tar");
            try (OutputStream out = Files.newOutputStream(file)) {
                BundleWriter.write(contents, out);
            }
            deleteTree(dir.resolve("blobs"));
            for (BundleWriter.Image image : images) {
                Files.deleteIfExists(image.layoutTar());
            }
            return new Bundle(file, BundleWriter.fileName(name, clusterName, node), dir);
        } catch (RegistryException e) {
            deleteTree(dir);
            throw new UpstreamException(e.getMessage());
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot write the bundle of workload " + name, e);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * The workload's images plus the datacenter's pod sandbox image: a device that never ran a pod
     * does not have it, and without it the kubelet cannot start the static pod offline.
     */
    static List<String> bundledImages(WorkloadSpec spec, String pauseImage) {
        List<String> images = new ArrayList<>(spec.images());
        if (pauseImage != null && !images.contains(pauseImage)) {
            images.add(pauseImage);
        }
        return images;
    }

    /** The requested device, or the only one; 422 naming {@code node} otherwise. */
    static String node(String workload, WorkloadSpec spec, String requested) {
        List<String> nodes = spec.nodes();
        if (requested == null || requested.isBlank()) {
            if (nodes.size() == 1) {
                return nodes.get(0);
            }
            throw InvalidInputException.of("node", "workload " + workload + " runs on " + nodes.size()
                    + " nodes " + nodes + "; name the device the bundle is for");
        }
        if (!nodes.contains(requested)) {
            throw InvalidInputException.of("node", requested + " is not a node of workload " + workload
                    + "; its nodes are " + nodes);
        }
        return requested;
    }

    private static ImageReference parse(String image) {
        try {
            return ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new ConflictException(e.getMessage());
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDir() {
        try {
            return Files.createTempDirectory("edgeplane-bundle-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the bundle", e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("bundle={} cannot delete {}: {}", dir, p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("bundle={} cannot delete: {}", dir, e.getMessage());
        }
    }
}
