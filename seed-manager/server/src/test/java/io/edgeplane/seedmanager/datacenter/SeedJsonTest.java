package io.edgeplane.seedmanager.datacenter;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API serves these records as JSON; enum values must read as in the Seed YAML. */
class SeedJsonTest {

    private final ObjectMapper json = ObjectMapper.getDefault();

    @Test
    void seedUsesYamlSpellings() throws Exception {
        Seed seed = new SeedParser().parse(Path.of("src/test/resources/seeds/minimal.yaml")).orElseThrow();

        String text = json.writeValueAsString(seed);

        assertThat(text).contains("\"exposeStrategy\":\"HostPort\"", "\"provider\":\"edge\"", "\"name\":\"store-a\"");
    }

    @Test
    void reloadOutcomeIsLowerCase() throws Exception {
        ReloadResult result = new ReloadResult(Instant.parse("2025-01-01T10:00:00Z"), ReloadOutcome.REJECTED, List.of("seed.yaml:3: kind: must be Seed"));

        assertThat(json.writeValueAsString(result)).contains("\"outcome\":\"rejected\"", "\"problems\":[\"seed.yaml:3: kind: must be Seed\"]");
    }
}
