package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPkiTest {
    private static final Map<String, String> ISSUERS = Map.of(
            "apiserver", "ca",
            "apiserver-kubelet-client", "ca",
            "apiserver-etcd-client", "etcd/ca",
            "front-proxy-client", "front-proxy-ca",
            "etcd/server", "etcd/ca",
            "etcd/peer", "etcd/ca",
            "controller-manager", "ca",
            "scheduler", "ca");

    private final ClusterPki pki = pkiAt(T0, "alpha");

    @Test
    void everyLeafValidatesAgainstItsCaAndNoOther() throws Exception {
        assertThat(PkiLayout.LEAVES).containsExactlyInAnyOrderElementsOf(ISSUERS.keySet());
        for (var leaf : ISSUERS.entrySet()) {
            validateChain(pki.certificate(leaf.getKey()), pki.certificate(leaf.getValue()), T0);
            for (String otherCa : PkiLayout.AUTHORITIES) {
                if (!otherCa.equals(leaf.getValue())) {
                    assertThatThrownBy(() -> validateChain(pki.certificate(leaf.getKey()), pki.certificate(otherCa), T0))
                            .as("%s must not chain to %s", leaf.getKey(), otherCa)
                            .isInstanceOf(CertPathValidatorException.class);
                }
            }
        }
    }

    @Test
    void leavesDoNotValidateBeforeNotBeforeOrAfterExpiry() {
        X509Certificate apiserver = pki.certificate("apiserver");
        assertThatThrownBy(() -> validateChain(apiserver, pki.certificate("ca"), T0.plus(LEAF_LIFETIME).plusSeconds(1)))
                .isInstanceOf(CertPathValidatorException.class);
        assertThatThrownBy(() -> validateChain(apiserver, pki.certificate("ca"), T0.minus(Duration.ofMinutes(6))))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void apiserverCarriesDnsNamesAndIpAddressesAsTheirOwnTypes() throws Exception {
        X509Certificate apiserver = pki.certificate("apiserver");
        assertThat(apiserver.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(IP, "203.0.113.10"),
                List.of(IP, "127.0.0.1"),
                List.of(DNS, "localhost"),
                List.of(DNS, "kubernetes"),
                List.of(DNS, "kubernetes.default"),
                List.of(DNS, "kubernetes.default.svc"),
                List.of(DNS, "kubernetes.default.svc.cluster.local"),
                List.of(IP, "10.96.0.1"));
        assertThat(commonName(apiserver)).isEqualTo("kube-apiserver");
    }

    @Test
    void etcdServingAndPeerCertificatesAddLoopback() throws Exception {
        for (String entry : List.of("etcd/server", "etcd/peer")) {
            assertThat(pki.certificate(entry).getSubjectAlternativeNames()).as(entry).containsExactlyInAnyOrder(
                    List.of(DNS, "etcd-0.etcd.alpha.svc"),
                    List.of(IP, "10.0.0.5"),
                    List.of(DNS, "localhost"),
                    List.of(IP, "127.0.0.1"));
        }
    }

    @Test
    void clientCertificatesHaveNoSubjectAlternativeNames() throws Exception {
        for (String entry : List.of("apiserver-kubelet-client", "apiserver-etcd-client", "front-proxy-client",
                "controller-manager", "scheduler")) {
            assertThat(pki.certificate(entry).getSubjectAlternativeNames()).as(entry).isNull();
        }
    }

    @Test
    void extendedKeyUsagesFitEachEntry() throws Exception {
        Map<String, List<String>> expected = Map.of(
                "apiserver", List.of(SERVER_AUTH),
                "apiserver-kubelet-client", List.of(CLIENT_AUTH),
                "apiserver-etcd-client", List.of(CLIENT_AUTH),
                "front-proxy-client", List.of(CLIENT_AUTH),
                "etcd/server", List.of(SERVER_AUTH, CLIENT_AUTH),
                "etcd/peer", List.of(SERVER_AUTH, CLIENT_AUTH),
                "controller-manager", List.of(CLIENT_AUTH),
                "scheduler", List.of(CLIENT_AUTH));
        for (var entry : expected.entrySet()) {
            assertThat(pki.certificate(entry.getKey()).getExtendedKeyUsage()).as(entry.getKey())
                    .containsExactlyInAnyOrderElementsOf(entry.getValue());
        }
    }

    @Test
    void subjectsAreTheIdentitiesKubernetesExpects() {
        Map<String, String> commonNames = Map.of(
                "apiserver-kubelet-client", "kube-apiserver-kubelet-client",
                "apiserver-etcd-client", "kube-apiserver-etcd-client",
                "front-proxy-client", "front-proxy-client",
                "controller-manager", "system:kube-controller-manager",
                "scheduler", "system:kube-scheduler");
        commonNames.forEach((entry, cn) -> assertThat(commonName(pki.certificate(entry))).as(entry).isEqualTo(cn));
        assertThat(organizations(pki.certificate("apiserver-kubelet-client"))).containsExactly("system:masters");
        assertThat(organizations(pki.certificate("controller-manager"))).isEmpty();
        assertThat(commonName(pki.certificate("ca"))).isEqualTo("kubernetes");
        assertThat(pki.certificate("ca").getSubjectX500Principal().getName()).contains("OU=alpha");
    }

    @Test
    void authoritiesAreCriticallyConstrainedCas() {
        for (String entry : PkiLayout.AUTHORITIES) {
            X509Certificate ca = pki.certificate(entry);
            assertThat(ca.getBasicConstraints()).as(entry).isGreaterThanOrEqualTo(0);
            assertThat(ca.getCriticalExtensionOIDs()).as(entry)
                    .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
            boolean[] usage = ca.getKeyUsage();
            assertThat(usage[0]).as("digitalSignature").isTrue();
            assertThat(usage[5]).as("keyCertSign").isTrue();
            assertThat(usage[6]).as("cRLSign").isTrue();
            assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
            assertThat(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        }
    }

    @Test
    void leavesAreNotCasAndIdentifyTheirKeys() throws Exception {
        for (var leaf : ISSUERS.entrySet()) {
            X509Certificate certificate = pki.certificate(leaf.getKey());
            assertThat(certificate.getBasicConstraints()).as(leaf.getKey()).isEqualTo(-1);
            assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
            boolean[] usage = certificate.getKeyUsage();
            assertThat(usage[0]).as("digitalSignature").isTrue();
            assertThat(usage[2]).as("keyEncipherment").isTrue();
            assertThat(usage[5]).as("keyCertSign").isFalse();
            assertThat(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
            assertThat(authorityKeyId(certificate)).as(leaf.getKey())
                    .isEqualTo(subjectKeyId(pki.certificate(leaf.getValue())));
        }
    }

    @Test
    void keysAreP256SignedWithSha256AndPrivateKeysArePkcs8() {
        for (String entry : Stream.concat(PkiLayout.AUTHORITIES.stream(), PkiLayout.LEAVES.stream()).toList()) {
            X509Certificate certificate = pki.certificate(entry);
            assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
            assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
            String keyPem = pki.privateKeyPem(entry);
            assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----\n").doesNotContain("EC PRIVATE KEY");
            assertThat(KeyPairs.belongTogether(PemEncoding.parsePrivateKey(keyPem), certificate.getPublicKey())).isTrue();
        }
        assertThat(pki.serviceAccountPrivateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(pki.serviceAccountPublicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(KeyPairs.belongTogether(PemEncoding.parsePrivateKey(pki.serviceAccountPrivateKeyPem()),
                PemEncoding.parsePublicKey(pki.serviceAccountPublicKeyPem()))).isTrue();
    }

    @Test
    void serialsArePositiveRandom128BitNumbers() {
        Set<BigInteger> serials = new HashSet<>();
        for (String entry : Stream.concat(PkiLayout.AUTHORITIES.stream(), PkiLayout.LEAVES.stream()).toList()) {
            BigInteger serial = pki.certificate(entry).getSerialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(128).isGreaterThan(64);
            serials.add(serial);
        }
        assertThat(serials).hasSize(PkiLayout.AUTHORITIES.size() + PkiLayout.LEAVES.size());
    }

    @Test
    void validityFollowsTheRequestAndIsBackdated() {
        for (String entry : PkiLayout.AUTHORITIES) {
            assertThat(pki.certificate(entry).getNotAfter().toInstant()).as(entry).isEqualTo(T0.plus(CA_LIFETIME));
        }
        for (String entry : PkiLayout.LEAVES) {
            assertThat(pki.certificate(entry).getNotAfter().toInstant()).as(entry).isEqualTo(T0.plus(LEAF_LIFETIME));
            assertThat(pki.certificate(entry).getNotBefore().toInstant()).as(entry).isEqualTo(T0.minus(Duration.ofMinutes(5)));
        }
        assertThat(pki.earliestLeafExpiry()).isEqualTo(T0.plus(LEAF_LIFETIME));
        assertThat(pki.expiries()).hasSize(11)
                .containsEntry("ca", T0.plus(CA_LIFETIME))
                .containsEntry("etcd/peer", T0.plus(LEAF_LIFETIME))
                .doesNotContainKey("sa");
    }

    @Test
    void issuedClientCertificateChainsToTheClusterCaAndCarriesGroups() throws Exception {
        IssuedCredential admin = pki.issueClient("alice", List.of("system:masters", "edgeplane:admins"), Duration.ofHours(8));
        X509Certificate certificate = PemEncoding.parseCertificate(admin.certificatePem());

        validateChain(certificate, pki.certificate("ca"), T0);
        assertThat(commonName(certificate)).isEqualTo("alice");
        assertThat(organizations(certificate)).containsExactlyInAnyOrder("system:masters", "edgeplane:admins");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(admin.notAfter()).isEqualTo(T0.plus(Duration.ofHours(8)));
        assertThat(admin.serial()).isEqualTo(certificate.getSerialNumber());
        assertThat(admin.serialHex()).isEqualTo(certificate.getSerialNumber().toString(16));
        assertThat(KeyPairs.belongTogether(PemEncoding.parsePrivateKey(admin.privateKeyPem()), certificate.getPublicKey())).isTrue();
        assertThat(admin.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void issuedServerCertificateChainsToTheClusterCaAndNamesItsAddresses() throws Exception {
        IssuedCredential tunnel = pki.issueServer("konnectivity-server", List.of("10.0.0.5", "seed.example"), Duration.ofDays(30));
        X509Certificate certificate = PemEncoding.parseCertificate(tunnel.certificatePem());

        validateChain(certificate, pki.certificate("ca"), T0);
        assertThat(commonName(certificate)).isEqualTo("konnectivity-server");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(certificate.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList()).containsExactlyInAnyOrder("10.0.0.5", "seed.example");
        assertThat(tunnel.notAfter()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThatThrownBy(() -> pki.issueServer("konnectivity-server", List.of(), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one name");
    }

    @Test
    void noCertificateOutlivesItsCa() {
        ClusterPki shortLived = new ClusterPkiFactory(clockAt(T0)).create(new ClusterPkiRequest("alpha",
                List.of("api.example"), List.of(), Duration.ofDays(10), Duration.ofDays(10)));
        Instant caExpiry = shortLived.certificate("ca").getNotAfter().toInstant();

        IssuedCredential credential = shortLived.issueClient("bob", List.of(), Duration.ofDays(30));

        assertThat(credential.notAfter()).isEqualTo(caExpiry);
    }

    @Test
    void unknownEntriesAndBadRequestsAreRejectedClearly() {
        assertThatThrownBy(() -> pki.certificate("etcd/healthcheck-client"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no certificate entry 'etcd/healthcheck-client'");
        assertThatThrownBy(() -> new ClusterPkiRequest("alpha", List.of(), List.of(), Duration.ofDays(1), Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds caLifetime");
        assertThatThrownBy(() -> new ClusterPkiRequest(" ", List.of(), List.of(), Duration.ofDays(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clusterName");
        assertThatThrownBy(() -> pki.issueClient("", List.of(), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pki.issueClient("carol", List.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] authorityKeyId(X509Certificate certificate) {
        byte[] value = ASN1OctetString.getInstance(certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets();
        return AuthorityKeyIdentifier.getInstance(value).getKeyIdentifierOctets();
    }

    private static byte[] subjectKeyId(X509Certificate certificate) {
        byte[] value = ASN1OctetString.getInstance(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets();
        return SubjectKeyIdentifier.getInstance(value).getKeyIdentifier();
    }
}
