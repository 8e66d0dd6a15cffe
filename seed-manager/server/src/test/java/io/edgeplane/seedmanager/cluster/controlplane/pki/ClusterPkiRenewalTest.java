package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPkiRenewalTest {
    private static final Duration DAY = Duration.ofDays(1);
    private final MasterKey key = masterKey(3);
    private final ClusterPkiRequest request = new ClusterPkiRequest("alpha", List.of("api.example", "203.0.113.10"),
            List.of("etcd.example"), Duration.ofDays(100), Duration.ofDays(10));
    private final ClusterPki original = new ClusterPkiFactory(clockAt(T0)).create(request);

    @Test
    void nothingDueMeansTheSameInstance() {
        assertThat(original.leavesDueBefore(T0.plus(Duration.ofDays(9)))).isEmpty();
        assertThat(original.renewLeavesDueBefore(T0.plus(Duration.ofDays(9)), request)).isSameAs(original);
    }

    @Test
    void dueLeavesAreReissuedByTheSameCasWithFreshKeys() throws Exception {
        Instant later = T0.plus(Duration.ofDays(5));
        ClusterPki loaded = ClusterPki.fromStored(original.toStored(key), key, "alpha", clockAt(later));

        ClusterPki renewed = loaded.renewLeavesDueBefore(T0.plus(Duration.ofDays(11)), request);

        for (String ca : PkiLayout.AUTHORITIES) {
            assertThat(renewed.certificatePem(ca)).as(ca).isEqualTo(original.certificatePem(ca));
            assertThat(renewed.privateKeyPem(ca)).as(ca).isEqualTo(original.privateKeyPem(ca));
        }
        assertThat(renewed.serviceAccountPrivateKeyPem()).isEqualTo(original.serviceAccountPrivateKeyPem());
        for (String leaf : PkiLayout.LEAVES) {
            assertThat(renewed.certificate(leaf).getNotAfter().toInstant()).as(leaf).isEqualTo(later.plus(Duration.ofDays(10)));
            assertThat(renewed.certificate(leaf).getPublicKey()).as(leaf).isNotEqualTo(original.certificate(leaf).getPublicKey());
            // Trusted by everything that trusted the old leaf: the same CA certificate validates it.
            validateChain(renewed.certificate(leaf), original.certificate(LeafCertificates.issuerOf(leaf)), later);
        }
        assertThat(renewed.earliestLeafExpiry()).isEqualTo(later.plus(Duration.ofDays(10)));
    }

    @Test
    void onlyLeavesExpiringBeforeTheThresholdAreRenewed() throws Exception {
        // A PKI whose apiserver certificate is older than the rest.
        ClusterPki renewedAtDay5 = ClusterPki.fromStored(original.toStored(key), key, "alpha", clockAt(T0.plus(Duration.ofDays(5))))
                .renewLeavesDueBefore(T0.plus(Duration.ofDays(11)), request);
        Map<String, StoredPki.Entry> mixed = new HashMap<>(renewedAtDay5.toStored(key).entries());
        mixed.put("apiserver", original.toStored(key).entries().get("apiserver"));
        Instant day6 = T0.plus(Duration.ofDays(6));
        ClusterPki pki = ClusterPki.fromStored(new StoredPki(StoredPki.FORMAT_VERSION, mixed), key, "alpha", clockAt(day6));
        ClusterPkiRequest widened = new ClusterPkiRequest("alpha", List.of("api.example", "203.0.113.10", "api2.example"),
                List.of("etcd.example"), Duration.ofDays(100), Duration.ofDays(10));

        assertThat(pki.leavesDueBefore(T0.plus(Duration.ofDays(12)))).containsExactly("apiserver");
        ClusterPki renewed = pki.renewLeavesDueBefore(T0.plus(Duration.ofDays(12)), widened);

        assertThat(renewed.certificate("apiserver").getNotAfter().toInstant()).isEqualTo(day6.plus(Duration.ofDays(10)));
        assertThat(renewed.certificate("apiserver").getSubjectAlternativeNames()).contains(List.of(DNS, "api2.example"));
        validateChain(renewed.certificate("apiserver"), original.certificate("ca"), day6.plus(DAY));
        for (String leaf : PkiLayout.LEAVES) {
            if (!leaf.equals("apiserver")) {
                assertThat(renewed.certificatePem(leaf)).as(leaf).isEqualTo(renewedAtDay5.certificatePem(leaf));
                assertThat(renewed.privateKeyPem(leaf)).as(leaf).isEqualTo(renewedAtDay5.privateKeyPem(leaf));
            }
        }
        for (String ca : PkiLayout.AUTHORITIES) {
            assertThat(renewed.certificatePem(ca)).as(ca).isEqualTo(original.certificatePem(ca));
        }
    }

    @Test
    void aRequestForAnotherClusterIsRefused() {
        ClusterPkiRequest other = new ClusterPkiRequest("beta", List.of(), List.of(), Duration.ofDays(100), Duration.ofDays(10));

        assertThatThrownBy(() -> original.renewLeavesDueBefore(T0.plus(Duration.ofDays(20)), other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }
}
