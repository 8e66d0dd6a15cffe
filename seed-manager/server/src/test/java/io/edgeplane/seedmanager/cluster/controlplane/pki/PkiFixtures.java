package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;

/** Shared inputs and checks of the PKI tests. */
final class PkiFixtures {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration CA_LIFETIME = Duration.ofDays(3650);
    static final Duration LEAF_LIFETIME = Duration.ofDays(365);
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final int DNS = 2;
    static final int IP = 7;

    private PkiFixtures() {
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static ClusterPkiRequest request(String cluster) {
        return new ClusterPkiRequest(cluster,
                ClusterPkiRequest.defaultApiserverSans("203.0.113.10", "10.96.0.0/12"),
                List.of("etcd-0.etcd." + cluster + ".svc", "10.0.0.5"),
                CA_LIFETIME, LEAF_LIFETIME);
    }

    static ClusterPki pkiAt(Instant instant, String cluster) {
        return new ClusterPkiFactory(clockAt(instant)).create(request(cluster));
    }

    static MasterKey masterKey(int seed) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) seed);
        return MasterKey.of(raw);
    }

    /** PKIX validation of {@code leaf} against {@code ca} as the only trust anchor, at {@code when}. */
    static void validateChain(X509Certificate leaf, X509Certificate ca, Instant when) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(when));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    static String commonName(X509Certificate certificate) {
        RDN[] names = subject(certificate).getRDNs(BCStyle.CN);
        return IETFUtils.valueToString(names[0].getFirst().getValue());
    }

    static List<String> organizations(X509Certificate certificate) {
        return Arrays.stream(subject(certificate).getRDNs(BCStyle.O))
                .map(rdn -> IETFUtils.valueToString(rdn.getFirst().getValue()))
                .toList();
    }

    private static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }
}
