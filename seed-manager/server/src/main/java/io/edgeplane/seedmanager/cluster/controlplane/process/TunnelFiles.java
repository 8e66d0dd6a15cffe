package io.edgeplane.seedmanager.cluster.controlplane.process;

import io.edgeplane.seedmanager.cluster.controlplane.TunnelCredentials;
import io.edgeplane.seedmanager.cluster.controlplane.pki.AtomicFiles;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tunnel server's {@link TunnelCredentials} in {@code <cluster dir>/tunnel/}. Each set's files
 * carry its serial in their names, so a new set changes the server's command line and the
 * supervisor restarts it onto them.
 */
final class TunnelFiles {
    record Paths(Path certificate, Path key, Path kubeconfig) {
    }

    private TunnelFiles() {
    }

    static Paths ensure(Path dir, ClusterPki pki, String externalAddress, String apiserverUrl, Instant now) {
        try {
            Files.createDirectories(dir);
            Optional<Paths> current = current(dir, pki, externalAddress, apiserverUrl, now);
            if (current.isPresent()) {
                return current.get();
            }
            TunnelCredentials issued = TunnelCredentials.issue(pki, externalAddress, apiserverUrl);
            Paths files = files(dir, issued.serial());
            write(files.key(), issued.privateKeyPem());
            write(files.kubeconfig(), issued.reviewerKubeconfig());
            write(files.certificate(), issued.certificatePem());   // last: a set is complete once its certificate exists
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
                        && new TunnelCredentials(serial, Files.readString(cert), Files.readString(files.key()),
                        Files.readString(files.kubeconfig())).goodFor(pki, externalAddress, apiserverUrl, now)) {
                    return Optional.of(files);
                }
            }
        }
        return Optional.empty();
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
