package io.edgeplane.provisioner.script;

import java.util.List;
import java.util.Map;

/** Inputs for the rendering tests: one of everything, with fixed values so that golden files stay put. */
final class SampleInputs {
    /** A throwaway self-signed CA certificate (its key was discarded). */
    static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBkjCCATmgAwIBAgIUdrGs9TX2bocSlkQV6u9XXqsCf+4wCgYIKoZIzj0EAwIw
            HjEcMBoGA1UEAwwTZWRnZXBsYW5lLWdvbGRlbi1jYTAgFw0yNjExMjIwNTMzNTVa
            GA8yMTI2MTAyOTA1MzM1NVowHjEcMBoGA1UEAwwTZWRnZXBsYW5lLWdvbGRlbi1j
            YTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABL/zHLHTMHAEovmqsZWMZvrDeHD3
            MDVDmmfazttDy2vLefpLilBMp5k2xuqSkv1wyf11HOjz2BphLz67jc9Dq1KjUzBR
            MB0GA1UdDgQWBBTUakpBXWmDzhGZIexs3DSx9EFk9DAfBgNVHSMEGDAWgBTUakpB
            XWmDzhGZIexs3DSx9EFk9DAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cA
            MEQCIAZOysZ5qa6DEjvciaEZMvril1v8NVoRyk1c7XGRrYTvAiB9lrm4S89REW9T
            bpda3P+vh4nz4wO7SF5lpnT985mQvQ==
            -----END CERTIFICATE-----
            """;
    static final String TOKEN = "abcdef.0123456789abcdef";
    static final TunnelInput TUNNEL = new TunnelInput("https://seed.example.com/artifacts/v1.36.3/linux-amd64/konnectivity-agent",
            "5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a392817060", "seed.example.com", 30132);
    static final ClusterServicesInput SERVICES = new ClusterServicesInput(
            "https://seed.example.com/artifacts/v1.36.3/linux-amd64/kube-proxy",
            "7b6a59483726150f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7",
            "https://seed.example.com/artifacts/v1.36.3/linux-amd64/coredns",
            "c1b0a9f8e7d6c5b4a392817060f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d", "v1.14.7", "10.244.0.0/16");

    static final PodNetworkInput POD_NETWORK = new PodNetworkInput("seed.example.com", 8134, "cabc123def4.pod-network.edgeplane.invalid");

    private SampleInputs() {
    }

    static ProvisioningInput full() {
        return new ProvisioningInput("edge-1", "ubuntu-22.04", "amd64",
                Map.of("site", "hamburg", "example.com/tier", "edge", "topology.kubernetes.io/zone", "store-7"),
                List.of(new NodeTaint("example.com/dedicated", "edge", "NoSchedule"), new NodeTaint("gpu", "", "NoExecute")),
                "https://203.0.113.10:6443", CA_PEM, TOKEN, "v1.36.3",
                "https://seed.example.com/artifacts/v1.36.3/linux-amd64/kubelet",
                "4f1c9b6c5a0e3d2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49",
                "https://seed.example.com/artifacts/v1.36.3/linux-amd64/edgeplane-device",
                "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9", CA_PEM,
                TUNNEL, "10.244.3.0/24", SERVICES, POD_NETWORK,
                new NodeSettings("http://proxy.example.com:3128", List.of("10.0.0.0/8", ".svc", "localhost"),
                        List.of("https://mirror.example.com"), List.of("registry.store-7.local:5000"),
                        "registry.example.com/pause:3.10"));
    }

    static ProvisioningInput minimal() {
        return new ProvisioningInput("edge-2", "debian-12", "arm64", Map.of(), List.of(), "https://cp.example.com:443",
                CA_PEM, TOKEN, "v1.36.3", "https://10.0.0.1:8443/artifacts/v1.36.3/linux-arm64/kubelet",
                "0".repeat(64), "https://10.0.0.1:8443/artifacts/v1.36.3/linux-arm64/edgeplane-device", "1".repeat(64), CA_PEM,
                null, null, null, null, NodeSettings.defaults());
    }

    static ProvisioningInputBuilder builder() {
        return new ProvisioningInputBuilder(full());
    }

    /** Changes one field of a valid input at a time. */
    static final class ProvisioningInputBuilder {
        private String nodeName;
        private String os;
        private String arch;
        private Map<String, String> labels;
        private List<NodeTaint> taints;
        private String apiserverUrl;
        private String ca;
        private String token;
        private String version;
        private String kubeletUrl;
        private String sha;
        private String agentUrl;
        private String agentSha;
        private String mirrorCa;
        private TunnelInput tunnel;
        private String podCidr;
        private ClusterServicesInput services;
        private PodNetworkInput podNetwork;
        private NodeSettings node;

        ProvisioningInputBuilder(ProvisioningInput from) {
            nodeName = from.nodeName();
            os = from.os();
            arch = from.arch();
            labels = from.labels();
            taints = from.taints();
            apiserverUrl = from.apiserverUrl();
            ca = from.caCertificatePem();
            token = from.bootstrapToken();
            version = from.kubernetesVersion();
            kubeletUrl = from.kubeletUrl();
            sha = from.kubeletSha256();
            agentUrl = from.agentUrl();
            agentSha = from.agentSha256();
            mirrorCa = from.mirrorCaPem();
            tunnel = from.tunnel();
            podCidr = from.podCidr();
            services = from.services();
            podNetwork = from.podNetwork();
            node = from.node();
        }

        ProvisioningInputBuilder nodeName(String value) {
            nodeName = value;
            return this;
        }

        ProvisioningInputBuilder os(String value) {
            os = value;
            return this;
        }

        ProvisioningInputBuilder arch(String value) {
            arch = value;
            return this;
        }

        ProvisioningInputBuilder labels(Map<String, String> value) {
            labels = value;
            return this;
        }

        ProvisioningInputBuilder taints(List<NodeTaint> value) {
            taints = value;
            return this;
        }

        ProvisioningInputBuilder apiserverUrl(String value) {
            apiserverUrl = value;
            return this;
        }

        ProvisioningInputBuilder ca(String value) {
            ca = value;
            return this;
        }

        ProvisioningInputBuilder token(String value) {
            token = value;
            return this;
        }

        ProvisioningInputBuilder version(String value) {
            version = value;
            return this;
        }

        ProvisioningInputBuilder kubeletUrl(String value) {
            kubeletUrl = value;
            return this;
        }

        ProvisioningInputBuilder sha(String value) {
            sha = value;
            return this;
        }

        ProvisioningInputBuilder agentUrl(String value) {
            agentUrl = value;
            return this;
        }

        ProvisioningInputBuilder mirrorCa(String value) {
            mirrorCa = value;
            return this;
        }

        ProvisioningInputBuilder agentSha(String value) {
            agentSha = value;
            return this;
        }

        ProvisioningInputBuilder tunnel(TunnelInput value) {
            tunnel = value;
            return this;
        }

        ProvisioningInputBuilder podCidr(String value) {
            podCidr = value;
            return this;
        }

        ProvisioningInputBuilder services(ClusterServicesInput value) {
            services = value;
            return this;
        }

        ProvisioningInputBuilder podNetwork(PodNetworkInput value) {
            podNetwork = value;
            return this;
        }

        ProvisioningInputBuilder node(NodeSettings value) {
            node = value;
            return this;
        }

        ProvisioningInput build() {
            return new ProvisioningInput(nodeName, os, arch, labels, taints, apiserverUrl, ca, token, version, kubeletUrl, sha,
                    agentUrl, agentSha, mirrorCa, tunnel, podCidr, services, podNetwork, node);
        }
    }
}
