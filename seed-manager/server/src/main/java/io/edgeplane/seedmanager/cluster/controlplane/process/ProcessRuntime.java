package io.edgeplane.seedmanager.cluster.controlplane.process;

import io.edgeplane.seedmanager.cluster.ApiServerProbe;
import io.edgeplane.seedmanager.cluster.ClusterStatus.ComponentCondition;
import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneId;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.LoadedEncryptionConfig;
import io.edgeplane.seedmanager.cluster.controlplane.PublishedApiServer;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelEndpoint;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ApiServerEndpoints;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ApiServerFlags;
import io.edgeplane.seedmanager.cluster.controlplane.flags.AuditPolicy;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ControllerManagerFlags;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EgressSelector;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EncryptionConfiguration;
import io.edgeplane.seedmanager.cluster.controlplane.flags.KonnectivityServerFlags;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EtcdEndpoints;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EtcdFlags;
import io.edgeplane.seedmanager.cluster.controlplane.flags.Kubeconfigs;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SchedulerFlags;
import io.edgeplane.seedmanager.cluster.controlplane.pki.AtomicFiles;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The embedded runtime: each cluster's etcd, kube-apiserver, konnectivity-server,
 * kube-controller-manager and kube-scheduler run as supervised child processes of the seed manager,
 * with their own directory ({@code <data dir>/clusters/<id>}) and ports. The apiserver and the
 * tunnel server's agent port listen on the seed's external address; everything the apiserver opens
 * towards devices goes through the tunnel.
 */
@Singleton
@Requires(property = "edgeplane.runtime", value = "process", defaultValue = "process")
public class ProcessRuntime implements ControlPlaneRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    static final List<String> COMPONENTS = List.of("etcd", "kube-apiserver", "konnectivity-server", "kube-controller-manager",
            "kube-scheduler");
    static final List<String> PORTS = List.of("apiserver", "etcd-client", "etcd-peer", "controller-manager", "scheduler",
            "tunnel", "tunnel-admin", "tunnel-health");
    /** sun_path of a Unix socket holds 107 bytes and a terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;
    private static final String ENCRYPTION_CONFIG = "encryption-config.yaml";

    private final ProcessSupervisor supervisor;
    private final Path clustersDir;
    private final Map<String, String> environment;

    /**
     * @param gcPercent Go's GOGC for the components: the idle heap of a small edge control plane is
     *                  tiny, so collecting more often trades a little CPU for much less memory
     */
    public ProcessRuntime(ProcessSupervisor supervisor, EdgeplaneConfig config,
                          @Value("${edgeplane.process-runtime.gogc:50}") int gcPercent) {
        this.supervisor = supervisor;
        this.clustersDir = config.dataDir().toAbsolutePath().resolve("clusters");
        this.environment = Map.of("GOGC", Integer.toString(gcPercent));
    }

    /** A port per component, and the prepared Kubernetes binaries of this host. */
    @Override
    public HostNeeds hostNeeds() {
        return new HostNeeds(PORTS, true);
    }

    /** The apiserver on the port held for it; no images, the components run from host binaries. */
    @Override
    public Placement placement(String version, Map<String, Integer> heldPorts) {
        return new Placement(heldPorts.get("apiserver"), Map.of());
    }

    /** Nothing beyond the defaults: every component is reached at the external address or on loopback. */
    @Override
    public CertificateNames certificateNames(ControlPlaneSpec spec) {
        return new CertificateNames(List.of(), List.of());
    }

    @Override
    public List<ComponentCondition> ensure(ControlPlaneTarget target) {
        Path dir = clustersDir.resolve(target.clusterId());
        ControlPlaneSpec spec = target.spec();
        List<ComponentCondition> conditions = new ArrayList<>();
        for (String component : COMPONENTS) {
            if (!Files.isExecutable(target.binariesDir().resolve(component))) {
                conditions.add(new ComponentCondition(component, false, "BinariesMissing",
                        "no " + component + " in " + target.binariesDir() + " (removed since it was prepared?)", Instant.now()));
            }
        }
        if (!conditions.isEmpty()) {
            return conditions;
        }
        CertificatePaths pki = new CertificatePaths(dir.resolve("pki").toString());
        target.pki().writeTo(dir.resolve("pki"));
        // The apiserver listens only on the external address when that is an IP, so the components
        // beside it dial that address; loopback only when it listens everywhere.
        String bind = bindAddress(spec.externalAddress());
        String local = "https://" + (bind.equals("0.0.0.0") ? "127.0.0.1" : hostInUrl(bind)) + ":" + spec.apiserverPort();
        writeIfChanged(Path.of(pki.controllerManagerKubeconfig()), kubeconfig(target.pki(), local, "controller-manager"));
        writeIfChanged(Path.of(pki.schedulerKubeconfig()), kubeconfig(target.pki(), local, "scheduler"));
        if (spec.auditLogging()) {
            writeIfChanged(dir.resolve("audit-policy.yaml"), AuditPolicy.yaml());
        }

        String etcdClient = "https://127.0.0.1:" + target.ports().get("etcd-client");
        List<String> etcd = command(target, "etcd", EtcdFlags.build(spec, pki, EtcdEndpoints.singleMember(target.clusterId(),
                dir.resolve("etcd").toString(), etcdClient, "https://127.0.0.1:" + target.ports().get("etcd-peer"), null)));
        String address = advertiseAddress(spec.externalAddress());
        String socket = tunnelSocket(dir);
        writeIfChanged(dir.resolve("egress-selector.yaml"), EgressSelector.yaml(socket));
        // 0600 like the keys in pki/: it holds the keys to every Secret in this cluster's etcd.
        writeIfChanged(dir.resolve(ENCRYPTION_CONFIG), EncryptionConfiguration.yaml(target.pki().encryptionKeys()));
        List<String> apiserver = command(target, "kube-apiserver", ApiServerFlags.build(spec, pki, new ApiServerEndpoints(
                bindAddress(spec.externalAddress()), spec.apiserverPort(), address, List.of(etcdClient),
                spec.auditLogging() ? dir.resolve("audit.log").toString() : null,
                spec.auditLogging() ? dir.resolve("audit-policy.yaml").toString() : null,
                dir.resolve("egress-selector.yaml").toString(), dir.resolve(ENCRYPTION_CONFIG).toString())));
        TunnelFiles.Paths tunnel = TunnelFiles.ensure(dir.resolve("tunnel"), target.pki(), spec.externalAddress(), local,
                Instant.now());
        List<String> tunnelServer = command(target, "konnectivity-server", KonnectivityServerFlags.build(target.clusterId(), socket,
                bindAddress(spec.externalAddress()), new KonnectivityServerFlags.Ports(target.ports().get("tunnel"),
                        target.ports().get("tunnel-admin"), target.ports().get("tunnel-health")),
                tunnel.certificate().toString(), tunnel.key().toString(), tunnel.kubeconfig().toString()));
        List<String> controllerManager = command(target, "kube-controller-manager",
                ControllerManagerFlags.build(spec, pki, "127.0.0.1", target.ports().get("controller-manager")));
        List<String> scheduler = command(target, "kube-scheduler",
                SchedulerFlags.build(spec, pki, "127.0.0.1", target.ports().get("scheduler")));

        // In dependency order. A component running another command line (an upgrade) is only replaced
        // once every component before it runs its new one and is healthy, per the version skew policy.
        Map<String, List<String>> plan = new LinkedHashMap<>();
        plan.put("etcd", etcd);
        plan.put("kube-apiserver", apiserver);
        plan.put("konnectivity-server", tunnelServer);
        plan.put("kube-controller-manager", controllerManager);
        plan.put("kube-scheduler", scheduler);
        List<ProcessSupervisor.Spec> before = new ArrayList<>();
        for (Map.Entry<String, List<String>> step : plan.entrySet()) {
            ProcessSupervisor.Spec process = new ProcessSupervisor.Spec(target.clusterId() + "/" + step.getKey(), step.getValue(),
                    environment, dir);
            Optional<String> waitingFor = supervisor.runsOther(process)
                    ? before.stream().filter(b -> !healthy(target, b)).map(ProcessSupervisor.Spec::name).findFirst()
                    : Optional.empty();
            conditions.add(waitingFor.isPresent()
                    ? new ComponentCondition(step.getKey(), false, "UpgradePending", "waits for " + waitingFor.get(), Instant.now())
                    : condition(process));
            before.add(process);
        }
        return conditions;
    }

    @Override
    public String endpoint(ControlPlaneTarget target) {
        return "https://" + target.spec().externalAddress() + ":" + target.spec().apiserverPort();
    }

    /** The apiserver advertises the seed's external address itself. */
    @Override
    public Optional<PublishedApiServer> unpublishedApiServer(ControlPlaneTarget target) {
        return Optional.empty();
    }

    @Override
    public boolean tunnels() {
        return true;
    }

    /** The tunnel server's agent port, on the seed's external address like the apiserver. */
    @Override
    public Optional<TunnelEndpoint> tunnel(ControlPlaneTarget target) {
        return Optional.of(new TunnelEndpoint(target.spec().externalAddress(), target.ports().get("tunnel")));
    }

    /** The single apiserver's /metrics say which configuration it runs (see {@link LoadedEncryptionConfig}). */
    @Override
    public Optional<String> encryptionConfigPending(ControlPlaneTarget target) {
        ClusterPki pki = target.pki();
        String wanted = LoadedEncryptionConfig.hashOf(EncryptionConfiguration.yaml(pki.encryptionKeys()));
        IssuedCredential client = pki.issueClient("edgeplane:seed-manager", List.of("system:masters"), Duration.ofMinutes(10));
        Set<String> loaded;
        try {
            loaded = LoadedEncryptionConfig.hashes(ApiServerProbe.read(endpoint(target), "/metrics", pki.certificatePem("ca"),
                    client.certificatePem(), client.privateKeyPem()));
        } catch (IOException e) {
            return Optional.of("cannot read which encryption configuration kube-apiserver loaded: " + e.getMessage());
        }
        return loaded.equals(Set.of(wanted)) ? Optional.empty()
                : Optional.of("kube-apiserver has not loaded the encryption configuration with keys " + names(pki) + " yet");
    }

    private static List<String> names(ClusterPki pki) {
        return pki.encryptionKeys().keys().stream().map(EncryptionKeys.Key::name).toList();
    }

    private static String tunnelSocket(Path dir) {
        String socket = dir.resolve("tunnel.sock").toString();
        if (socket.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalStateException("the tunnel's Unix socket " + socket + " is longer than " + MAX_SOCKET_PATH
                    + " bytes: choose a shorter data directory (edgeplane.data-dir)");
        }
        return socket;
    }

    @Override
    public void delete(ControlPlaneId id) {
        String clusterId = id.clusterId();
        supervisor.stopAll(clusterId + "/");
        Path dir = clustersDir.resolve(clusterId);
        // Components adopted by no one (e.g. the seed manager restarted meanwhile) are found by pid file.
        COMPONENTS.forEach(c -> ProcessSupervisor.stopByPidFile(dir.resolve(c + ".pid")));
        deleteTree(dir);
        LOG.info("cluster={}/{} step=delete processes stopped, {} removed", id.project(), id.cluster(), dir);
    }

    private ComponentCondition condition(ProcessSupervisor.Spec process) {
        boolean running = supervisor.ensure(process);
        int restarts = supervisor.restarts(process.key());
        return new ComponentCondition(process.name(), running, running ? "Running" : "NotRunning",
                restarts > 0 ? "restarted " + restarts + " times" : null, Instant.now());
    }

    /** Runs its desired command line and, for the apiserver, answers /readyz. */
    private boolean healthy(ControlPlaneTarget target, ProcessSupervisor.Spec process) {
        if (!supervisor.runs(process)) {
            return false;
        }
        if (!process.name().equals("kube-apiserver")) {
            return true;
        }
        ClusterPki pki = target.pki();
        IssuedCredential client = pki.issueClient("edgeplane:seed-manager", List.of("system:masters"), Duration.ofMinutes(10));
        return ApiServerProbe.notReadyReason(endpoint(target), pki.certificatePem("ca"),
                client.certificatePem(), client.privateKeyPem()) == null;
    }

    private static List<String> command(ControlPlaneTarget target, String component, List<String> flags) {
        List<String> command = new ArrayList<>();
        command.add(target.binariesDir().resolve(component).toString());
        command.addAll(flags);
        return command;
    }

    private static String kubeconfig(ClusterPki pki, String server, String entry) {
        return Kubeconfigs.clientCertificate(server, pki.certificatePem("ca"), "system:kube-" + entry,
                pki.certificatePem(entry), pki.privateKeyPem(entry));
    }

    /** Listen only on the address devices use when it is an IP; a host name may resolve anywhere. */
    static String bindAddress(String externalAddress) {
        return isIp(externalAddress) ? externalAddress : "0.0.0.0";
    }

    private static String hostInUrl(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    static String advertiseAddress(String externalAddress) {
        if (isIp(externalAddress)) {
            return externalAddress;
        }
        try {
            return InetAddress.getByName(externalAddress).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve the seed's externalAddress " + externalAddress, e);
        }
    }

    private static boolean isIp(String address) {
        return address.matches("[0-9.]+") || address.contains(":");
    }

    /** Config files carry keys (kubeconfigs); unchanged content is left alone so a reconcile is a no-op. */
    private static void writeIfChanged(Path file, String content) {
        try {
            AtomicFiles.writeIfChanged(file, content.getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
