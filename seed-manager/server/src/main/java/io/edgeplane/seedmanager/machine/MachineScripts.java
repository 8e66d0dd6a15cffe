package io.edgeplane.seedmanager.machine;

import io.edgeplane.provisioner.script.ClusterServicesInput;
import io.edgeplane.provisioner.script.NodeTaint;
import io.edgeplane.provisioner.script.PodNetworkInput;
import io.edgeplane.provisioner.script.ProvisioningInput;
import io.edgeplane.provisioner.script.ProvisioningScripts;
import io.edgeplane.provisioner.script.TunnelInput;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.artifact.ArtifactMirror;
import io.edgeplane.seedmanager.artifact.DeviceAgentArtifacts;
import io.edgeplane.seedmanager.binaries.BinariesNotReadyException;
import io.edgeplane.seedmanager.binaries.BinariesPreparations;
import io.edgeplane.seedmanager.binaries.BinariesStatus;
import io.edgeplane.seedmanager.binaries.PinnedVersions;
import io.edgeplane.seedmanager.binaries.Platform;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterConnections.Connection;
import io.edgeplane.seedmanager.datacenter.Datacenter;
import io.edgeplane.seedmanager.datacenter.NodeSettings;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.edgeplane.seedmanager.podnetwork.PodNetworkRelay;
import io.edgeplane.seedmanager.tls.HttpsSettings;
import io.edgeplane.seedmanager.tls.ServingCertificate;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * Renders a device's provisioning script: the tenant's endpoint and CA, a bootstrap token for this
 * device, the kubelet, the device agent and the tunnel agent from the seed manager's artifact mirror (HTTPS, its CA
 * pinned) with their SHA-256, where the tunnel agent dials, the device's own pod range, the pod network relay the device agent
 * links the device's pods to the other devices' pods through, and the datacenter's node settings. A kubelet not prepared yet for the device's architecture is prepared
 * first: until then there is no checksum to pin, so the script waits ({@link BinariesNotReadyException}).
 */
@Singleton
public class MachineScripts {
    private final BootstrapTokens tokens;
    private final ArtifactMirror mirror;
    private final DeviceAgentArtifacts agents;
    private final BinariesPreparations preparations;
    private final SeedRegistry seed;
    private final MachineJson json;
    private final PodRanges podRanges;
    private final ClusterConnections connections;
    private final PodNetworkRelay relay;
    private final HttpsSettings https;
    private final ServingCertificate serving;
    private final String mirrorUrl;

    /**
     * @param mirrorUrl base URL devices reach the seed manager's HTTPS listener at (e.g. through a load balancer); by
     *                  default https://{seed externalAddress}:{HTTPS port}. Either way the script pins the listener's CA.
     */
    public MachineScripts(BootstrapTokens tokens, ArtifactMirror mirror, DeviceAgentArtifacts agents, BinariesPreparations preparations,
                          SeedRegistry seed,
                          MachineJson json, PodRanges podRanges, ClusterConnections connections, PodNetworkRelay relay,
                          HttpsSettings https, ServingCertificate serving,
                          @Value("${edgeplane.machines.mirror-url:}") @Nullable String mirrorUrl) {
        this.tokens = tokens;
        this.mirror = mirror;
        this.agents = agents;
        this.preparations = preparations;
        this.seed = seed;
        this.json = json;
        this.podRanges = podRanges;
        this.connections = connections;
        this.relay = relay;
        this.https = https;
        this.serving = serving;
        this.mirrorUrl = mirrorUrl;
    }

    public String provisioning(MachineDeployment machine, Cluster cluster, Connection tenant) {
        Platform platform = new Platform(cluster.version(), machine.arch());
        BinariesStatus binaries = preparations.ensure(platform);
        if (!binaries.ready()) {
            throw new BinariesNotReadyException("the provisioning script of " + machine.name(), binaries, Instant.now());
        }
        ArtifactMirror.Artifact kubelet = deviceArtifact(platform, "kubelet");
        ArtifactMirror.Artifact agent = agents.find(platform.name()).orElseThrow(() -> new IllegalStateException(
                "this build of the seed manager carries no device agent for " + platform.name()));
        Datacenter datacenter = seed.current().datacenter(cluster.datacenter())
                .orElseThrow(() -> new ConflictException("datacenter " + cluster.datacenter() + " is no longer in the seed"));
        String token = tokens.ensure(machine, tenant);
        String podCidr = podRanges.ensure(machine, cluster);
        TunnelInput tunnel = connections.tunnel(cluster).map(endpoint -> new TunnelInput(artifactUrl(cluster, platform, "konnectivity-agent"),
                deviceArtifact(platform, "konnectivity-agent").sha256(), endpoint.host(), endpoint.port())).orElse(null);
        ClusterServicesInput services = new ClusterServicesInput(
                artifactUrl(cluster, platform, "kube-proxy"), deviceArtifact(platform, "kube-proxy").sha256(),
                artifactUrl(cluster, platform, "coredns"), deviceArtifact(platform, "coredns").sha256(),
                PinnedVersions.coredns(), cluster.podCidr());
        PodNetworkInput podNetwork = relay.endpoint(cluster)
                .map(endpoint -> new PodNetworkInput(endpoint.host(), endpoint.port(), endpoint.serverName())).orElse(null);
        return ProvisioningScripts.provision(new ProvisioningInput(machine.name(), machine.os(), machine.arch(),
                json.labels(machine), json.taints(machine).stream().map(t -> new NodeTaint(t.key(), t.value(), t.effect())).toList(),
                tenant.endpoint(), tenant.caPem(), token, cluster.version(),
                artifactUrl(cluster, platform, "kubelet"), kubelet.sha256(),
                deviceBaseUrl() + "/artifacts/device-agent/" + platform.name() + "/" + DeviceAgentArtifacts.NAME, agent.sha256(),
                serving.caPem(), tunnel, podCidr, services, podNetwork, nodeSettings(datacenter.node())));
    }

    /**
     * Starts preparing the binaries of the device's platform if they are not ready (without waiting), so that a script
     * asked for later finds them.
     */
    public void prepareBinaries(MachineDeployment machine, Cluster cluster) {
        preparations.ensure(new Platform(cluster.version(), machine.arch()));
    }

    private String artifactUrl(Cluster cluster, Platform platform, String component) {
        return deviceBaseUrl() + "/artifacts/" + cluster.version() + "/" + platform.name() + "/" + component;
    }

    private ArtifactMirror.Artifact deviceArtifact(Platform platform, String component) {
        return mirror.find(platform, component).orElseThrow(() -> new IllegalStateException(
                "the artifact mirror has no " + component + " in " + preparations.directoryOf(platform) + " although it was prepared"));
    }

    public String deprovisioning(MachineDeployment machine) {
        return ProvisioningScripts.deprovision(machine.name());
    }

    /** Where devices reach this seed manager's HTTPS listener, without a trailing slash; its CA is {@link ServingCertificate#caPem()}. */
    public String deviceBaseUrl() {
        if (mirrorUrl != null && !mirrorUrl.isBlank()) {
            return mirrorUrl.replaceAll("/+$", "");
        }
        String host = seed.current().externalAddress();
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + https.port();
    }

    private static io.edgeplane.provisioner.script.NodeSettings nodeSettings(NodeSettings node) {
        return new io.edgeplane.provisioner.script.NodeSettings(node.httpProxy(), node.noProxy(), node.registryMirrors(),
                node.insecureRegistries(), node.pauseImage());
    }
}
