package io.edgeplane.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The pinned component versions, read from bootstrap-scripts/versions.env (the one place they are set).
 * CoreDNS is the test bed's own (for its seed cluster); the product never runs it. KWOK, helm and kube-bench
 * are test-side only: the simulated kubelets of the fleet benchmark ({@link KwokBinary}), the chart's tool
 * ({@link HelmBinary}) and the CIS benchmark of tenant control planes ({@link KubeBenchBinary}).
 */
public record ComponentVersions(String kubernetes, String etcd, String coredns, String konnectivity, String kwok,
                                String helm, String kubeBench) {

    public static ComponentVersions pinned() {
        Properties env = new Properties();
        try (InputStream in = ComponentVersions.class.getClassLoader()
                .getResourceAsStream(BootstrapScripts.RESOURCE_ROOT + "versions.env")) {
            if (in == null) {
                throw new IllegalStateException("versions.env is not on the classpath (edgeplane-bootstrap-scripts missing?)");
            }
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ComponentVersions(required(env, "KUBERNETES_VERSION"), required(env, "ETCD_VERSION"),
                required(env, "COREDNS_VERSION"), required(env, "KONNECTIVITY_VERSION"),
                required(env, "KWOK_VERSION"), required(env, "HELM_VERSION"), required(env, "KUBE_BENCH_VERSION"));
    }

    private static String required(Properties env, String key) {
        String value = env.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("versions.env has no " + key);
        }
        return value.strip();
    }
}
