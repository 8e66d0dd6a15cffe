package io.edgeplane.provisioner.script;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kubernetes' naming rules for nodes, labels and taints (apimachinery's validation), plus the
 * kubelet's own rule for the labels it may set on its Node. Each check returns the problem, if any,
 * phrased for an error message.
 */
public final class KubernetesNames {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final int MAX_SUBDOMAIN = 253;
    private static final int MAX_NAME_PART = 63;
    /** Labels in the kubernetes.io and k8s.io namespaces that a kubelet may set (k8s.io/kubelet/pkg/apis). */
    private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch",
            "beta.kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type", "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone");
    private static final Set<String> KUBELET_LABEL_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

    private KubernetesNames() {
    }

    /** A node name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters). */
    public static Optional<String> nodeNameProblem(String name) {
        return subdomainProblem(name);
    }

    public static Optional<String> subdomainProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.length() > MAX_SUBDOMAIN) {
            return Optional.of("must be at most " + MAX_SUBDOMAIN + " characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** A label key or taint key: {@code [prefix/]name}, the prefix a DNS subdomain, the name at most 63 characters. */
    public static Optional<String> qualifiedNameProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("must not be empty");
        }
        String[] parts = key.split("/", -1);
        if (parts.length > 2) {
            return Optional.of("must be a name with an optional DNS prefix (prefix/name), with at most one '/'");
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2) {
            Optional<String> prefix = subdomainProblem(parts[0]);
            if (prefix.isPresent()) {
                return Optional.of("prefix " + prefix.get());
            }
        }
        if (name.isEmpty() || name.length() > MAX_NAME_PART) {
            return Optional.of("name part must be 1 to " + MAX_NAME_PART + " characters");
        }
        if (!QUALIFIED_NAME_PART.matcher(name).matches()) {
            return Optional.of("name part must consist of letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** A label value (also a taint value): empty, or at most 63 letters, digits, '-', '_', '.' starting and ending alphanumeric. */
    public static Optional<String> labelValueProblem(String value) {
        if (value == null) {
            return Optional.of("must not be null");
        }
        if (value.length() > MAX_NAME_PART) {
            return Optional.of("must be at most " + MAX_NAME_PART + " characters");
        }
        if (!value.isEmpty() && !QUALIFIED_NAME_PART.matcher(value).matches()) {
            return Optional.of("must be empty or consist of letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /**
     * Whether a kubelet may set this label on its own Node: keys in the kubernetes.io and k8s.io
     * namespaces only from the kubelet's list (node-role.kubernetes.io/* is not on it: a kubelet with
     * such a label refuses to start).
     */
    public static Optional<String> kubeletLabelProblem(String key) {
        int slash = key.indexOf('/');
        String namespace = slash < 0 ? "" : key.substring(0, slash);
        boolean kubernetesNamespace = namespace.equals("kubernetes.io") || namespace.endsWith(".kubernetes.io")
                || namespace.equals("k8s.io") || namespace.endsWith(".k8s.io");
        if (!kubernetesNamespace || KUBELET_LABELS.contains(key)) {
            return Optional.empty();
        }
        for (String allowed : KUBELET_LABEL_NAMESPACES) {
            if (namespace.equals(allowed) || namespace.endsWith("." + allowed)) {
                return Optional.empty();
            }
        }
        return Optional.of("is in a Kubernetes namespace the kubelet may not set (allowed: " + String.join(", ",
                KUBELET_LABEL_NAMESPACES.stream().sorted().map(ns -> "[*.]" + ns + "/*").toList())
                + " and well-known labels such as topology.kubernetes.io/zone); set it on the Node through the API instead");
    }
}
