package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class KubeconfigsTest implements GoldenSource {

    private static String sample() {
        return Kubeconfigs.clientCertificate("https://203.0.113.10:30443", SampleSpecs.pem("ca.crt"),
                "system:kube-scheduler", SampleSpecs.pem("scheduler.crt"), SampleSpecs.pem("scheduler.key"));
    }

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("kubeconfig", getClass(), KubeconfigsTest::sample));
    }

    @Test
    void aKubernetesClientReadsServerCaAndClientCertificate() {
        Config config = Config.fromKubeconfig(sample());

        assertThat(config.getMasterUrl()).startsWith("https://203.0.113.10:30443");
        assertThat(decode(config.getCaCertData())).isEqualTo(SampleSpecs.pem("ca.crt"));
        assertThat(decode(config.getClientCertData())).isEqualTo(SampleSpecs.pem("scheduler.crt"));
        assertThat(decode(config.getClientKeyData())).isEqualTo(SampleSpecs.pem("scheduler.key"));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
