package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Clients of a tenant apiserver as the seed manager itself: short-lived system:masters certificate, CA pinned. */
final class TenantClients {
    private TenantClients() {
    }

    static KubernetesClient admin(ControlPlaneTarget target, String endpoint) {
        var credential = target.pki().issueClient("edgeplane:seed-manager", List.of("system:masters"), Duration.ofMinutes(10));
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(endpoint)
                .withCaCertData(base64(target.pki().certificatePem("ca")))
                .withClientCertData(base64(credential.certificatePem()))
                .withClientKeyData(base64(credential.privateKeyPem()))
                .withClientKeyAlgo("EC")
                .withRequestTimeout(10_000)
                .build()).build();
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
