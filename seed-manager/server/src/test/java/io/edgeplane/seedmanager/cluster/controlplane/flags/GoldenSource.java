package io.edgeplane.seedmanager.cluster.controlplane.flags;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * A test class that owns golden files. Implementing it runs one check per file; listing the class
 * in {@code ControlPlaneGoldenFilesTest} lets that test find orphaned files.
 */
public interface GoldenSource {

    List<GoldenCase> goldenCases();

    @TestFactory
    default Stream<DynamicTest> goldenFiles() {
        return goldenCases().stream().map(golden -> DynamicTest.dynamicTest(golden.fileName(), () -> GoldenFiles.check(golden)));
    }
}
