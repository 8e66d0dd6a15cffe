package io.edgeplane.provisioner.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Rendering of the provisioning and deprovisioning scripts: golden files (regenerate with
 * {@value GoldenScripts#REGENERATE}), validation naming each field, and quoting that no value escapes.
 */
class ProvisioningScriptsTest {
    private static final Map<String, String> GOLDEN = Map.of(
            "provision-full.sh", "full",
            "provision-minimal.sh", "minimal",
            "deprovision.sh", "deprovision");

    @Test
    void renderedScriptsMatchTheirGoldenFiles() {
        GoldenScripts.check("provision-full.sh", ProvisioningScripts.provision(SampleInputs.full()));
        GoldenScripts.check("provision-minimal.sh", ProvisioningScripts.provision(SampleInputs.minimal()));
        GoldenScripts.check("deprovision.sh", ProvisioningScripts.deprovision("edge-1"));
        GoldenScripts.checkNoOrphans(GOLDEN.keySet());
    }

    @Test
    void theScriptIsSelfContainedWithItsValuesInOneDelimitedBlock() {
        String script = ProvisioningScripts.provision(SampleInputs.full());
        assertThat(script).startsWith("#!/usr/bin/env bash\n");
        assertThat(script.lines().filter(l -> l.equals(ShellValues.BEGIN))).hasSize(1);
        assertThat(script.lines().filter(l -> l.equals(ShellValues.END))).hasSize(1);
        assertThat(script).doesNotContain("EDGEPLANE_VALUES_FILE").doesNotContain("$SCRIPT_DIR");
        assertThat(script.lines().filter(l -> l.matches("\\s*(source|\\.) .*"))).as("nothing is sourced").isEmpty();
        assertThat(script).contains("\nsvc_supervise() {").contains("\nput_file() {").contains("\ninfo() {");
        assertThat(script.strip()).endsWith("\nmain \"$@\"");
        assertThat(script).doesNotContain("curl -k").doesNotContain("--insecure").doesNotContain("insecure-skip-tls-verify");

        String values = block(script);
        assertThat(values).contains("EP_NODE_NAME='edge-1'\n")
                .contains("EP_NODE_LABELS=('example.com/tier=edge' 'site=hamburg' 'topology.kubernetes.io/zone=store-7')\n")
                .contains("EP_TAINTS=('example.com/dedicated=edge:NoSchedule' 'gpu=:NoExecute')\n")
                .contains("EP_CA_CERT='-----BEGIN CERTIFICATE-----\nMIIB")
                .contains("-----END CERTIFICATE-----'\n")
                .contains("EP_INSECURE_REGISTRIES=('registry.store-7.local:5000')\n")
                .contains("EP_KUBELET_URL='https://seed.example.com/artifacts/v1.36.3/linux-amd64/kubelet'\n"
                        + "EP_KUBELET_SHA256='4f1c9b6c5a0e3d2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49'\n"
                        + "EP_AGENT_URL='https://seed.example.com/artifacts/v1.36.3/linux-amd64/edgeplane-device'\n"
                        + "EP_AGENT_SHA256='9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9'\n"
                        + "EP_MIRROR_CA_CERT='" + SampleInputs.CA_PEM.strip() + "'\n"
                        + "EP_TUNNEL_AGENT_URL='https://seed.example.com/artifacts/v1.36.3/linux-amd64/konnectivity-agent'\n"
                        + "EP_TUNNEL_AGENT_SHA256='5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a392817060'\n"
                        + "EP_TUNNEL_SERVER_HOST='seed.example.com'\n"
                        + "EP_TUNNEL_SERVER_PORT='30132'\n"
                        + "EP_POD_CIDR='10.244.3.0/24'\n"
                        + "EP_KUBE_PROXY_URL='https://seed.example.com/artifacts/v1.36.3/linux-amd64/kube-proxy'\n"
                        + "EP_KUBE_PROXY_SHA256='7b6a59483726150f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7'\n"
                        + "EP_COREDNS_URL='https://seed.example.com/artifacts/v1.36.3/linux-amd64/coredns'\n"
                        + "EP_COREDNS_SHA256='c1b0a9f8e7d6c5b4a392817060f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d'\n"
                        + "EP_COREDNS_VERSION='v1.14.7'\n"
                        + "EP_CLUSTER_CIDR='10.244.0.0/16'\n"
                        + "EP_POD_NETWORK_HOST='seed.example.com'\n"
                        + "EP_POD_NETWORK_PORT='8134'\n"
                        + "EP_POD_NETWORK_NAME='cabc123def4.pod-network.edgeplane.invalid'\n"
                        + "EP_HTTP_PROXY='http://proxy.example.com:3128'\n")
                .contains("EP_BOOTSTRAP_TOKEN='" + SampleInputs.TOKEN + "'\n");
        assertThat(script.indexOf(SampleInputs.TOKEN)).as("the token appears in the values block only")
                .isEqualTo(script.lastIndexOf(SampleInputs.TOKEN));
    }

    @Test
    void renderingIsDeterministic() {
        Map<String, String> labels = new HashMap<>(Map.of("z", "1", "a", "2", "m", "3"));
        String first = ProvisioningScripts.provision(SampleInputs.builder().labels(labels).build());
        assertThat(ProvisioningScripts.provision(SampleInputs.builder().labels(Map.copyOf(labels)).build())).isEqualTo(first);
        assertThat(block(first)).contains("EP_NODE_LABELS=('a=2' 'm=3' 'z=1')");
    }

    @Test
    void minimalSettingsRenderEmptyValues() {
        String values = block(ProvisioningScripts.provision(SampleInputs.minimal()));
        assertThat(values).contains("EP_NODE_LABELS=()\n", "EP_TAINTS=()\n", "EP_HTTP_PROXY=''\n", "EP_NO_PROXY=()\n",
                "EP_REGISTRY_MIRRORS=()\n", "EP_INSECURE_REGISTRIES=()\n", "EP_PAUSE_IMAGE=''\n");
        assertThat(values).as("a cluster without a tunnel, a device without a seed-given pod range")
                .contains("EP_TUNNEL_AGENT_URL=''\nEP_TUNNEL_AGENT_SHA256=''\nEP_TUNNEL_SERVER_HOST=''\nEP_TUNNEL_SERVER_PORT=''\n"
                        + "EP_POD_CIDR=''\n");
        assertThat(values).as("a cluster without cluster services")
                .contains("EP_KUBE_PROXY_URL=''\nEP_KUBE_PROXY_SHA256=''\nEP_COREDNS_URL=''\nEP_COREDNS_SHA256=''\n"
                        + "EP_COREDNS_VERSION=''\nEP_CLUSTER_CIDR=''\n");
    }

    @Test
    void mirrorDownloadsAreHttpsOnlyAndNeedTheMirrorCa() {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder()
                .kubeletUrl("http://seed.example.com/artifacts/v1.36.3/linux-amd64/kubelet").build()))
                .extracting(InvalidField::field).containsExactly("kubeletUrl");
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().mirrorCa(null).build()))
                .extracting(InvalidField::toString).containsExactly(
                        "mirrorCaPem: must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void theApiserverUrlLosesATrailingSlash() {
        String values = block(ProvisioningScripts.provision(SampleInputs.builder().apiserverUrl("https://cp.example.com:6443/").build()));
        assertThat(values).contains("EP_APISERVER_URL='https://cp.example.com:6443'\n");
    }

    @Test
    void everyInvalidFieldIsNamed() {
        ProvisioningInput input = new ProvisioningInput("Edge_1", "windows-11", "riscv64",
                Map.of("node-role.kubernetes.io/worker", "", "ok", "bad value"),
                List.of(new NodeTaint("gpu", "", "Sometimes"), new NodeTaint("-bad", "x", "NoSchedule")),
                "http://cp.example.com", "not a certificate", "secret-token", "1.36", "ftp://mirror/kubelet", "ABC",
                "https://user:password@mirror/edgeplane-device", "abc", "-----BEGIN CERTIFICATE-----\n",
                new TunnelInput("https://user:password@mirror/konnectivity-agent", "ABC", "seed_example", 0), "10.244.3.0/33",
                new ClusterServicesInput("https://user:password@mirror/kube-proxy", "abc", "file:///coredns", "", "latest", "10.244.0.1/16"),
                new PodNetworkInput("seed example", 70000, "Not.A.Name"),
                new NodeSettings("http://user:password@proxy:3128", List.of("a,b"), List.of("mirror.example.com"),
                        List.of("http://registry:5000"), "Bad Image"));
        InvalidProvisioningInputException e = catchThrowableOfType(() -> ProvisioningScripts.provision(input),
                InvalidProvisioningInputException.class);
        assertThat(e.errors()).extracting(InvalidField::field).containsExactly(
                "nodeName", "os", "arch", "labels[\"node-role.kubernetes.io/worker\"]", "labels[\"ok\"]",
                "taints[0].effect", "taints[1].key", "apiserverUrl", "caCertificatePem", "bootstrapToken",
                "kubernetesVersion", "kubeletUrl", "kubeletSha256", "agentUrl", "agentSha256", "mirrorCaPem", "tunnel.agentUrl",
                "tunnel.agentSha256", "tunnel.serverHost", "tunnel.serverPort", "podCidr", "services.kubeProxyUrl",
                "services.kubeProxySha256", "services.corednsUrl", "services.corednsSha256", "services.corednsVersion",
                "services.clusterCidr", "podNetwork.serverHost", "podNetwork.serverPort", "podNetwork.serverName", "node.httpProxy",
                "node.noProxy[0]", "node.registryMirrors[0]", "node.insecureRegistries[0]", "node.pauseImage");
        assertThat(e.getMessage()).contains("labels[\"node-role.kubernetes.io/worker\"]: key is in a Kubernetes namespace the kubelet may not set");
        assertThat(e.getMessage()).contains("agentUrl: must be an https URL without credentials",
                "agentSha256: must be 64 lowercase hexadecimal digits, not \"abc\"",
                "tunnel.agentUrl: must be an https URL without credentials",
                "tunnel.agentSha256: must be 64 lowercase hexadecimal digits, not \"ABC\"",
                "tunnel.serverHost: must be an IP address or a DNS name, not \"seed_example\"",
                "tunnel.serverPort: must be a port from 1 to 65535, not 0",
                "podCidr: must be an IPv4 network with a prefix length from 16 to 28, such as 10.244.3.0/24, not \"10.244.3.0/33\"",
                "services.kubeProxyUrl: must be an https URL without credentials",
                "services.kubeProxySha256: must be 64 lowercase hexadecimal digits, not \"abc\"",
                "services.corednsVersion: must be a version such as v1.14.7, not \"latest\"",
                "services.clusterCidr: must be a network address (no host bits set), such as 10.244.0.0/16, not \"10.244.0.1/16\"");
        assertThat(e.getMessage()).as("a credential is never repeated").doesNotContain("secret-token").doesNotContain("password");
    }

    @Test
    void labelsTheKubeletMaySetAreAccepted() {
        Map<String, String> labels = Map.of("node.kubernetes.io/instance-type", "small", "topology.kubernetes.io/region", "eu",
                "kubelet.kubernetes.io/x", "y", "edge.example.com/site", "hh-1", "plain", "");
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().labels(labels).build())).isEmpty();
    }

    @Test
    void duplicateTaintsAndNullsAreNamed() {
        List<NodeTaint> taints = new ArrayList<>(Arrays.asList(new NodeTaint("a", "1", "NoSchedule"), null,
                new NodeTaint("a", "2", "NoSchedule")));
        Map<String, String> labels = new HashMap<>();
        labels.put("site", null);
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().taints(taints).labels(labels).build()))
                .extracting(InvalidField::toString)
                .containsExactly("labels[\"site\"]: value must not be null", "taints[1]: must not be null",
                        "taints[2]: duplicates an earlier taint with the same key and effect");
    }

    @Test
    void deprovisionRefusesABadNodeName() {
        assertThatThrownBy(() -> ProvisioningScripts.deprovision("edge-1; reboot"))
                .isInstanceOf(InvalidProvisioningInputException.class).hasMessageContaining("nodeName");
        assertThat(block(ProvisioningScripts.deprovision("edge-1"))).contains("EP_NODE_NAME='edge-1'\n");
    }

    /** Values that would break out of careless quoting are refused before rendering, each by its field. */
    @ParameterizedTest
    @ValueSource(strings = {"x'; reboot; '", "$(reboot)", "`reboot`", "a\nb", "a b", "\"x\""})
    void shellSyntaxInValuesIsRefused(String evil) {
        List<ProvisioningInput> inputs = List.of(
                SampleInputs.builder().nodeName(evil).build(),
                SampleInputs.builder().labels(Map.of("site", evil)).build(),
                SampleInputs.builder().labels(Map.of(evil, "x")).build(),
                SampleInputs.builder().taints(List.of(new NodeTaint("k", evil, "NoSchedule"))).build(),
                SampleInputs.builder().kubeletUrl("https://mirror.example.com/" + evil).build(),
                SampleInputs.builder().agentUrl("https://mirror.example.com/" + evil).build(),
                SampleInputs.builder().agentSha(evil).build(),
                SampleInputs.builder().tunnel(new TunnelInput("https://mirror.example.com/" + evil, SampleInputs.TUNNEL.agentSha256(),
                        "seed.example.com", 30132)).build(),
                SampleInputs.builder().tunnel(new TunnelInput(SampleInputs.TUNNEL.agentUrl(), evil, "seed.example.com", 30132)).build(),
                SampleInputs.builder().tunnel(new TunnelInput(SampleInputs.TUNNEL.agentUrl(), SampleInputs.TUNNEL.agentSha256(), evil,
                        30132)).build(),
                SampleInputs.builder().podCidr("10.244.3.0/24" + evil).build(),
                SampleInputs.builder().services(services("https://mirror.example.com/" + evil, SampleInputs.SERVICES.corednsVersion(),
                        SampleInputs.SERVICES.clusterCidr())).build(),
                SampleInputs.builder().services(services(SampleInputs.SERVICES.kubeProxyUrl(), "v1.14.7" + evil,
                        SampleInputs.SERVICES.clusterCidr())).build(),
                SampleInputs.builder().services(services(SampleInputs.SERVICES.kubeProxyUrl(), SampleInputs.SERVICES.corednsVersion(),
                        "10.244.0.0/16" + evil)).build(),
                SampleInputs.builder().apiserverUrl("https://" + evil).build(),
                SampleInputs.builder().token(evil).build(),
                SampleInputs.builder().ca(SampleInputs.CA_PEM + evil).build(),
                SampleInputs.builder().node(new NodeSettings(null, List.of(evil), List.of(), List.of(), null)).build(),
                SampleInputs.builder().node(new NodeSettings(null, List.of(), List.of(), List.of(evil), null)).build(),
                SampleInputs.builder().node(new NodeSettings(null, List.of(), List.of(), List.of(), "pause:" + evil)).build());
        for (ProvisioningInput input : inputs) {
            assertThat(ProvisioningInputValidator.check(input)).as("%s", input).hasSize(1);
        }
    }

    /** Whatever a value holds, the quoted form reads back as exactly that value, with nothing unquoted. */
    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "it's", "'", "''", "'\\''", "$(reboot)", "`id`", "a\nb\n", "\\", "x'; reboot; echo '",
            "${EP_BOOTSTRAP_TOKEN}", "!!", "*", "end'"})
    void quotingCannotBeBroken(String value) {
        String quoted = ShellValues.quote(value);
        assertThat(BashSingleQuotes.read(quoted)).isEqualTo(value);
    }

    @Test
    void aNulCharacterIsRefusedByTheQuoting() {
        assertThatThrownBy(() -> ShellValues.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(SampleInputs.full().toString()).doesNotContain(SampleInputs.TOKEN).contains("edge-1")
                .contains("agentUrl=https://seed.example.com/artifacts/v1.36.3/linux-amd64/edgeplane-device")
                .contains("serverHost=seed.example.com, serverPort=30132", "podCidr=10.244.3.0/24");
    }

    @Test
    void withoutATunnelOrAPodRangeTheInputIsValid() {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(null).podCidr(null).podNetwork(null).build())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed.example.com", "seed", "203.0.113.10", "2001:db8::10", "::1", "a-1.b-2.example"})
    void theTunnelServerIsAnIpAddressOrADnsName(String host) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt(host, 30132)).build())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "203.0.113.256", "203.0.113", "[2001:db8::10]", "2001:db8::10::1", "seed.example.com:30132",
            "-seed.example.com", "seed..example.com", "https://seed.example.com", "seed example"})
    void aTunnelServerThatIsNeitherIsRefused(String host) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt(host, 30132)).build()))
                .extracting(InvalidField::field).containsExactly("tunnel.serverHost");
    }

    @Test
    void aTunnelServerNameLongerThanDnsAllowsIsRefused() {
        String longLabel = "a".repeat(64) + ".example.com";
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt(longLabel, 30132)).build()))
                .extracting(InvalidField::field).containsExactly("tunnel.serverHost");
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt(null, 30132)).build()))
                .extracting(InvalidField::toString).containsExactly("tunnel.serverHost: must be an IP address or a DNS name, not null");
    }

    @Test
    void theTunnelPortIsFrom1To65535() {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt("seed.example.com", 1)).build())).isEmpty();
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt("seed.example.com", 65535)).build()))
                .isEmpty();
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().tunnel(tunnelAt("seed.example.com", 65536)).build()))
                .extracting(InvalidField::toString).containsExactly("tunnel.serverPort: must be a port from 1 to 65535, not 65536");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.0.0/16", "10.244.3.0/24", "192.168.7.240/28", "172.16.0.0/16"})
    void aPodRangeIsAnIpv4NetworkFromASlash16ToASlash28(String cidr) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().podCidr(cidr).build())).isEmpty();
        assertThat(block(ProvisioningScripts.provision(SampleInputs.builder().podCidr(cidr).build())))
                .contains("EP_POD_CIDR='" + cidr + "'\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.244.3.0", "10.244.0.0/15", "10.244.3.0/29", "10.244.3.0/24 ", "256.0.0.0/16", "fd00::/64",
            "10.244.3.0/024x"})
    void otherPodRangesAreRefused(String cidr) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().podCidr(cidr).build()))
                .extracting(InvalidField::toString).singleElement().asString()
                .startsWith("podCidr: must be an IPv4 network with a prefix length from 16 to 28");
    }

    @Test
    void aPodRangeWithHostBitsIsRefusedNamingItsNetwork() {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().podCidr("10.244.3.7/24").build()))
                .extracting(InvalidField::toString)
                .containsExactly("podCidr: must be a network address (no host bits set), such as 10.244.3.0/24, not \"10.244.3.7/24\"");
    }

    private static TunnelInput tunnelAt(String host, int port) {
        return new TunnelInput(SampleInputs.TUNNEL.agentUrl(), SampleInputs.TUNNEL.agentSha256(), host, port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.14.7", "1.14.7", "v10.0.12"})
    void aCorednsVersionHasThreeNumbersWithOrWithoutV(String version) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().services(services(SampleInputs.SERVICES.kubeProxyUrl(), version,
                SampleInputs.SERVICES.clusterCidr())).build())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1.14", "1.14.7-rc.1", "latest", "V1.14.7", "v1.14.7 "})
    void otherCorednsVersionsAreRefused(String version) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().services(services(SampleInputs.SERVICES.kubeProxyUrl(), version,
                SampleInputs.SERVICES.clusterCidr())).build()))
                .extracting(InvalidField::toString).containsExactly("services.corednsVersion: must be a version such as v1.14.7, not \""
                        + version + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "10.244.0.0/16", "172.20.0.0/14", "192.168.0.0/24"})
    void aClusterCidrIsAnIpv4NetworkFromASlash8ToASlash28(String cidr) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().services(services(SampleInputs.SERVICES.kubeProxyUrl(),
                SampleInputs.SERVICES.corednsVersion(), cidr)).build())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/7", "10.244.0.0/29", "fd00::/48", "10.244.0.0"})
    void otherClusterCidrsAreRefused(String cidr) {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().services(services(SampleInputs.SERVICES.kubeProxyUrl(),
                SampleInputs.SERVICES.corednsVersion(), cidr)).build()))
                .extracting(InvalidField::toString).singleElement().asString()
                .startsWith("services.clusterCidr: must be an IPv4 network with a prefix length from 8 to 28");
    }

    @Test
    void missingServicesValuesAreNamedAndWithoutServicesTheInputIsValid() {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder()
                .services(new ClusterServicesInput(null, null, null, null, null, null)).build()))
                .extracting(InvalidField::field).containsExactly("services.kubeProxyUrl", "services.kubeProxySha256",
                        "services.corednsUrl", "services.corednsSha256", "services.corednsVersion", "services.clusterCidr");
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().services(null).podNetwork(null).build())).isEmpty();
        assertThat(SampleInputs.full().toString()).contains("services=ClusterServicesInput[kubeProxyUrl=https://seed.example.com/");
    }

    @Test
    void thePodNetworkNeedsTheDevicesRangeAndTheClusterServicesAndIsRenderedWhole() {
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().services(null).build()))
                .extracting(InvalidField::toString)
                .containsExactly("podNetwork: needs the device's podCidr and the cluster services' clusterCidr");
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder().podCidr(null).build()))
                .extracting(InvalidField::field).containsExactly("podNetwork");
        assertThat(ProvisioningInputValidator.check(SampleInputs.builder()
                .podNetwork(new PodNetworkInput("seed.example.com", 8134, "203.0.113.10")).build()))
                .extracting(InvalidField::field).containsExactly("podNetwork.serverName");
        assertThat(ProvisioningScripts.provision(SampleInputs.full())).contains("EP_POD_NETWORK_HOST='seed.example.com'\n",
                "EP_POD_NETWORK_PORT='8134'\n", "EP_POD_NETWORK_NAME='cabc123def4.pod-network.edgeplane.invalid'\n");
        assertThat(ProvisioningScripts.provision(SampleInputs.minimal())).contains("EP_POD_NETWORK_HOST=''\n");
    }

    private static ClusterServicesInput services(String kubeProxyUrl, String corednsVersion, String clusterCidr) {
        ClusterServicesInput s = SampleInputs.SERVICES;
        return new ClusterServicesInput(kubeProxyUrl, s.kubeProxySha256(), s.corednsUrl(), s.corednsSha256(), corednsVersion, clusterCidr);
    }

    @Test
    void onlyKnownGoldenFilesAreChecked() {
        assertThat(GOLDEN.keySet()).isEqualTo(Set.of("provision-full.sh", "provision-minimal.sh", "deprovision.sh"));
    }

    private static String block(String script) {
        return script.substring(script.indexOf(ShellValues.BEGIN), script.indexOf(ShellValues.END));
    }
}
