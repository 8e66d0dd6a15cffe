package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One KWOK controller (v0.8) playing the kubelet of every node that carries its selector, against one
 * kube-apiserver: it makes them Ready, renews their Leases in {@code kube-node-lease} and posts their
 * conditions again now and then. Nodes are created by whoever registers them (the benchmark, a test), as
 * a kubelet would register its own; kwok never creates or deletes nodes. A pod bound to one of these
 * nodes runs at once (every container running and ready; no image is pulled), and a deleted one goes
 * at once, as its kubelet would confirm.
 *
 * <p>kwok's HTTP server (healthz, logs/exec stand-ins) runs only when asked for; it is asked for on a free
 * loopback port, as the readiness signal of {@link #start}, so that several controllers run side by side.
 * kwok's home directory ({@code KWOK_WORKDIR}, by default {@code ~/.kwok}, whose {@code kwok.yaml} it
 * would load first) is this instance's directory, so that nothing from the user's home changes the run.
 */
public final class Kwok implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kwok.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String STAGES = "io/edgeplane/testbed/kwok-stages.yaml";

    private final String name;
    private final Settings settings;
    private final ManagedProcess process;

    private Kwok(String name, Settings settings, ManagedProcess process) {
        this.name = name;
        this.settings = settings;
        this.process = process;
    }

    /**
     * How a controller plays its nodes.
     *
     * <p>The nodes it manages are those whose annotations match {@code nodeAnnotationSelector} (a label
     * selector over annotations; kwok v0.8 has no default and manages nothing without one or
     * {@code --manage-all-nodes}). Controllers against the same apiserver need disjoint selectors.
     *
     * <p>{@code leaseDuration} is what each node's Lease says; kwok renews it every quarter of that (with 4 %
     * jitter), as the kubelet does with its 40 s lease (renewed every 10 s). kwok v0.8's own default is 0:
     * no Leases at all (kwokctl passes 40 s). A node's Lease held by a controller that died is taken over
     * only once it expired, so a restarted controller plays its nodes again after at most one lease
     * duration. The tenant controller-manager counts a node as unreachable when neither its Lease nor its
     * status changed within {@code --node-monitor-grace-period} (50 s in Kubernetes 1.36): a renewal
     * interval above that needs a longer grace period there.
     *
     * <p>{@code statusInterval} is how often a Ready node's conditions get a new {@code lastHeartbeatTime}
     * (plus up to 10 % jitter): the kubelet reports every 5 min when nothing changed
     * ({@code nodeStatusReportFrequency}); kwokctl's stages use 20 s, or 10 min when leases are on.
     */
    public record Settings(String nodeAnnotationSelector, Duration leaseDuration, Duration statusInterval) {
        /** The annotation kwok's own tools mark simulated nodes with. */
        public static final String FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node";

        public Settings {
            Objects.requireNonNull(nodeAnnotationSelector, "nodeAnnotationSelector");
            if (nodeAnnotationSelector.isBlank()) {
                throw new IllegalArgumentException("a kwok controller needs a node annotation selector");
            }
            if (leaseDuration.toSeconds() < 4 || leaseDuration.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("lease duration must be whole seconds, at least 4 s: " + leaseDuration);
            }
            if (statusInterval.toMillis() < 1000) {
                throw new IllegalArgumentException("status interval must be at least 1 s: " + statusInterval);
            }
        }

        /**
         * For a fleet: nodes annotated {@code kwok.x-k8s.io/node=fake}, Leases of 160 s renewed every 40 s (a
         * quarter of the kubelet's rate, and still inside the default 50 s grace period, so that a tenant
         * control plane as Edgeplane builds it keeps them Ready), conditions posted every 5 min like an idle
         * kubelet. Renewing every 60 s or more ({@code withLeaseDuration(Duration.ofSeconds(240))}) needs the
         * cluster's node-monitor grace period raised above it.
         */
        public static Settings fleet() {
            return new Settings(FAKE_NODE_ANNOTATION + "=fake", Duration.ofSeconds(160), Duration.ofMinutes(5));
        }

        public Settings withNodeAnnotationSelector(String selector) {
            return new Settings(selector, leaseDuration, statusInterval);
        }

        public Settings withLeaseDuration(Duration duration) {
            return new Settings(nodeAnnotationSelector, duration, statusInterval);
        }

        public Settings withStatusInterval(Duration interval) {
            return new Settings(nodeAnnotationSelector, leaseDuration, interval);
        }

        /** How often kwok renews each Lease: a quarter of its duration, as kwok (and the kubelet) computes it. */
        public Duration leaseRenewInterval() {
            return leaseDuration.dividedBy(4);
        }
    }

    /**
     * Starts a controller for the apiserver of {@code kubeconfig}; its stages, home and {@code kwok.log} go to
     * {@code dir}. Returns once it serves its health check, i.e. once it watches nodes.
     */
    public static Kwok start(String name, KwokBinary binary, Path kubeconfig, Path dir, Settings settings) {
        Path stages = dir.resolve("kwok-stages.yaml");
        ApiServer.write(stages, stages(settings));
        int port = Ports.free();
        ManagedProcess process = ManagedProcess.start("kwok " + name, List.of(binary.path().toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--config=" + stages,
                        "--manage-nodes-with-annotation-selector=" + settings.nodeAnnotationSelector(),
                        "--node-lease-duration-seconds=" + settings.leaseDuration().toSeconds(),
                        "--server-address=127.0.0.1:" + port),
                dir.resolve("kwok.log"), Map.of("KWOK_WORKDIR", dir.toString()));
        Kwok kwok = new Kwok(name, settings, process);
        kwok.awaitHealthy("http://127.0.0.1:" + port + "/healthz");
        LOG.info("kwok={} ready selector={} lease={}s renew={}s status={}s log={}", name, settings.nodeAnnotationSelector(),
                settings.leaseDuration().toSeconds(), settings.leaseRenewInterval().toSeconds(),
                settings.statusInterval().toSeconds(), process.log());
        return kwok;
    }

    public String name() {
        return name;
    }

    public Settings settings() {
        return settings;
    }

    public ManagedProcess process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the controller: its nodes' Leases are no longer renewed and expire after one lease duration. */
    @Override
    public void close() {
        process.stop();
    }

    private void awaitHealthy(String url) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kwok=" + name + " exited during start:\n" + process.logTail(30));
            }
            try {
                HttpProbe.get(url, Duration.ofSeconds(1));
                return;
            } catch (IllegalStateException notYet) {
                last = notYet.getMessage();
            }
        }
        process.stop();
        throw new IllegalStateException("kwok=" + name + " not healthy after " + READY_TIMEOUT.toSeconds() + " s (" + last + "):\n"
                + process.logTail(30));
    }

    static String stages(Settings settings) {
        long interval = settings.statusInterval().toMillis();
        try (InputStream in = Kwok.class.getClassLoader().getResourceAsStream(STAGES)) {
            if (in == null) {
                throw new IllegalStateException(STAGES + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@STATUS_INTERVAL_MS@", Long.toString(interval))
                    .replace("@STATUS_JITTER_MS@", Long.toString(interval + interval / 10));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
