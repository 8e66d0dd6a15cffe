package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.testing.GoldenDirectory;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Golden files of the control-plane builders under {@code src/test/resources/golden/controlplane}
 * (see {@link GoldenDirectory}).
 */
public final class GoldenFiles {
    public static final String REGENERATE = "mvn -pl seed-manager/server test -Dgolden.update=true "
            + "-Dtest='io.edgeplane.seedmanager.cluster.controlplane.**'";
    private static final GoldenDirectory DIR = new GoldenDirectory("controlplane", REGENERATE);

    private GoldenFiles() {
    }

    public static Path dir() {
        return DIR.dir();
    }

    public static boolean updating() {
        return GoldenDirectory.updating();
    }

    /** Header line plus rendered content, exactly as the file must read. */
    public static String expected(GoldenCase golden) {
        String body = golden.render().get();
        return DIR.header(golden.generator()) + (body.endsWith("\n") ? body : body + "\n");
    }

    /** Fails if the file is missing or differs; under {@code golden.update} writes it instead. */
    public static void check(GoldenCase golden) {
        DIR.check(golden.fileName(), expected(golden));
    }

    /** Names of the golden files on disk. */
    public static Set<String> filesOnDisk() {
        return DIR.filesOnDisk();
    }

    public static void delete(String fileName) {
        DIR.delete(fileName);
    }

    /** Kubernetes objects as Fabric8 renders them for apply, several as a multi-document stream. */
    public static String yaml(Object... objects) {
        return Stream.of(objects).map(Serialization::asYaml).collect(Collectors.joining());
    }

    /** A command line, one flag per line, as a YAML list. */
    public static String flags(List<String> flags) {
        return flags.stream().map(flag -> "- " + flag + "\n").collect(Collectors.joining());
    }
}
