package io.edgeplane.imagebase;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Debian bookworm's archive, reached through apt with a private state directory: its own
 * sources.list, the archive keys shipped in this module, its own package lists and an empty dpkg
 * status. So the build host's sources, its distribution (Debian or Ubuntu), its installed packages
 * and whether anyone ran {@code apt-get update} do not matter, and no root is needed. apt verifies the signed
 * index and every .deb's SHA-256.
 */
public final class DebianArchive {

    private static final List<String> KEYS = List.of("debian-archive-bookworm-automatic.gpg",
            "debian-archive-bookworm-security-automatic.gpg", "debian-archive-bookworm-stable.gpg");

    private final Path root;
    private final String mirror;
    private final String securityMirror;
    private final Duration listMaxAge;
    private final Consumer<String> log;

    public DebianArchive(Path root, String mirror, String securityMirror, Duration listMaxAge, Consumer<String> log) {
        this.root = root;
        this.mirror = mirror;
        this.securityMirror = securityMirror;
        this.listMaxAge = listMaxAge;
        this.log = log;
    }

    /** The current version of each package in the index, refreshed first when the index is older than allowed. */
    public List<DebPackage> resolve(List<String> names) throws IOException {
        prepare();
        refreshIndex();
        List<String> command = apt("download", "--print-uris");
        command.addAll(names);
        List<DebPackage> packages = new ArrayList<>();
        for (String line : Commands.run(command, root).split("\n")) {
            if (!line.isBlank()) {
                packages.add(DebPackage.fromPrintUris(line));
            }
        }
        List<String> found = packages.stream().map(DebPackage::name).toList();
        List<String> missing = names.stream().filter(n -> !found.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new IOException("packages not in Debian bookworm's index: " + missing);
        }
        return packages;
    }

    /** Each package's file in {@code debs}, downloading only those not there yet. */
    public List<Path> download(List<DebPackage> packages, Path debs) throws IOException {
        Files.createDirectories(debs);
        List<DebPackage> absent = new ArrayList<>();
        for (DebPackage p : packages) {
            Path file = debs.resolve(p.fileName());
            if (!Files.exists(file) || !sha256(file).equals(p.sha256())) {
                absent.add(p);
            }
        }
        if (!absent.isEmpty()) {
            log.accept("downloading " + absent.size() + " Debian packages ("
                    + absent.stream().mapToLong(DebPackage::size).sum() / (1024 * 1024) + " MiB)");
            Path partial = Files.createTempDirectory(debs, ".download-");
            try {
                List<String> command = apt("download");
                absent.forEach(p -> command.add(p.name() + "=" + p.version()));
                Commands.run(command, partial);
                for (DebPackage p : absent) {
                    // apt checked the checksum; each file appears complete or not at all.
                    Files.move(partial.resolve(p.fileName()), debs.resolve(p.fileName()),
                            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Tree.delete(partial);
            }
        }
        return packages.stream().map(p -> debs.resolve(p.fileName())).toList();
    }

    private void prepare() throws IOException {
        Path keys = Files.createDirectories(root.resolve("keys"));
        List<String> keyFiles = new ArrayList<>();
        for (String key : KEYS) {
            try (InputStream in = DebianArchive.class.getResourceAsStream("apt/" + key)) {
                AtomicFiles.write(keys.resolve(key), in.readAllBytes());
            }
            keyFiles.add(keys.resolve(key).toString());
        }
        // Only the package lists: the host's apt configuration may add AppStream metadata or translations.
        String signedBy = "[signed-by=" + String.join(",", keyFiles) + " target=Packages]";
        String sources = "deb " + signedBy + " " + mirror + " bookworm main\n"
                + "deb " + signedBy + " " + mirror + " bookworm-updates main\n"
                + "deb " + signedBy + " " + securityMirror + " bookworm-security main\n";
        AtomicFiles.write(root.resolve("sources.list"), sources.getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(root.resolve("empty.d"));
        Files.createDirectories(root.resolve("state/lists/partial"));
        Files.createDirectories(root.resolve("cache/archives/partial"));
        if (!Files.exists(root.resolve("status"))) {
            AtomicFiles.write(root.resolve("status"), new byte[0]);
        }
    }

    private void refreshIndex() throws IOException {
        Path stamp = root.resolve("state/updated");
        Path sources = root.resolve("sources.list.applied");
        boolean sameSources = Files.exists(sources)
                && Files.mismatch(sources, root.resolve("sources.list")) == -1;
        boolean fresh = Files.exists(stamp) && sameSources
                && Files.getLastModifiedTime(stamp).toInstant().isAfter(Instant.now().minus(listMaxAge));
        if (fresh) {
            return;
        }
        log.accept("refreshing Debian bookworm's package index from " + mirror);
        try {
            Commands.run(apt("update"), root);
        } catch (IOException e) {
            if (Files.exists(stamp) && sameSources) {
                log.accept("WARNING: could not refresh the package index, using the one from "
                        + Files.getLastModifiedTime(stamp) + ": " + e.getMessage());
                return;
            }
            throw e;
        }
        Files.copy(root.resolve("sources.list"), sources, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.write(stamp, new byte[0]);
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now()));
    }

    private List<String> apt(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("apt-get", "-q",
                // This directory's sources, pins, lists and (empty) dpkg state, never the host's. The host's
                // apt.conf settings (a proxy, say) still apply: apt reads them before these options.
                "-o", "Dir::Etc::SourceList=" + root.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + root.resolve("empty.d"),
                "-o", "Dir::Etc::Preferences=" + root.resolve("empty.d/none"),
                "-o", "Dir::Etc::PreferencesParts=" + root.resolve("empty.d"),
                "-o", "Dir::State=" + root.resolve("state"),
                "-o", "Dir::State::status=" + root.resolve("status"),
                "-o", "Dir::Cache=" + root.resolve("cache"),
                "-o", "Debug::NoLocking=1",
                "-o", "Acquire::Languages=none"));
        if (isRoot()) {
            // As root apt drops to the _apt user, which cannot enter a private home (root's ~/.cache):
            // it would warn and fall back anyway.
            command.addAll(List.of("-o", "APT::Sandbox::User=root"));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = DockerArchive.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
