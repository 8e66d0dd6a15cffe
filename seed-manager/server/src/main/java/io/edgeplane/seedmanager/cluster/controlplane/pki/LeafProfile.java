package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.util.List;

/**
 * What one leaf certificate says about its holder.
 *
 * @param entry         its entry name in the pki directory (see {@link PkiLayout})
 * @param issuer        the entry name of the CA that signs it
 * @param commonName    the subject CN, which Kubernetes reads as the user name
 * @param organizations the subject O values, which Kubernetes reads as groups
 * @param serverAuth    usable as a TLS server certificate
 * @param clientAuth    usable as a TLS client certificate
 * @param sans          DNS names and IP addresses; empty for pure client certificates
 */
record LeafProfile(String entry,
                   String issuer,
                   String commonName,
                   List<String> organizations,
                   boolean serverAuth,
                   boolean clientAuth,
                   List<String> sans) {
    LeafProfile {
        organizations = List.copyOf(organizations);
        sans = List.copyOf(sans);
        if (!serverAuth && !clientAuth) {
            throw new IllegalArgumentException(entry + ": a leaf needs serverAuth, clientAuth or both");
        }
    }

    static LeafProfile client(String entry, String issuer, String commonName, List<String> organizations) {
        return new LeafProfile(entry, issuer, commonName, organizations, false, true, List.of());
    }
}
