package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPkiFactory;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPkiRequest;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node a client certificate speaks for, read as the apiserver reads a kubelet's. */
class NodeIdentityTest {
    private static ClusterPki pki;

    @BeforeAll
    static void pki() {
        pki = new ClusterPkiFactory().create(new ClusterPkiRequest("c0000000001",
                ClusterPkiRequest.defaultApiserverSans("203.0.113.10", "10.96.0.0/16"), List.of("10.0.0.5"),
                Duration.ofDays(3650), Duration.ofDays(365)));
    }

    @Test
    void aKubeletsCertificateNamesItsNode() {
        assertThat(NodeIdentity.nodeName(client("system:node:edge-1", "system:nodes"))).isEqualTo("edge-1");
        assertThat(NodeIdentity.nodeName(client("system:node:edge-1.example", "other", "system:nodes"))).isEqualTo("edge-1.example");
    }

    @Test
    void otherCertificatesNameNoNode() {
        assertThatThrownBy(() -> NodeIdentity.nodeName(client("edgeplane:seed-manager", "system:masters")))
                .hasMessage("the client certificate's CN 'edgeplane:seed-manager' is not system:node:<node>");
        assertThatThrownBy(() -> NodeIdentity.nodeName(client("system:node:", "system:nodes")))
                .hasMessageContaining("is not system:node:<node>");
        assertThatThrownBy(() -> NodeIdentity.nodeName(client("system:node:edge-1")))
                .hasMessage("the client certificate of system:node:edge-1 is not in group (O) system:nodes");
        assertThatThrownBy(() -> NodeIdentity.nodeName(client("system:node:edge-1", "system:masters")))
                .hasMessageContaining("is not in group (O) system:nodes");
        assertThatThrownBy(() -> NodeIdentity.nodeName(pki.certificate("apiserver")))
                .as("a serving certificate").hasMessageContaining("is not system:node:<node>");
    }

    private static X509Certificate client(String commonName, String... groups) {
        return PemEncoding.parseCertificate(pki.issueClient(commonName, List.of(groups), Duration.ofHours(1)).certificatePem());
    }
}
