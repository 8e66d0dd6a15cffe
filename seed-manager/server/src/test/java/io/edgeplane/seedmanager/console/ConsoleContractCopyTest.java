package io.edgeplane.seedmanager.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console is typed from a copy of the OpenAPI document, because it is built before the server
 * that writes the document (the server serves the console's jar). This keeps the copy equal to what
 * the server publishes, so the console cannot drift from the API.
 */
class ConsoleContractCopyTest {
    static final String REGENERATE = "mvn -pl seed-manager/server test -Dtest=ConsoleContractCopyTest -Dgolden.update=true";
    static final String HEADER = "# generated: a copy of the seed manager's OpenAPI document, the contract the console is typed from; regenerate: "
            + REGENERATE + "\n";

    @Test
    void theConsoleIsTypedFromTheDocumentTheServerPublishes() throws IOException {
        String published;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/swagger/edgeplane-seed-manager-v1.yml")) {
            assertThat(in).as("the server's OpenAPI document on the classpath").isNotNull();
            published = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path copy = Path.of(System.getProperty("basedir", ".")).resolve("../console/src/api/edgeplane-seed-manager-v1.yml").normalize();
        String expected = HEADER + published;
        if (Boolean.getBoolean("golden.update")) {
            if (!Files.exists(copy) || !Files.readString(copy).equals(expected)) {
                Files.writeString(copy, expected, StandardCharsets.UTF_8);
            }
            return;
        }
        assertThat(copy).as("the console's copy of the contract; regenerate: %s", REGENERATE).exists();
        assertThat(Files.readString(copy)).as("the console's copy of the contract %s is stale; regenerate: %s", copy, REGENERATE)
                .isEqualTo(expected);
    }
}
