package io.edgeplane.seedmanager.cluster.controlplane.pki;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creates the complete PKI of a new cluster. */
@Singleton
public class ClusterPkiFactory {
    private final Issuance issuance;

    @Inject
    public ClusterPkiFactory() {
        this(Clock.systemUTC());
    }

    /** With a fixed clock, validity periods are exact and tests can move time. */
    public ClusterPkiFactory(Clock clock) {
        this.issuance = new Issuance(clock, new SecureRandom());
    }

    public ClusterPki create(ClusterPkiRequest request) {
        String cluster = request.clusterName();
        // kubeadm's CA common names: tools and people recognise them.
        Map<String, CertificateAuthority> authorities = new LinkedHashMap<>();
        authorities.put(PkiLayout.CA, CertificateAuthority.create("kubernetes", cluster, request.caLifetime(), issuance));
        authorities.put(PkiLayout.FRONT_PROXY_CA, CertificateAuthority.create("front-proxy-ca", cluster, request.caLifetime(), issuance));
        authorities.put(PkiLayout.ETCD_CA, CertificateAuthority.create("etcd-ca", cluster, request.caLifetime(), issuance));

        Map<String, CertifiedKey> leaves = new LinkedHashMap<>();
        LeafCertificates.profiles(request).forEach((entry, profile) ->
                leaves.put(entry, authorities.get(profile.issuer()).issue(profile, request.leafLifetime(), issuance)));

        KeyPair serviceAccount = issuance.newKeyPair();
        return new ClusterPki(cluster, authorities, leaves, serviceAccount, EncryptionKeys.generate(issuance.random()), issuance);
    }
}
