package io.edgeplane.provisioner.script;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link ProvisioningInput} before anything is rendered, naming each invalid field. The
 * rendered script single-quotes every value anyway; these rules keep values meaningful (what the
 * kubelet, containerd and curl accept) and keep out anything a shell, YAML or TOML would read twice.
 */
public final class ProvisioningInputValidator {
    public static final Set<String> OPERATING_SYSTEMS = Set.of("ubuntu-20.04", "ubuntu-22.04", "ubuntu-24.04", "debian-12");
    public static final Set<String> ARCHITECTURES = Set.of("amd64", "arm64");
    public static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private static final String HOST_NAME = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*";
    private static final String HOST = "(" + HOST_NAME + "|\\[[0-9A-Fa-f:.]+\\])";
    private static final String PORT = "(:[0-9]{1,5})?";
    private static final Pattern HTTPS_ENDPOINT = Pattern.compile("https://" + HOST + PORT + "/?");
    private static final Pattern HTTP_ENDPOINT = Pattern.compile("https?://" + HOST + PORT + "/?");
    /** http(s) URL with a path and query of unreserved and percent-encoded characters (no userinfo: no credentials). */
    private static final Pattern DOWNLOAD_URL = Pattern.compile("https?://" + HOST + PORT + "(/[A-Za-z0-9._~%/+=&?-]*)?");
    /** As {@link #DOWNLOAD_URL}, https only: the artifact mirror, verified against the pinned mirror CA. */
    private static final Pattern MIRROR_URL = Pattern.compile("https://" + HOST + PORT + "(/[A-Za-z0-9._~%/+=&?-]*)?");
    private static final String MIRROR_RULE = "must be an https URL without credentials";
    private static final Pattern REGISTRY_HOST = Pattern.compile(HOST + PORT);
    private static final Pattern NO_PROXY_ENTRY = Pattern.compile("[A-Za-z0-9.*:/\\[\\]_-]{1,253}");
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TLS_SERVER_NAME = Pattern.compile("(?=.{1,253}$)(?!.*\\.[0-9]+$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+");
    private static final Pattern VERSION = Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?");
    /** A release version as image tags carry it: CoreDNS's are {@code v1.14.7} or {@code 1.14.7}. */
    private static final Pattern RELEASE_VERSION = Pattern.compile("v?[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final String COMPONENT = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern IMAGE = Pattern.compile("(" + HOST_NAME + PORT + "/)?" + COMPONENT + "(/" + COMPONENT + ")*"
            + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");
    /** Pod ranges the seed allocates: from a /16 (65,534 pods) down to a /28 (14 pods) per device. */
    public static final int MIN_POD_CIDR_PREFIX = 16;
    public static final int MAX_POD_CIDR_PREFIX = 28;
    /** The cluster's pod network, which holds every device's pod range. */
    public static final int MIN_CLUSTER_CIDR_PREFIX = 8;
    public static final int MAX_CLUSTER_CIDR_PREFIX = 28;
    private static final Pattern PEM = Pattern.compile("(-----BEGIN CERTIFICATE-----\\r?\\n([A-Za-z0-9+/=]{1,76}\\r?\\n)+"
            + "-----END CERTIFICATE-----\\s*)+");

    private ProvisioningInputValidator() {
    }

    /** Every problem, in field order; empty when the input is valid. */
    public static List<InvalidField> check(ProvisioningInput input) {
        List<InvalidField> errors = new ArrayList<>();
        KubernetesNames.nodeNameProblem(input.nodeName()).ifPresent(p -> errors.add(new InvalidField("nodeName", p)));
        oneOf(errors, "os", input.os(), OPERATING_SYSTEMS);
        oneOf(errors, "arch", input.arch(), ARCHITECTURES);
        checkLabels(errors, input.labels());
        checkTaints(errors, input.taints());
        matches(errors, "apiserverUrl", input.apiserverUrl(), HTTPS_ENDPOINT, "must be https://host[:port]");
        checkCertificates(errors, "caCertificatePem", input.caCertificatePem());
        if (input.bootstrapToken() == null || !TOKEN.matcher(input.bootstrapToken()).matches()) {
            // The value itself is never quoted: it is a credential.
            errors.add(new InvalidField("bootstrapToken", "must be a bootstrap token: 6 and 16 lowercase letters or digits, joined by '.'"));
        }
        matches(errors, "kubernetesVersion", input.kubernetesVersion(), VERSION, "must be a version such as v1.36.3");
        secretMatches(errors, "kubeletUrl", input.kubeletUrl(), MIRROR_URL, MIRROR_RULE);
        matches(errors, "kubeletSha256", input.kubeletSha256(), SHA256, "must be 64 lowercase hexadecimal digits");
        secretMatches(errors, "agentUrl", input.agentUrl(), MIRROR_URL, MIRROR_RULE);
        matches(errors, "agentSha256", input.agentSha256(), SHA256, "must be 64 lowercase hexadecimal digits");
        checkCertificates(errors, "mirrorCaPem", input.mirrorCaPem());
        checkTunnel(errors, input.tunnel());
        if (input.podCidr() != null) {
            NetworkAddresses.ipv4NetworkProblem(input.podCidr(), MIN_POD_CIDR_PREFIX, MAX_POD_CIDR_PREFIX)
                    .ifPresent(p -> errors.add(new InvalidField("podCidr", p)));
        }
        checkServices(errors, input.services());
        checkPodNetwork(errors, input);
        checkNodeSettings(errors, input.node());
        return errors;
    }

    /** Throws {@link InvalidProvisioningInputException} naming every invalid field. */
    public static void require(ProvisioningInput input) {
        List<InvalidField> errors = check(input);
        if (!errors.isEmpty()) {
            throw new InvalidProvisioningInputException(errors);
        }
    }

    private static void checkLabels(List<InvalidField> errors, Map<String, String> labels) {
        labels.forEach((key, value) -> {
            String field = "labels[\"" + ShownValues.printable(key) + "\"]";
            Optional<String> keyProblem = KubernetesNames.qualifiedNameProblem(key).or(() -> KubernetesNames.kubeletLabelProblem(key));
            keyProblem.ifPresent(p -> errors.add(new InvalidField(field, "key " + p)));
            KubernetesNames.labelValueProblem(value).ifPresent(p -> errors.add(new InvalidField(field, "value " + p)));
        });
    }

    private static void checkTaints(List<InvalidField> errors, List<NodeTaint> taints) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            NodeTaint taint = taints.get(i);
            String field = "taints[" + i + "]";
            if (taint == null) {
                errors.add(new InvalidField(field, "must not be null"));
                continue;
            }
            KubernetesNames.qualifiedNameProblem(taint.key()).ifPresent(p -> errors.add(new InvalidField(field + ".key", p)));
            KubernetesNames.labelValueProblem(taint.value()).ifPresent(p -> errors.add(new InvalidField(field + ".value", p)));
            oneOf(errors, field + ".effect", taint.effect(), TAINT_EFFECTS);
            if (!seen.add(taint.key() + ":" + taint.effect())) {
                errors.add(new InvalidField(field, "duplicates an earlier taint with the same key and effect"));
            }
        }
    }

    private static void checkCertificates(List<InvalidField> errors, String field, String pem) {
        if (pem == null || !PEM.matcher(pem.strip() + "\n").matches()) {
            errors.add(new InvalidField(field, "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)"));
            return;
        }
        try {
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                errors.add(new InvalidField(field, "holds no certificate"));
            }
        } catch (CertificateException e) {
            errors.add(new InvalidField(field, "is not an X.509 certificate: " + e.getMessage()));
        }
    }

    private static void checkTunnel(List<InvalidField> errors, TunnelInput tunnel) {
        if (tunnel == null) {
            return;
        }
        secretMatches(errors, "tunnel.agentUrl", tunnel.agentUrl(), MIRROR_URL, MIRROR_RULE);
        matches(errors, "tunnel.agentSha256", tunnel.agentSha256(), SHA256, "must be 64 lowercase hexadecimal digits");
        NetworkAddresses.hostProblem(tunnel.serverHost()).ifPresent(p -> errors.add(new InvalidField("tunnel.serverHost", p)));
        if (tunnel.serverPort() < 1 || tunnel.serverPort() > 65535) {
            errors.add(new InvalidField("tunnel.serverPort", "must be a port from 1 to 65535, not " + tunnel.serverPort()));
        }
    }

    private static void checkServices(List<InvalidField> errors, ClusterServicesInput services) {
        if (services == null) {
            return;
        }
        secretMatches(errors, "services.kubeProxyUrl", services.kubeProxyUrl(), MIRROR_URL, MIRROR_RULE);
        matches(errors, "services.kubeProxySha256", services.kubeProxySha256(), SHA256, "must be 64 lowercase hexadecimal digits");
        secretMatches(errors, "services.corednsUrl", services.corednsUrl(), MIRROR_URL, MIRROR_RULE);
        matches(errors, "services.corednsSha256", services.corednsSha256(), SHA256, "must be 64 lowercase hexadecimal digits");
        matches(errors, "services.corednsVersion", services.corednsVersion(), RELEASE_VERSION, "must be a version such as v1.14.7");
        NetworkAddresses.ipv4NetworkProblem(services.clusterCidr(), MIN_CLUSTER_CIDR_PREFIX, MAX_CLUSTER_CIDR_PREFIX)
                .ifPresent(p -> errors.add(new InvalidField("services.clusterCidr", p)));
    }

    private static void checkPodNetwork(List<InvalidField> errors, ProvisioningInput input) {
        PodNetworkInput podNetwork = input.podNetwork();
        if (podNetwork == null) {
            return;
        }
        NetworkAddresses.hostProblem(podNetwork.serverHost()).ifPresent(p -> errors.add(new InvalidField("podNetwork.serverHost", p)));
        if (podNetwork.serverPort() < 1 || podNetwork.serverPort() > 65535) {
            errors.add(new InvalidField("podNetwork.serverPort", "must be a port from 1 to 65535, not " + podNetwork.serverPort()));
        }
        matches(errors, "podNetwork.serverName", podNetwork.serverName(), TLS_SERVER_NAME,
                "must be a lowercase DNS name of at least two labels, such as c1.pod-network.edgeplane.invalid");
        if (input.podCidr() == null || input.services() == null) {
            errors.add(new InvalidField("podNetwork", "needs the device's podCidr and the cluster services' clusterCidr"));
        }
    }

    private static void checkNodeSettings(List<InvalidField> errors, NodeSettings node) {
        if (node.httpProxy() != null) {
            secretMatches(errors, "node.httpProxy", node.httpProxy(), HTTP_ENDPOINT, "must be http(s)://host[:port], without credentials");
        }
        each(errors, "node.noProxy", node.noProxy(), NO_PROXY_ENTRY, "must be a host, .domain, IP address or CIDR");
        for (int i = 0; i < node.registryMirrors().size(); i++) {
            secretMatches(errors, "node.registryMirrors[" + i + "]", node.registryMirrors().get(i), DOWNLOAD_URL,
                    "must be an http(s) URL without credentials");
        }
        each(errors, "node.insecureRegistries", node.insecureRegistries(), REGISTRY_HOST, "must be host[:port]");
        if (node.pauseImage() != null) {
            matches(errors, "node.pauseImage", node.pauseImage(), IMAGE, "must be an image reference such as registry.k8s.io/pause:3.10");
        }
    }

    private static void each(List<InvalidField> errors, String field, List<String> values, Pattern pattern, String rule) {
        for (int i = 0; i < values.size(); i++) {
            matches(errors, field + "[" + i + "]", values.get(i), pattern, rule);
        }
    }

    private static void matches(List<InvalidField> errors, String field, String value, Pattern pattern, String rule) {
        if (value == null || value.length() > 2048 || !pattern.matcher(value).matches()) {
            errors.add(new InvalidField(field, rule + (value == null ? ", not null" : ", not " + ShownValues.quoted(value))));
        }
    }

    /** As {@link #matches}, without repeating the value: a URL may carry a password. */
    private static void secretMatches(List<InvalidField> errors, String field, String value, Pattern pattern, String rule) {
        if (value == null || value.length() > 2048 || !pattern.matcher(value).matches()) {
            errors.add(new InvalidField(field, rule));
        }
    }

    private static void oneOf(List<InvalidField> errors, String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            errors.add(new InvalidField(field, "must be one of " + allowed.stream().sorted().toList()
                    + (value == null ? ", not null" : ", not " + ShownValues.quoted(value))));
        }
    }
}
