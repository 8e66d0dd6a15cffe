package io.edgeplane.seedmanager.cluster.controlplane.flags;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Kubeconfig files that authenticate with an x509 client certificate: the controller-manager's
 * and scheduler's identities, and admin kubeconfigs. Everything is inlined, so a file is
 * self-contained wherever it is copied.
 */
public final class Kubeconfigs {
    private static final String CLUSTER = "edgeplane";

    private Kubeconfigs() {
    }

    /**
     * @param server  apiserver URL, e.g. {@code https://203.0.113.10:30443}
     * @param caPem   cluster CA certificate the server's certificate is verified against
     * @param user    user name, also the name of the user entry and part of the context name
     * @param certPem client certificate (its subject is the identity the apiserver sees)
     * @param keyPem  client private key
     */
    public static String clientCertificate(String server, String caPem, String user, String certPem, String keyPem) {
        String context = user + "@" + CLUSTER;
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + CLUSTER + "\n"
                + "  cluster:\n"
                + "    server: " + quoted(server) + "\n"
                + "    certificate-authority-data: " + base64(caPem) + "\n"
                + "users:\n"
                + "- name: " + quoted(user) + "\n"
                + "  user:\n"
                + "    client-certificate-data: " + base64(certPem) + "\n"
                + "    client-key-data: " + base64(keyPem) + "\n"
                + "contexts:\n"
                + "- name: " + quoted(context) + "\n"
                + "  context:\n"
                + "    cluster: " + CLUSTER + "\n"
                + "    user: " + quoted(user) + "\n"
                + "current-context: " + quoted(context) + "\n";
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    /** A double-quoted YAML scalar, safe for user names like {@code system:kube-scheduler}. */
    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
