package io.edgeplane.seedmanager.cluster.controlplane.process;

import io.edgeplane.seedmanager.cluster.controlplane.flags.KonnectivityServerFlags;
import io.edgeplane.seedmanager.cluster.controlplane.flags.Kubeconfigs;
import io.edgeplane.seedmanager.cluster.controlplane.pki.AtomicFiles;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tunnel server's own credentials in {@code <cluster dir>/tunnel/}: its serving certificate for
 * devices (cluster CA, the seed's external address) and the client certificate it checks agents'
 * tokens with. Not part of the stored PKI: they are issued here from the cluster CA, kept while
 * valid, and replaced well before expiry or when the CA or address changed. Each set's files carry
 * its serial in their names, so a new set changes the server's command line and the supervisor
 * restarts it onto them.
 */
final class TunnelCredentials {
    static final Duration LIFETIME = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    record Paths(Path certificate, Path key, Path kubeconfig) {
    }

    private TunnelCredentials() {
    }

    static Paths ensure(Path dir, ClusterPki pki, String externalAddress, String apiserverUrl, Instant now) {
        try {
            Files.createDirectories(dir);
            Optional<Paths> current = current(dir, pki, externalAddress, apiserverUrl, now);
            if (current.isPresent()) {
                return current.get();
            }
            IssuedCredential serving = pki.issueServer("konnectivity-server", List.of(externalAddress), LIFETIME);
            IssuedCredential reviewer = pki.issueClient(KonnectivityServerFlags.USER, List.of(), LIFETIME);
            Paths files = files(dir, serving.serialHex());
            write(files.key(), serving.privateKeyPem());
            write(files.kubeconfig(), Kubeconfigs.clientCertificate(apiserverUrl, pki.certificatePem("ca"), KonnectivityServerFlags.USER,
                    reviewer.certificatePem(), reviewer.privateKeyPem()));
            write(files.certificate(), serving.certificatePem());   // last: a set is complete once its certificate exists
            removeOthers(dir, files);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest complete set that is still good for this CA, address and apiserver. */
    private static Optional<Paths> current(Path dir, ClusterPki pki, String externalAddress, String apiserverUrl, Instant now)
            throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path cert : list.filter(p -> p.getFileName().toString().matches("server-[0-9a-f]+\\.crt")).toList()) {
                String serial = cert.getFileName().toString().replaceAll("^server-|\\.crt$", "");
                Paths files = files(dir, serial);
                if (Files.exists(files.key()) && Files.exists(files.kubeconfig())
                        && good(Files.readString(cert), pki, externalAddress, now)
                        && Files.readString(files.kubeconfig()).contains(apiserverUrl)) {
                    return Optional.of(files);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean good(String pem, ClusterPki pki, String externalAddress, Instant now) {
        try {
            X509Certificate certificate = PemEncoding.parseCertificate(pem);
            certificate.verify(pki.certificate("ca").getPublicKey());
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                    && names != null && names.stream().anyMatch(n -> externalAddress.equals(n.get(1)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Paths files(Path dir, String serial) {
        return new Paths(dir.resolve("server-" + serial + ".crt"), dir.resolve("server-" + serial + ".key"),
                dir.resolve("reviewer-" + serial + ".conf"));
    }

    private static void write(Path file, String content) throws IOException {
        AtomicFiles.writeIfChanged(file, content.getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
    }

    private static void removeOthers(Path dir, Paths keep) throws IOException {
        List<Path> kept = List.of(keep.certificate(), keep.key(), keep.kubeconfig());
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(p -> p.getFileName().toString().matches("(server|reviewer)-[0-9a-f]+\\.(crt|key|conf)")).toList()) {
                if (!kept.contains(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
