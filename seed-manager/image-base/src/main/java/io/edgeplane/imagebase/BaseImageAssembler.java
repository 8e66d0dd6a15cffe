package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Assembles the seed manager's base image from Debian packages, at build time and without a
 * container engine. The result is cached under {@code <cache>/image-base/images/<key>.tar}, keyed by
 * the package list, the exclusions, each resolved .deb's checksum and this assembler's format, so a
 * second build (or one after a crash) reuses it; only a new package version in the index rebuilds it.
 */
public final class BaseImageAssembler {

    /** Bump when the assembler's output changes for the same packages. */
    static final String FORMAT = "edgeplane-image-base/1";

    private final Settings settings;
    private final Consumer<String> log;

    /** What the build passes (see the module's pom). */
    public record Settings(Path packages, Path excludes, Path output, Path cache, String mirror,
            String securityMirror, Duration listMaxAge) {

        static Settings parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("argument '" + arg + "': expected --name=value");
                }
                values.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
            Path cache = values.containsKey("cache") && !values.get("cache").isBlank() ? Path.of(values.get("cache"))
                    : Path.of(System.getProperty("user.home"), ".cache", "edgeplane");
            Duration age;
            try {
                age = Duration.parse(values.getOrDefault("list-max-age", "P7D"));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("list-max-age: '" + values.get("list-max-age")
                        + "' is not an ISO-8601 duration such as P7D");
            }
            return new Settings(file(values, "packages"), file(values, "excludes"), path(values, "output"), cache,
                    url(values, "mirror", "https://deb.debian.org/debian"),
                    url(values, "security-mirror", "https://deb.debian.org/debian-security"), age);
        }

        private static Path path(Map<String, String> values, String name) {
            String v = values.get(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(name + ": required");
            }
            return Path.of(v);
        }

        private static Path file(Map<String, String> values, String name) {
            Path p = path(values, name);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(name + ": " + p + " is not a file");
            }
            return p;
        }

        private static String url(Map<String, String> values, String name, String fallback) {
            String v = values.getOrDefault(name, "");
            v = v.isBlank() ? fallback : v.replaceAll("/+$", "");
            if (!v.matches("(https?|file)://\\S+")) {
                throw new IllegalArgumentException(name + ": '" + v + "' is not an http(s) or file URL");
            }
            return v;
        }
    }

    public BaseImageAssembler(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        new BaseImageAssembler(Settings.parse(args), line -> System.out.println("[image-base] " + line)).run();
    }

    /** Writes the base image to the output path; returns the cached archive it links to. */
    public Path run() throws IOException, GeneralSecurityException {
        Path home = Files.createDirectories(settings.cache().resolve("image-base"));
        try (FileChannel lockFile = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            // One assembler per cache at a time; the lock goes with the channel, or with the process.
            lockFile.lock();
            removeLeftovers(home);
            PackageList list = PackageList.read(settings.packages());
            DebianArchive archive = new DebianArchive(home.resolve("apt"), settings.mirror(),
                    settings.securityMirror(), settings.listMaxAge(), log);
            List<DebPackage> packages = archive.resolve(list.names());
            String key = key(packages);
            Path cached = home.resolve("images").resolve(key + ".tar");
            if (Files.exists(cached)) {
                log.accept("base image " + key.substring(0, 12) + " is cached: " + cached);
            } else {
                assemble(list, packages, archive.download(packages, home.resolve("debs")), home, key, cached);
            }
            AtomicFiles.link(cached, settings.output());
            log.accept("base image: " + settings.output() + " (" + Files.size(cached) / (1024 * 1024) + " MiB)");
            return cached;
        }
    }

    private void assemble(PackageList list, List<DebPackage> packages, List<Path> debs, Path home, String key,
            Path cached) throws IOException, GeneralSecurityException {
        log.accept("assembling base image " + key.substring(0, 12) + " from " + packages.size() + " packages");
        Path work = Files.createTempDirectory(home, "work-");
        try {
            Exclusions excluded = Exclusions.read(settings.excludes());
            RootFs tree = new RootFs(work.resolve("files"));
            for (int i = 0; i < packages.size(); i++) {
                DebExtractor.extract(debs.get(i), packages.get(i).name(), list, excluded, tree);
            }
            SystemFiles.write(tree, packages);
            String arch = packages.stream().map(DebPackage::architecture).filter(a -> !a.equals("all"))
                    .findFirst().orElseThrow();
            String javaHome = "/usr/lib/jvm/java-17-openjdk-" + arch;
            if (tree.resolve(javaHome + "/bin/java").isEmpty()) {
                throw new IOException("no " + javaHome + "/bin/java in the base image");
            }
            List<LibraryClosure.Missing> missing = LibraryClosure.check(tree,
                    Map.of("libjvm.so", javaHome + "/lib/server/libjvm.so"));
            if (!missing.isEmpty()) {
                throw new IOException(LibraryClosure.describe(missing)
                        + "\nadd the packages that provide them to " + settings.packages()
                        + ", or exclude the files that need them in " + settings.excludes());
            }
            DockerArchive.ImageConfig config = new DockerArchive.ImageConfig(arch,
                    List.of("PATH=" + javaHome + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                            "JAVA_HOME=" + javaHome, "LANG=C.UTF-8"),
                    Map.of("io.edgeplane.image-base.key", key),
                    "edgeplane-base:" + key.substring(0, 12));
            Path archiveFile = work.resolve("image.tar");
            DockerArchive.write(tree, config, work, archiveFile);
            Files.createDirectories(cached.getParent());
            AtomicFiles.publish(archiveFile, cached);
        } finally {
            Tree.delete(work);
        }
    }

    private String key(List<DebPackage> packages) throws IOException {
        MessageDigest digest = DockerArchive.sha256();
        digest.update((FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(settings.packages()));
        digest.update(Files.readAllBytes(settings.excludes()));
        for (DebPackage p : packages) {
            digest.update((p.fileName() + " " + p.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Work directories of a run that crashed; safe to remove under the lock. */
    private static void removeLeftovers(Path home) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(home, "work-*")) {
            for (Path dir : dirs) {
                Tree.delete(dir);
            }
        }
    }
}
