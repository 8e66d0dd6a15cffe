package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.cluster.controlplane.flags.KonnectivityServerFlags;
import io.edgeplane.seedmanager.cluster.controlplane.flags.Kubeconfigs;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The tunnel server's own credentials: its serving certificate for devices (cluster CA, the seed's
 * external address, which devices already trust through the pinned CA) and the kubeconfig of the
 * client certificate it reviews agents' tokens with. They are not part of the stored PKI: each
 * runtime keeps the set it was given (files, a Secret) while {@link #goodFor} holds, and asks for a
 * new one well before expiry or when the CA, the address or the apiserver changed.
 *
 * @param serial the serving certificate's serial, lower-case hex: names a set, so a new set can roll the server
 */
public record TunnelCredentials(String serial, String certificatePem, String privateKeyPem, String reviewerKubeconfig) {
    public static final Duration LIFETIME = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** A new set for devices dialling {@code externalAddress}, reviewing tokens at {@code apiserverUrl}. */
    public static TunnelCredentials issue(ClusterPki pki, String externalAddress, String apiserverUrl) {
        IssuedCredential serving = pki.issueServer("konnectivity-server", List.of(externalAddress), LIFETIME);
        IssuedCredential reviewer = pki.issueClient(KonnectivityServerFlags.USER, List.of(), LIFETIME);
        return new TunnelCredentials(serving.serialHex(), serving.certificatePem(), serving.privateKeyPem(),
                Kubeconfigs.clientCertificate(apiserverUrl, pki.certificatePem("ca"), KonnectivityServerFlags.USER,
                        reviewer.certificatePem(), reviewer.privateKeyPem()));
    }

    /** Whether this set is signed by the cluster CA, names the address, reviews at that apiserver and is not due for renewal. */
    public boolean goodFor(ClusterPki pki, String externalAddress, String apiserverUrl, Instant now) {
        if (privateKeyPem == null || privateKeyPem.isBlank() || reviewerKubeconfig == null || !reviewerKubeconfig.contains(apiserverUrl)) {
            return false;
        }
        try {
            X509Certificate certificate = PemEncoding.parseCertificate(certificatePem);
            certificate.verify(pki.certificate("ca").getPublicKey());
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return certificate.getSerialNumber().toString(16).equals(serial)
                    && certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                    && names != null && names.stream().anyMatch(n -> externalAddress.equals(n.get(1)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
