package io.edgeplane.testbed;

/** Kubeconfig files for the test bed's clients (kubectl, kubelets). */
public final class Kubeconfigs {
    private Kubeconfigs() {
    }

    /** A kubeconfig that authenticates with a client certificate. */
    public static String clientCertificate(String server, String caPem, String user, String certPem, String keyPem) {
        return base(server, caPem, user)
                + "    client-certificate-data: " + ApiServer.base64(certPem) + "\n"
                + "    client-key-data: " + ApiServer.base64(keyPem) + "\n";
    }

    /** A kubeconfig that authenticates with a bearer token (e.g. a bootstrap token). */
    public static String token(String server, String caPem, String user, String token) {
        return base(server, caPem, user) + "    token: " + token + "\n";
    }

    private static String base(String server, String caPem, String user) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: testbed\n"
                + "  cluster:\n"
                + "    server: " + server + "\n"
                + "    certificate-authority-data: " + ApiServer.base64(caPem) + "\n"
                + "contexts:\n"
                + "- name: testbed\n"
                + "  context:\n"
                + "    cluster: testbed\n"
                + "    user: " + user + "\n"
                + "current-context: testbed\n"
                + "users:\n"
                + "- name: " + user + "\n"
                + "  user:\n";
    }
}
